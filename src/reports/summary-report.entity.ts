import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Campaign } from '../campaigns/campaign.entity';
import { OrgUnit } from '../orgs/org-unit.entity';

/** 总结报告: one per township per campaign, filed in the summary phase, figures frozen at filing. */
@Entity('summary_reports')
@Index('uq_summary_reports_township', ['campaignId', 'townshipId'], { unique: true })
export class SummaryReport {
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

  @Column('uuid')
  townshipId!: string;

  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'township_id' })
  township?: OrgUnit;

  @Column('text')
  text!: string;

  /** The township's figures at filing time; never recomputed. */
  @Column('jsonb')
  figures!: Record<string, unknown>;

  @Column('uuid')
  filedById!: string;

  @Column('varchar', { length: 64 })
  filedByName!: string;

  @Column('timestamptz')
  filedAt!: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
