import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Role } from '../auth/roles';
import { OrgUnit } from '../orgs/org-unit.entity';

@Entity('users')
// No roles is allowed: an account an admin created whose roles a security admin has yet to set (三权分立); it can do nothing but log in and change its password.
@Check(
  'ck_users_roles',
  `roles <@ ARRAY['investigator', 'township_leader', 'county_office', 'department_staff', 'inspector', 'admin', 'security_admin', 'auditor']::text[]`,
)
export class User {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('ix_users_county')
  @Column('uuid')
  countyId!: string;

  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id' })
  county?: OrgUnit;

  @Index('uq_users_username', { unique: true })
  @Column('varchar', { length: 64 })
  username!: string;

  @Column('varchar', { length: 64 })
  displayName!: string;

  @Column('varchar', { length: 20, nullable: true })
  phone!: string | null;

  @Column('uuid')
  orgUnitId!: string;

  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'org_unit_id' })
  orgUnit?: OrgUnit;

  @Column('text', { array: true })
  roles!: Role[];

  /** scrypt$N$r$p$salt$hash — see PasswordHasher. Never leaves the service. */
  @Column('text')
  passwordHash!: string;

  @Column('boolean', { default: true })
  active!: boolean;

  /** Consecutive failed logins since the last success or the last lock; see AuthService. */
  @Column('integer', { default: 0 })
  failedLoginCount!: number;

  /** Logins are refused until then (null or past: not locked). */
  @Column('timestamptz', { nullable: true })
  lockedUntil!: Date | null;

  /** When the current password was set; it expires PASSWORD_MAX_AGE_DAYS later. */
  @Column('timestamptz', { default: () => 'now()' })
  passwordChangedAt!: Date;

  /** The password was given by an admin (create, reset): the user must change it before anything else. */
  @Column('boolean', { default: false })
  passwordChangeRequired!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
