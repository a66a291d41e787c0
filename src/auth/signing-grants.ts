import { Injectable } from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import { UsersService } from '../users/users.service';
import type { AuthUser } from './auth-user';
import { LoginAttempts } from './login-attempts.service';
import { PasswordHasher } from './password-hasher';
import { SessionRegistry, SigningGrantState } from './session-registry';

/** The header a signing request carries its grant in. */
export const SIGNING_GRANT_HEADER = 'X-Signing-Grant';

export interface IssuedSigningGrant {
  grant: string;
  expiresAt: Date;
  /** Seconds from now: clients time the grant by this, not by their own clock's reading of expiresAt. */
  expiresIn: number;
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

function sameHash(grant: SigningGrantState | null, hash: string): grant is SigningGrantState {
  return !!grant && grant.hash.length === hash.length && timingSafeEqual(Buffer.from(grant.hash, 'hex'), Buffer.from(hash, 'hex'));
}

/**
 * Signing proves presence (等保 step-up). A signer enters their password
 * again and gets a signing grant: a random token whose SHA-256 is kept on
 * their session row, lasting SIGNING_GRANT_MINUTES. Every signed request
 * carries it (SignsWithGrant). The grant signs only with an access token of
 * the same session; a newer grant replaces it; it ends with its session.
 *
 * The check costs no SQL in the common case: the session's state, grant
 * included, was just read (or found fresh in the cache) by the request's
 * session check. A grant that does not match is read once more from the row,
 * since another instance of the service may have issued it.
 */
@Injectable()
export class SigningGrants {
  constructor(
    private readonly users: UsersService,
    private readonly attempts: LoginAttempts,
    private readonly sessions: SessionRegistry,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * A new grant for the caller's session, for their password. A wrong password
   * counts as a failed login (LOGIN_MAX_FAILURES lock the account); a locked
   * account gets no grant.
   */
  async issue(caller: AuthUser, password: string): Promise<IssuedSigningGrant> {
    const user = await this.users.findActiveById(caller.id);
    if (!user || !caller.sessionId) throw new DomainError('UNAUTHENTICATED', '未登录或登录已失效');
    if (this.attempts.isLocked(user)) {
      await this.attempts.failed(user, 'locked');
      throw locked();
    }
    if (!(await PasswordHasher.verify(password, user.passwordHash))) {
      await this.attempts.failed(user, 'wrong_signing_password');
      throw new DomainError('INVALID_CREDENTIALS', '密码不正确，未能确认签字', [{ field: 'password', message: '密码不正确' }]);
    }
    if (!(await this.attempts.succeeded(user))) throw locked();

    const grant = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const until = await this.sessions.grantSigning(
      caller.sessionId,
      caller.id,
      sha256(grant),
      new Date(now.getTime() + this.config.SIGNING_GRANT_MINUTES * 60_000),
    );
    if (!until) throw new DomainError('UNAUTHENTICATED', '未登录或登录已失效');
    await this.audit.record(caller, 'auth.signing_grant_issued', 'session', caller.sessionId, { expiresAt: until.toISOString() });
    return { grant, expiresAt: until, expiresIn: Math.max(0, Math.floor((until.getTime() - now.getTime()) / 1000)) };
  }

  /**
   * Refuses a signing request without a grant (SIGNING_GRANT_REQUIRED) or with
   * one that is not its session's current, unexpired grant
   * (SIGNING_GRANT_INVALID: expired, replaced by a newer one, another
   * session's or another user's). Refusals of a presented grant are audited.
   */
  async checkOrThrow(user: AuthUser, presented: string | undefined, route: string): Promise<void> {
    if (!presented) {
      throw new DomainError('SIGNING_GRANT_REQUIRED', '请输入登录密码确认签字', [{ field: SIGNING_GRANT_HEADER, message: '缺少签字确认' }]);
    }
    const hash = sha256(presented);
    let grant = user.sessionId ? await this.sessions.signingGrantOf(user.sessionId) : null;
    if (!sameHash(grant, hash) && user.sessionId) grant = await this.sessions.signingGrantOf(user.sessionId, true);
    if (!sameHash(grant, hash)) {
      await this.refused(user, 'not_current', route);
      throw invalid('签字确认无效（已被新的确认取代或不属于当前登录），请重新输入登录密码');
    }
    if (grant.expiresAt.getTime() <= this.clock.now().getTime()) {
      await this.refused(user, 'expired', route);
      throw invalid('签字确认已过期，请重新输入登录密码');
    }
  }

  private refused(user: AuthUser, reason: 'not_current' | 'expired', route: string): Promise<void> {
    return this.audit.record(user, 'auth.signing_grant_refused', 'session', user.sessionId ?? null, { reason, route });
  }
}

function locked(): DomainError {
  return new DomainError('INVALID_CREDENTIALS', '密码错误次数过多，账号已锁定，请稍后再试', [{ field: 'password', message: '账号已锁定' }]);
}

function invalid(message: string): DomainError {
  return new DomainError('SIGNING_GRANT_INVALID', message, [{ field: SIGNING_GRANT_HEADER, message: '签字确认无效或已过期' }]);
}
