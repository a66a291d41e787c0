import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

export const ORG_UNIT_KINDS = ['county', 'township', 'village', 'department', 'supervision_group'] as const;
export type OrgUnitKind = (typeof ORG_UNIT_KINDS)[number];

export const ORG_UNIT_KIND_LABELS: Record<OrgUnitKind, string> = {
  county: '县（区）',
  township: '乡镇（街道）',
  village: '行政村（社区）',
  department: '县直部门',
  supervision_group: '督查组',
};

/**
 * County → township → village, with departments and supervision groups under
 * the county. `path` is the chain of ids from the county down to this unit
 * (`/<county>/<township>/<village>/`), so a subtree is one prefix match.
 */
@Entity('org_units')
@Check('ck_org_units_kind', `kind IN ('county', 'township', 'village', 'department', 'supervision_group')`)
@Check('ck_org_units_code', `code ~ '^[0-9]{6}([0-9]{3}([0-9]{3})?)?$'`)
@Index('uq_org_units_county_code', ['countyId', 'code'], { unique: true, where: 'code IS NOT NULL' })
export class OrgUnit {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('ix_org_units_county')
  @Column('uuid')
  countyId!: string;

  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id' })
  county?: OrgUnit;

  @Column('uuid', { nullable: true })
  parentId!: string | null;

  @ManyToOne(() => OrgUnit, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'parent_id' })
  parent?: OrgUnit | null;

  @Column('varchar', { length: 32 })
  kind!: OrgUnitKind;

  /** 统计用区划代码 (12 digits; 6 for a county) where the unit has one. */
  @Column('varchar', { length: 12, nullable: true })
  code!: string | null;

  @Column('varchar', { length: 100 })
  name!: string;

  @Index('ix_org_units_path')
  @Column('text')
  path!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
