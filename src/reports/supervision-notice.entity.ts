import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Campaign } from '../campaigns/campaign.entity';
import { OrgUnit } from '../orgs/org-unit.entity';

/** One overdue item as the notice listed it when issued (frozen). */
export interface NoticeItem {
  id: string;
  number: number;
  orgUnitName: string;
  description: string;
  rectifierName: string | null;
  deadline: string | null;
  daysOverdue: number;
}

/** 督办通知书: the county office's notice to a township or department about its overdue items. */
@Entity('supervision_notices')
@Index('uq_supervision_notices_number', ['campaignId', 'number'], { unique: true })
export class SupervisionNotice {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  countyId!: string;

  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id' })
  county?: OrgUnit;

  @Column('uuid')
  campaignId!: string;

  @ManyToOne(() => Campaign, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'campaign_id' })
  campaign?: Campaign;

  @Column('integer')
  number!: number;

  @Index('ix_supervision_notices_recipient')
  @Column('uuid')
  recipientOrgUnitId!: string;

  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'recipient_org_unit_id' })
  recipient?: OrgUnit;

  @Column('uuid')
  issuedById!: string;

  @Column('varchar', { length: 64 })
  issuedByName!: string;

  @Column('timestamptz')
  issuedAt!: Date;

  /** The new deadline the notice sets for the listed items. */
  @Column('date')
  deadline!: string;

  @Column('text', { nullable: true })
  note!: string | null;

  @Column('jsonb')
  items!: NoticeItem[];

  /** 签收: when the receiving unit's leader acknowledged the notice, and who. */
  @Column('timestamptz', { nullable: true })
  acknowledgedAt!: Date | null;

  @Column('uuid', { nullable: true })
  acknowledgedById!: string | null;

  @Column('varchar', { length: 64, nullable: true })
  acknowledgedByName!: string | null;

  /** 回复: what the receiving unit answered (整改情况), when, and who. */
  @Column('text', { nullable: true })
  reply!: string | null;

  @Column('timestamptz', { nullable: true })
  repliedAt!: Date | null;

  @Column('uuid', { nullable: true })
  repliedById!: string | null;

  @Column('varchar', { length: 64, nullable: true })
  repliedByName!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
