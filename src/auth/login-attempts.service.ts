import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import type { User } from '../users/user.entity';

/** Why a password check of a known account failed, as the audit log records it. */
export type FailureReason =
  | 'wrong_password'
  | 'locked'
  | 'inactive'
  | 'wrong_current_password'
  | 'wrong_signing_password'
  // the second factor (TOTP): a wrong code, a code of a time step already used, a wrong or used recovery code
  | 'wrong_totp'
  | 'totp_replay'
  | 'wrong_recovery_code';

/**
 * Per-account counting of failed logins, kept on the users row so every
 * instance of the service agrees. Each count is one statement that locks the
 * row and updates it (no read-modify-write across statements): LOGIN_MAX_FAILURES
 * consecutive failures lock the account for LOGIN_LOCK_MINUTES; a lock that
 * has run out is lifted (and audited) by the next attempt; a success resets the count.
 */
@Injectable()
export class LoginAttempts {
  private readonly logger = new Logger('LoginAttempts');

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  /** Whether the account is locked at this moment (as last read; `succeeded` decides atomically). */
  isLocked(user: Pick<User, 'lockedUntil'>): boolean {
    return !!user.lockedUntil && user.lockedUntil.getTime() > this.clock.now().getTime();
  }

  /** A password that did not match for `user`: counts it (unless locked or inactive), locks at the limit, audits. */
  async failed(user: User, reason: FailureReason): Promise<void> {
    if (reason === 'locked' || reason === 'inactive') {
      await this.auditFailure(user, reason, {});
      return;
    }
    const now = this.clock.now();
    const lockUntil = new Date(now.getTime() + this.config.LOGIN_LOCK_MINUTES * 60_000);
    const [rows] = (await this.dataSource.query(
      `WITH prev AS (SELECT id, failed_login_count, locked_until FROM users WHERE id = $1 FOR UPDATE),
            next AS (SELECT id, CASE WHEN locked_until IS NOT NULL THEN 1 ELSE failed_login_count + 1 END AS failures FROM prev)
       UPDATE users u
          SET failed_login_count = next.failures,
              locked_until = CASE WHEN next.failures >= $3 THEN $4::timestamptz ELSE NULL END
         FROM prev JOIN next ON next.id = prev.id
        WHERE u.id = prev.id AND (prev.locked_until IS NULL OR prev.locked_until <= $2)
    RETURNING next.failures AS failures, u.locked_until AS "lockedUntil", prev.locked_until AS "previousLock"`,
      [user.id, now, this.config.LOGIN_MAX_FAILURES, lockUntil],
    )) as [Array<{ failures: number; lockedUntil: Date | null; previousLock: Date | null }>, number];
    const row = rows[0];
    if (!row) {
      // Locked by a concurrent attempt between our read and this update.
      await this.auditFailure(user, 'locked', {});
      return;
    }
    if (row.previousLock) await this.auditUnlocked(user, row.previousLock);
    await this.auditFailure(user, reason, { failures: row.failures });
    if (row.lockedUntil) {
      await this.audit.recordWithoutActor(user.countyId, 'auth.account_locked', 'user', user.id, {
        username: user.username,
        failures: row.failures,
        lockedUntil: row.lockedUntil.toISOString(),
      });
    }
  }

  /**
   * The right password for an active account: resets the count and lifts a
   * lock that has run out. False when the account is locked (now, or by a
   * concurrent failure): the login must then be refused like any other.
   */
  async succeeded(user: User): Promise<boolean> {
    const [rows] = (await this.dataSource.query(
      `WITH prev AS (SELECT id, failed_login_count, locked_until FROM users WHERE id = $1 FOR UPDATE)
       UPDATE users u SET failed_login_count = 0, locked_until = NULL
         FROM prev
        WHERE u.id = prev.id AND (prev.locked_until IS NULL OR prev.locked_until <= $2)
    RETURNING prev.locked_until AS "previousLock"`,
      [user.id, this.clock.now()],
    )) as [Array<{ previousLock: Date | null }>, number];
    const row = rows[0];
    if (!row) {
      await this.auditFailure(user, 'locked', {});
      return false;
    }
    if (row.previousLock) await this.auditUnlocked(user, row.previousLock);
    return true;
  }

  /** An unknown username has no county to audit in: it goes to the service log only. */
  unknownUser(username: string): void {
    this.logger.warn(`login failed for unknown username ${JSON.stringify(username.slice(0, 64))}`);
  }

  private auditFailure(user: User, reason: FailureReason, extra: Record<string, unknown>): Promise<void> {
    return this.audit.recordWithoutActor(user.countyId, 'auth.login_failed', 'user', user.id, { username: user.username, reason, ...extra });
  }

  private auditUnlocked(user: User, lockedUntil: Date): Promise<void> {
    return this.audit.recordWithoutActor(user.countyId, 'auth.account_unlocked', 'user', user.id, {
      username: user.username,
      reason: 'expired',
      lockedUntil: new Date(lockedUntil).toISOString(),
    });
  }
}
