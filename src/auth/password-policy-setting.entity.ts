import { Check, Column, Entity, JoinColumn, ManyToOne, OneToOne, PrimaryColumn } from 'typeorm';
import { OrgUnit } from '../orgs/org-unit.entity';
import { User } from '../users/user.entity';

/**
 * A county's password policy as its security admin set it. No row: the
 * configured defaults (PASSWORD_MIN_LENGTH, PASSWORD_MAX_AGE_DAYS,
 * PASSWORD_HISTORY; three character classes). The bounds are the API's, kept
 * here too so no write can weaken the policy below them.
 */
@Entity('password_policies')
@Check('ck_password_policies_min_length', `min_length BETWEEN 8 AND 64`)
@Check('ck_password_policies_classes', `min_char_classes BETWEEN 3 AND 4`)
@Check('ck_password_policies_max_age', `max_age_days BETWEEN 1 AND 365`)
@Check('ck_password_policies_history', `history_size BETWEEN 1 AND 24`)
export class PasswordPolicySetting {
  @PrimaryColumn('uuid')
  countyId!: string;

  @OneToOne(() => OrgUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id' })
  county?: OrgUnit;

  @Column('integer')
  minLength!: number;

  /** Of upper case, lower case, digits, symbols. */
  @Column('integer')
  minCharClasses!: number;

  @Column('integer')
  maxAgeDays!: number;

  /** Recent passwords (the current one included) a change may not reuse. */
  @Column('integer')
  historySize!: number;

  @Column('uuid')
  updatedBy!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'updated_by' })
  updater?: User;

  @Column('timestamptz')
  updatedAt!: Date;
}
