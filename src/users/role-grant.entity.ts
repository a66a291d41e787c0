import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from '../auth/roles';
import { OrgUnit } from '../orgs/org-unit.entity';
import { User } from './user.entity';

export const ROLE_GRANT_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type RoleGrantStatus = (typeof ROLE_GRANT_STATUSES)[number];

/**
 * A request to grant one role to one user, in two hands (三权分立): an admin
 * proposes it, a security admin approves or rejects it. Rows are never
 * deleted; a decided request keeps who decided, when and why.
 */
@Entity('role_grants')
@Check(
  'ck_role_grants_role',
  `role IN ('investigator', 'township_leader', 'county_office', 'department_staff', 'inspector', 'admin', 'security_admin', 'auditor')`,
)
@Check('ck_role_grants_status', `status IN ('pending', 'approved', 'rejected')`)
@Check('ck_role_grants_decided', `(status = 'pending') = (decided_at IS NULL) AND (decided_at IS NULL) = (decided_by IS NULL)`)
@Check('ck_role_grants_two_people', `decided_by IS NULL OR (decided_by <> proposed_by AND decided_by <> user_id)`)
@Index('uq_role_grants_pending', ['userId', 'role'], { unique: true, where: `status = 'pending'` })
@Index('ix_role_grants_county_status', ['countyId', 'status'])
export class RoleGrant {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  countyId!: string;

  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id' })
  county?: OrgUnit;

  /** Who would receive the role. */
  @Column('uuid')
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column('varchar', { length: 32 })
  role!: Role;

  @Column('varchar', { length: 16, default: 'pending' })
  status!: RoleGrantStatus;

  @Column('uuid')
  proposedBy!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'proposed_by' })
  proposer?: User;

  @Column('timestamptz')
  proposedAt!: Date;

  /** Why the admin asks for it (optional). */
  @Column('varchar', { length: 200, nullable: true })
  reason!: string | null;

  @Column('uuid', { nullable: true })
  decidedBy!: string | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'decided_by' })
  decider?: User | null;

  @Column('timestamptz', { nullable: true })
  decidedAt!: Date | null;

  /** The security admin's comment (required when rejecting). */
  @Column('varchar', { length: 200, nullable: true })
  decisionComment!: string | null;
}
