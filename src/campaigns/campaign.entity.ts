import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { CampaignPhase } from '../../workflows/campaign/campaign.types';
import type { ProblemTypeNode } from './presets/campaign-preset.types';
import type { CampaignSector } from './campaign-sectors';
import { OrgUnit } from '../orgs/org-unit.entity';

/**
 * A campaign (专项行动). `snapshot` is the persisted XState snapshot and the
 * truth about its lifecycle; `state` and `phaseIndex` are projections of it
 * written in the same UPDATE, for queries.
 */
@Entity('campaigns')
export class Campaign {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('ix_campaigns_county')
  @Column('uuid')
  countyId!: string;

  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id' })
  county?: OrgUnit;

  /** Set for a township's own campaign (干汊河's plan): run by its township leader, items only in it. Null: a county campaign. */
  @Index('ix_campaigns_township')
  @Column('uuid', { nullable: true })
  townshipId!: string | null;

  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'township_id' })
  township?: OrgUnit | null;

  @Column('varchar', { length: 200 })
  title!: string;

  /** 文号, e.g. 霍扶组〔2021〕5号 */
  @Column('varchar', { length: 100 })
  docNumber!: string;

  @Column('varchar', { length: 32, nullable: true })
  presetKey!: string | null;

  @Column('jsonb')
  phases!: CampaignPhase[];

  @Column('jsonb')
  problemTypes!: ProblemTypeNode[];

  /**
   * 行业排查: which county departments own which problem types in this
   * campaign (a department's sector). A mapped inner node covers its subtree.
   * See campaign-sectors.ts.
   */
  @Column('jsonb', { default: () => "'[]'" })
  sectors!: CampaignSector[];

  @Column('varchar', { length: 64 })
  workflowId!: string;

  @Column('integer')
  workflowVersion!: number;

  @Column('varchar', { length: 32 })
  state!: string;

  @Column('integer')
  phaseIndex!: number;

  @Column('jsonb')
  snapshot!: Record<string, unknown>;

  /** Optimistic concurrency: every transition is `UPDATE … WHERE version = $n`. */
  @Column('integer', { default: 1 })
  version!: number;

  /** Seq of the last signature in this row's chain (0: none); written with the snapshot. */
  @Column('integer', { default: 0 })
  chainSeq!: number;

  /** Hash of the last signature in this row's chain: the next one's prevHash. */
  @Column('char', { length: 64, nullable: true })
  chainHead!: string | null;

  /** Next item number (序号) within the campaign. */
  @Column('integer', { default: 0 })
  itemSeq!: number;

  @Column('uuid')
  createdById!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
