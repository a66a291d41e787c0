import { OrgUnit } from '../orgs/org-unit.entity';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, JoinColumn, ManyToOne } from 'typeorm';

/** Append-only record of sensitive actions (admin changes, full ID views). Read by auditors. */
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

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
