import { Injectable } from '@nestjs/common';
import { Clock, DAY_MS } from '../common/clock';
import { DomainError } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import { DEMO_USERNAMES } from '../demo/demo-accounts';
import type { AuthUser } from './auth-user';
import { PasswordHasher } from './password-hasher';
import { loadCommonPasswords, passwordProblem, passwordRules } from './password-policy';

/** The configured password policy: what a new password must be, and when a user must change theirs. */
@Injectable()
export class PasswordPolicy {
  private readonly blocklist = loadCommonPasswords();

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  rules(): string[] {
    return passwordRules(this.config.PASSWORD_MIN_LENGTH);
  }

  /** 400 naming `field` with the rule the password breaks (reuse is checked by assertNotReused). */
  assertAcceptable(field: string, password: string, username: string): void {
    const problem = passwordProblem(password, { minLength: this.config.PASSWORD_MIN_LENGTH, username, blocklist: this.blocklist });
    if (problem) throw DomainError.validation(field, problem);
  }

  /** 400 naming `field` when the password matches one of `recentHashes` (newest first; only PASSWORD_HISTORY are looked at). */
  async assertNotReused(field: string, password: string, recentHashes: string[]): Promise<void> {
    for (const hash of recentHashes.slice(0, this.config.PASSWORD_HISTORY)) {
      if (await PasswordHasher.verify(password, hash)) {
        throw DomainError.validation(field, `新密码不能与最近 ${this.config.PASSWORD_HISTORY} 次使用过的密码相同`);
      }
    }
  }

  /**
   * Whether the user must change their password before anything else: an
   * admin gave it, or it is older than PASSWORD_MAX_AGE_DAYS. The demo
   * accounts are exempt in demo mode only.
   */
  changeRequired(user: Pick<AuthUser, 'username' | 'credential'>): boolean {
    if (this.config.demoData && DEMO_USERNAMES.has(user.username)) return false;
    if (user.credential.mustChange) return true;
    const maxAgeDays = this.config.PASSWORD_MAX_AGE_DAYS;
    return maxAgeDays > 0 && user.credential.changedAt.getTime() + maxAgeDays * DAY_MS <= this.clock.now().getTime();
  }

  /** How many recent passwords are kept and refused on change. */
  get historySize(): number {
    return this.config.PASSWORD_HISTORY;
  }

  /** Whether a password an admin sets must be changed by its user. */
  get changeOnAdminSet(): boolean {
    return this.config.PASSWORD_CHANGE_ON_ADMIN_SET;
  }
}
