import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { OrgUnit } from '../orgs/org-unit.entity';
import { User } from '../users/user.entity';

/**
 * 委派: a reviewer (township leader or county office user) hands their review
 * and acceptance duties to another user of the same org unit for the days
 * `startsOn`–`endsOn` (China's calendar, both included), or until ended early.
 * Rows are never deleted: who stood in for whom is part of the record.
 */
@Entity('delegations')
@Check('ck_delegations_days', `ends_on >= starts_on`)
@Check('ck_delegations_people', `delegate_id <> delegator_id`)
export class Delegation {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  countyId!: string;

  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id' })
  county?: OrgUnit;

  /** The unit both people belong to. */
  @Column('uuid')
  orgUnitId!: string;

  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'org_unit_id' })
  orgUnit?: OrgUnit;

  @Index('ix_delegations_delegator')
  @Column('uuid')
  delegatorId!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'delegator_id' })
  delegator?: User;

  @Index('ix_delegations_delegate')
  @Column('uuid')
  delegateId!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'delegate_id' })
  delegate?: User;

  @Column('date')
  startsOn!: string;

  @Column('date')
  endsOn!: string;

  @Column('text', { nullable: true })
  reason!: string | null;

  @Column('uuid')
  createdById!: string;

  @Column('timestamptz')
  createdAt!: Date;

  /** Ended before `endsOn` (结束委派); null while it runs its course. */
  @Column('timestamptz', { nullable: true })
  endedAt!: Date | null;

  @Column('uuid', { nullable: true })
  endedById!: string | null;
}
