import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { Campaign } from '../campaigns/campaign.entity';
import { ProblemItem } from '../items/problem-item.entity';
import { OrgUnit } from '../orgs/org-unit.entity';

/** How a draw sizes its sample in each township: a share of the settled items, or a number of them. */
export type DrawMode = 'percent' | 'count';

/** One settled item as the draw saw it: what the selection is computed from. */
export interface DrawPopulationEntry {
  id: string;
  number: number;
  townshipId: string;
  /** The village (or the township itself, for a township-level item). */
  orgUnitId: string;
}

/**
 * 抽查复核 draw: a random sample of a campaign's closed and dismissed items,
 * drawn by the county office or a supervision group. The seed is generated
 * by the service and kept with the population it was applied to, so anyone
 * can recompute the sample (draw-selection.ts); the draw is signed once (a
 * one-link chain, subject type `spot_check_draw`) over the seed, the
 * population's digest and the sample, and the database refuses UPDATE and
 * DELETE on the row. One draw per campaign, drawing unit and round.
 */
@Entity('spot_check_draws')
@Index('uq_spot_check_draws_round', ['campaignId', 'drawnByOrgUnitId', 'round'], { unique: true })
export class SpotCheckDraw {
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

  /** 第几轮: numbered by the drawing unit within the campaign. */
  @Column('integer')
  round!: number;

  @Column('varchar', { length: 8 })
  mode!: DrawMode;

  /** The percentage (1–100) or the count per township. */
  @Column('integer')
  value!: number;

  /** The townships drawn from (the drawer's covered townships, or those asked for). */
  @Column('uuid', { array: true })
  townshipIds!: string[];

  /** 32 random bytes from node:crypto, hex. */
  @Column('char', { length: 64 })
  seed!: string;

  /** The settled items the sample was drawn from, by number. */
  @Column('jsonb')
  population!: DrawPopulationEntry[];

  /** The county office, or the supervision group of the inspector who drew. */
  @Column('uuid')
  drawnByOrgUnitId!: string;

  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'drawn_by_org_unit_id' })
  drawnByOrgUnit?: OrgUnit;

  @Column('uuid')
  drawnById!: string;

  @Column('varchar', { length: 64 })
  drawnByName!: string;

  @Column('timestamptz')
  drawnAt!: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** An item a draw selected: the inspectors' worklist. Written with the draw, never changed. */
@Entity('spot_check_draw_items')
export class SpotCheckDrawItem {
  @PrimaryColumn('uuid')
  drawId!: string;

  @ManyToOne(() => SpotCheckDraw, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'draw_id' })
  draw?: SpotCheckDraw;

  @Index('ix_spot_check_draw_items_item')
  @PrimaryColumn('uuid')
  itemId!: string;

  @ManyToOne(() => ProblemItem, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'item_id' })
  item?: ProblemItem;

  @Column('uuid')
  countyId!: string;

  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id' })
  county?: OrgUnit;
}
