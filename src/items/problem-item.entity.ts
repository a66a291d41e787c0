import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Campaign } from '../campaigns/campaign.entity';
import { residentIdColumn } from '../common/crypto/resident-id-keys';
import type { StoredStatus } from '../reports/report-tally';
import { OrgUnit } from '../orgs/org-unit.entity';
import { User } from '../users/user.entity';

/**
 * One problem (问题). `snapshot` is the persisted XState snapshot, the truth
 * about the item's lifecycle; the columns after it (state … longTerm) are
 * projections of its context, written in the same UPDATE, so lists and
 * reports can filter in SQL.
 */
@Entity('problem_items')
@Index('uq_problem_items_campaign_number', ['campaignId', 'number'], { unique: true })
@Index('ix_problem_items_campaign_state', ['campaignId', 'state'])
@Index('ix_problem_items_household', ['campaignId', 'householdIdIndex'], { where: 'household_id_index IS NOT NULL' })
@Index('uq_problem_items_import_key', ['campaignId', 'importKey'], { unique: true, where: 'import_key IS NOT NULL' })
// The inbox's arms (see migrations ProvinceIndexes, CountyReviewIndex): my items as investigator, my township's reviews, the county's reviews.
@Index('ix_problem_items_investigator_state', ['investigatorId', 'state'])
@Index('ix_problem_items_township_state', ['townshipId', 'state'])
@Index('ix_problem_items_review_state', ['reviewLevel', 'state'])
// In the migration only (DESC keys, text_pattern_ops): item pages newest first, and visibility by path prefix (LIKE).
@Index('ix_problem_items_campaign_created', { synchronize: false })
@Index('ix_problem_items_org_path_prefix', { synchronize: false })
@Index('ix_problem_items_campaign_state_created', { synchronize: false })
export class ProblemItem {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('ix_problem_items_county')
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

  /** 序号 within the campaign. */
  @Column('integer')
  number!: number;

  /** Where the problem is: village, township, department or county. */
  @Column('uuid')
  orgUnitId!: string;

  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'org_unit_id' })
  orgUnit?: OrgUnit;

  /** Copy of the org unit's path, so scope filters need no join. */
  @Index('ix_problem_items_org_path')
  @Column('text')
  orgUnitPath!: string;

  @Column('uuid', { nullable: true })
  townshipId!: string | null;

  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'township_id' })
  township?: OrgUnit | null;

  @Column('varchar', { length: 32 })
  problemTypeCode!: string;

  /** 具体问题 */
  @Column('text')
  description!: string;

  /** 户主姓名 */
  @Column('varchar', { length: 64, nullable: true })
  householdName!: string | null;

  /**
   * 身份证号码, full in memory, AES-256-GCM encrypted in the database
   * (`household_id_cipher`, key id inside); masked on the way out except to
   * county_office. Null too when the stored value does not decrypt.
   */
  @Column('text', { name: 'household_id_cipher', nullable: true, transformer: residentIdColumn })
  householdIdNumber!: string | null;

  /** Keyed index of the number (HMAC-SHA-256, residentIdIndex): exact search and duplicates without decrypting. */
  @Column('char', { length: 64, nullable: true })
  householdIdIndex!: string | null;

  /** 备注 */
  @Column('text', { nullable: true })
  remark!: string | null;

  /** 整改责任人 as a ledger row names them, until the reviewer names a user (CONFIRM). */
  @Column('varchar', { length: 64, nullable: true })
  plannedRectifierName!: string | null;

  /** 整改时限 as a ledger row gives it, until the reviewer sets the deadline (CONFIRM). */
  @Column('date', { nullable: true })
  plannedDeadline!: string | null;

  /** Fingerprint of the imported ledger row this item came from: re-importing a file creates no duplicates. */
  @Column('char', { length: 64, nullable: true })
  importKey!: string | null;

  @Column('uuid')
  investigatorId!: string;

  /**
   * 行业排查: the county department whose staff recorded the item (at a village,
   * a township or the department itself). The department sees it, and it is
   * reviewed by the county office. Null for items recorded by villages and townships.
   */
  @Index('ix_problem_items_sector_department')
  @Column('uuid', { nullable: true })
  sectorDepartmentId!: string | null;

  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'sector_department_id' })
  sectorDepartment?: OrgUnit | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'investigator_id' })
  investigator?: User;

  @Column('varchar', { length: 64 })
  workflowId!: string;

  @Column('integer')
  workflowVersion!: number;

  @Column('jsonb')
  snapshot!: Record<string, unknown>;

  @Column('integer', { default: 1 })
  version!: number;

  /** Seq of the last signature in this row's chain (0: none); written with the snapshot. */
  @Column('integer', { default: 0 })
  chainSeq!: number;

  /** Hash of the last signature in this row's chain: the next one's prevHash. */
  @Column('char', { length: 64, nullable: true })
  chainHead!: string | null;

  @Column('varchar', { length: 32 })
  state!: string;

  @Column('varchar', { length: 16 })
  reviewLevel!: string;

  @Column('text', { nullable: true })
  measures!: string | null;

  @Index('ix_problem_items_rectifier')
  @Column('uuid', { nullable: true })
  rectifierId!: string | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'rectifier_id' })
  rectifier?: User | null;

  @Column('uuid', { nullable: true })
  responsibleOrgUnitId!: string | null;

  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'responsible_org_unit_id' })
  responsibleOrgUnit?: OrgUnit | null;

  @Column('date', { nullable: true })
  deadline!: string | null;

  @Column('boolean', { default: false })
  fixedOnSite!: boolean;

  @Column('boolean', { default: false })
  extensionRequested!: boolean;

  @Column('integer', { default: 0 })
  reopenCount!: number;

  @Column('boolean', { default: false })
  inspected!: boolean;

  @Column('boolean', { default: false })
  longTerm!: boolean;

  @Column('text', { nullable: true })
  longTermPlan!: string | null;

  @Column('timestamptz', { nullable: true })
  closedAt!: Date | null;

  /** The item's status as the reports replay it, folded by every transition (report-tally.ts); null before the first. */
  @Column('jsonb', { nullable: true })
  reportStatus!: StoredStatus | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
