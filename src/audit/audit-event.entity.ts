import { OrgUnit } from '../orgs/org-unit.entity';
import { Column, Entity, Index, PrimaryGeneratedColumn, JoinColumn, ManyToOne } from 'typeorm';

/**
 * Append-only record of sensitive actions (logins, admin changes, full ID
 * views…). Read by auditors. Each row is sealed with the chain key; the
 * database refuses to change or delete rows (but the purge of rows past
 * retention), and the daily anchors fold each day's rows in.
 */
@Entity('audit_events')
@Index('ix_audit_events_county_time', ['countyId', 'createdAt'])
export class AuditEvent {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  countyId!: string;

  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id' })
  county?: OrgUnit;

  @Column('uuid', { nullable: true })
  actorId!: string | null;

  @Column('varchar', { length: 64 })
  action!: string;

  @Column('varchar', { length: 32 })
  subjectType!: string;

  @Column('uuid', { nullable: true })
  subjectId!: string | null;

  @Column('jsonb', { default: () => "'{}'" })
  details!: Record<string, unknown>;

  @Column('varchar', { length: 64, nullable: true })
  requestId!: string | null;

  /** The acting user's org unit; null without a signed-in user. */
  @Column('uuid', { nullable: true })
  orgUnitId!: string | null;

  /** `success`, or `failure` for refused and failed attempts (a failed login, a denied access, a chain that does not verify…). */
  @Column('varchar', { length: 16, default: 'success' })
  result!: 'success' | 'failure';

  /** The client's address (behind TRUST_PROXY, the forwarded one); null outside a request. */
  @Column('varchar', { length: 64, nullable: true })
  sourceIp!: string | null;

  /** Set by the service (the seal covers it); the database's now() only for rows written before seals. */
  @Column('timestamptz', { default: () => 'now()' })
  createdAt!: Date;

  /** The chain key that sealed the row; null only for rows written before seals (sealed once at start-up). */
  @Column('varchar', { length: 32, nullable: true })
  keyId!: string | null;

  /** HMAC-SHA-256 over every field of the row (auditSeal); a row edited without the key no longer matches it. */
  @Column('char', { length: 64, nullable: true })
  seal!: string | null;
}
