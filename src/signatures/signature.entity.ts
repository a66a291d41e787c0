import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { OrgUnit } from '../orgs/org-unit.entity';

export interface EvidenceRef {
  id: string;
  sha256: string;
  filename: string;
}

/**
 * An immutable signature (签字). Rows are chained per subject (an item, a
 * campaign, a summary report): `hash` = HMAC-SHA-256, with the chain key
 * `keyId`, over the row's fields and `prevHash`. The
 * database refuses UPDATE and DELETE on this table (see the migration's trigger).
 */
@Entity('signatures')
@Index('uq_signatures_subject_seq', ['subjectId', 'seq'], { unique: true })
// GIN (jsonb_path_ops) on `evidence`, in the migration: finds the signatures citing an attachment.
@Index('ix_signatures_evidence', { synchronize: false })
// The daily anchors read a county's links of one day.
@Index('ix_signatures_county_signed', ['countyId', 'signedAt'])
export class Signature {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  countyId!: string;

  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id' })
  county?: OrgUnit;

  @Column('varchar', { length: 16 })
  subjectType!: 'item' | 'campaign' | 'summary_report' | 'spot_check_draw';

  @Column('uuid')
  subjectId!: string;

  @Column('integer')
  seq!: number;

  @Column('varchar', { length: 32 })
  kind!: string;

  @Column('varchar', { length: 32 })
  eventType!: string;

  @Index('ix_signatures_signer')
  @Column('uuid')
  signerId!: string;

  @Column('varchar', { length: 64 })
  signerName!: string;

  /** The role the signer acted in. */
  @Column('varchar', { length: 32 })
  signerRole!: string;

  @Column('uuid')
  signerOrgUnitId!: string;

  @Column('varchar', { length: 100 })
  signerOrgUnitName!: string;

  /** 委派: the user the signer signed for (the delegator), with their name; null when the signer acted in their own right. */
  @Column('uuid', { nullable: true })
  onBehalfOfId!: string | null;

  @Column('varchar', { length: 64, nullable: true })
  onBehalfOfName!: string | null;

  @Column('timestamptz')
  signedAt!: Date;

  @Column('text', { nullable: true })
  comment!: string | null;

  /** The event's payload as signed (measures, deadline, reason, rectifier …). */
  @Column('jsonb')
  payload!: Record<string, unknown>;

  @Column('jsonb')
  evidence!: EvidenceRef[];

  @Column('varchar', { length: 32 })
  stateBefore!: string;

  @Column('varchar', { length: 32 })
  stateAfter!: string;

  @Column('char', { length: 64, nullable: true })
  prevHash!: string | null;

  /** The id of the chain key that sealed the link (HMAC-SHA-256); null for links written before keys existed. */
  @Column('varchar', { length: 32, nullable: true })
  keyId!: string | null;

  @Column('char', { length: 64 })
  hash!: string;
}
