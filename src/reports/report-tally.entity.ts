import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * report_tallies: the change of a day in a group's figures (report-tally.ts).
 * Written by the transitions (upsert, in their own statement), read by the
 * county's statistics, series and ranking.
 */
@Entity('report_tallies')
// The county's reads: every row of a campaign up to a day.
@Index('ix_report_tallies_campaign_day', ['campaignId', 'day'])
export class ReportTally {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'PK_report_tallies' })
  campaignId!: string;

  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'PK_report_tallies' })
  groupId!: string;

  @PrimaryColumn('varchar', { length: 32, primaryKeyConstraintName: 'PK_report_tallies' })
  problemTypeCode!: string;

  /** China calendar day of the change. */
  @PrimaryColumn('date', { primaryKeyConstraintName: 'PK_report_tallies' })
  day!: string;

  /** Every table is keyed by county (scoping, and distribution by county on Citus). */
  @Column('uuid')
  countyId!: string;

  @Column('integer', { default: 0 })
  found!: number;

  @Column('integer', { default: 0 })
  confirmed!: number;

  @Column('integer', { default: 0 })
  pendingReview!: number;

  @Column('integer', { default: 0 })
  rectifying!: number;

  @Column('integer', { default: 0 })
  pendingAcceptance!: number;

  @Column('integer', { default: 0 })
  closed!: number;

  @Column('integer', { default: 0 })
  dismissed!: number;

  @Column('integer', { default: 0 })
  reopened!: number;

  @Column('bigint', { default: 0 })
  closeMs!: string;

  /** Items that become overdue (+) or stop being so (−) on the day; may lie ahead (the day after a deadline). */
  @Column('integer', { default: 0 })
  overdue!: number;
}
