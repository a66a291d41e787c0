import { Check, Column, Entity, JoinColumn, ManyToOne, OneToOne, PrimaryColumn } from 'typeorm';
import { OrgUnit } from '../../orgs/org-unit.entity';
import { User } from '../../users/user.entity';

/**
 * A user's second factor (TOTP, RFC 6238). Secrets are stored sealed (see
 * TotpSecretBox) and never leave the service after enrolment. The row holds
 * the active authenticator (`secret`, from `enabledAt`) and, while one is
 * being enrolled, the pending one, which becomes active when a code from it
 * is confirmed.
 */
@Entity('user_totp')
@Check('ck_user_totp_enabled', `(enabled_at IS NULL) = (secret IS NULL)`)
@Check('ck_user_totp_pending', `(pending_since IS NULL) = (pending_secret IS NULL)`)
export class UserTotp {
  @PrimaryColumn('uuid')
  userId!: string;

  @OneToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column('uuid')
  countyId!: string;

  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id' })
  county?: OrgUnit;

  /** The active secret, sealed; null while TOTP is off. */
  @Column('text', { nullable: true })
  secret!: string | null;

  /** When the active authenticator was confirmed; null: TOTP is off. */
  @Column('timestamptz', { nullable: true })
  enabledAt!: Date | null;

  /**
   * The last RFC 6238 time step a code was accepted for: a code of that step
   * or an earlier one is refused (no replay, even within the ±1 step window).
   */
  @Column('integer', { nullable: true })
  lastUsedStep!: number | null;

  /** The secret being enrolled, sealed; replaces `secret` when confirmed. */
  @Column('text', { nullable: true })
  pendingSecret!: string | null;

  @Column('timestamptz', { nullable: true })
  pendingSince!: Date | null;
}
