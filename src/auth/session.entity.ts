import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { OrgUnit } from '../orgs/org-unit.entity';
import { User } from '../users/user.entity';

/** Why a session ended (kept for the audit trail of who was signed out and why). */
export type SessionEndReason =
  'logout' | 'ended_by_user' | 'password_changed' | 'password_reset' | 'deactivated' | 'roles_changed' | 'refresh_reuse' | 'idle' | 'expired';

/**
 * One login: the refresh tokens it rotates through point to it, and every
 * access token carries its id (`sid`), so ending the session ends both at once.
 * Times are the service clock's (src/common/clock.ts).
 */
@Entity('sessions')
export class Session {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  countyId!: string;

  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id' })
  county?: OrgUnit;

  @Index('ix_sessions_user')
  @Column('uuid')
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column('timestamptz')
  createdAt!: Date;

  /** Updated at most once a minute by the request path, so idle time is known to within a minute. */
  @Column('timestamptz')
  lastSeenAt!: Date;

  /** The absolute end: SESSION_MAX_HOURS after login, however active. */
  @Column('timestamptz')
  expiresAt!: Date;

  @Column('timestamptz', { nullable: true })
  endedAt!: Date | null;

  @Column('varchar', { length: 32, nullable: true })
  endReason!: SessionEndReason | null;

  /**
   * The session's signing grant (等保 step-up: the password entered again to
   * sign): only its SHA-256 is kept. A new grant replaces the old one, so an
   * older grant no longer signs.
   */
  @Column('varchar', { length: 64, nullable: true })
  signingGrantHash!: string | null;

  @Column('timestamptz', { nullable: true })
  signingGrantExpiresAt!: Date | null;

  @Column('varchar', { length: 512, nullable: true })
  userAgent!: string | null;

  @Column('varchar', { length: 64, nullable: true })
  ip!: string | null;
}
