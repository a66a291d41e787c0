import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { OrgUnit } from './org-unit.entity';

/** Which townships a supervision group (督查组) covers. */
@Entity('supervision_coverage')
export class SupervisionCoverage {
  @PrimaryColumn('uuid')
  groupId!: string;

  @PrimaryColumn('uuid')
  townshipId!: string;

  @Column('uuid')
  countyId!: string;

  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id' })
  county?: OrgUnit;

  @ManyToOne(() => OrgUnit, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id' })
  group?: OrgUnit;

  @ManyToOne(() => OrgUnit, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'township_id' })
  township?: OrgUnit;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
