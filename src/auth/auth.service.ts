import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { JwtService } from '@nestjs/jwt';
import { isUUID } from 'class-validator';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AppConfig } from '../config/app-config';
import { DomainError } from '../common/errors/domain-error';
import { UserDirectory } from '../users/user-directory';
import { UsersService } from '../users/users.service';
import { Clock } from '../common/clock';
import { AuthUser, toAuthUser } from './auth-user';
import { LoginAttempts } from './login-attempts.service';
import { DUMMY_PASSWORD_HASH, PasswordHasher } from './password-hasher';
import { RefreshToken } from './refresh-token.entity';
import { SessionClient, SessionRegistry } from './session-registry';
import { Session } from './session.entity';
import { TotpService } from './totp/totp.service';
import type { User } from '../users/user.entity';

/** The second factor a login may carry (LoginDto.totpCode / recoveryCode). */
export interface SecondFactorInput {
  totpCode?: string;
  recoveryCode?: string;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

/**
 * Claims of our access tokens; `typ` keeps other JWTs signed with the same key
 * from passing as access tokens; `sid` is the session, checked on every request.
 */
export interface AccessClaims {
  sub: string;
  cty: string;
  sid: string;
  typ: 'access';
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

export { toAuthUser };

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly directory: UserDirectory,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly attempts: LoginAttempts,
    private readonly sessions: SessionRegistry,
    private readonly clock: Clock,
    private readonly totp: TotpService,
    private readonly audit: AuditService,
    @InjectRepository(RefreshToken) private readonly refreshTokens: Repository<RefreshToken>,
  ) {}

  /**
   * Checks a username and password. A wrong password, a locked or deactivated
   * account and an unknown user all get the same answer, and all cost one
   * password hash, so neither the answer nor its timing tells them apart.
   * Only then, for the right password of an active, unlocked account with
   * TOTP on, the second factor: none given is 401 TOTP_REQUIRED (not a
   * failure, and no reset of the count either), a wrong or replayed one is
   * 401 TOTP_INVALID and counts as a failed login.
   */
  async validateCredentials(username: string, password: string, second: SecondFactorInput = {}): Promise<AuthUser> {
    const user = await this.users.findByUsername(username);
    const ok = await PasswordHasher.verify(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
    const refused = new DomainError('INVALID_CREDENTIALS', '用户名或密码错误');
    if (!user) {
      this.attempts.unknownUser(username);
      throw refused;
    }
    if (!user.active) await this.attempts.failed(user, 'inactive');
    else if (this.attempts.isLocked(user)) await this.attempts.failed(user, 'locked');
    else if (!ok) await this.attempts.failed(user, 'wrong_password');
    else {
      await this.checkSecondFactor(user, second);
      if (await this.attempts.succeeded(user)) return toAuthUser(user);
    }
    throw refused;
  }

  private async checkSecondFactor(user: User, second: SecondFactorInput): Promise<void> {
    const verdict = await this.totp.atLogin(user, second);
    if (verdict.kind === 'missing') throw new DomainError('TOTP_REQUIRED', '此账号已启用双因素认证，请输入身份验证器显示的 6 位动态验证码（或一个恢复码）');
    if (verdict.kind !== 'failed') return;
    await this.attempts.failed(user, verdict.reason);
    const message =
      verdict.reason === 'totp_replay'
        ? '该动态验证码已使用过，请等身份验证器显示下一个验证码后再输入'
        : verdict.reason === 'wrong_recovery_code'
          ? '恢复码不正确或已使用'
          : '动态验证码不正确';
    throw new DomainError('TOTP_INVALID', message);
  }

  /**
   * The caller changes their own password. A wrong current password counts
   * as a failed login (it is a way to guess it too).
   */
  async changePassword(caller: AuthUser, currentPassword: string, newPassword: string): Promise<void> {
    const user = await this.users.findActiveById(caller.id);
    if (!user) throw new DomainError('UNAUTHENTICATED', '账号不存在或已停用');
    if (!(await PasswordHasher.verify(currentPassword, user.passwordHash))) {
      await this.attempts.failed(user, 'wrong_current_password');
      throw DomainError.validation('currentPassword', '当前密码不正确');
    }
    await this.users.changeOwnPassword(caller, user, newPassword);
  }

  /** A login: a new session and its first pair of tokens. */
  async login(user: AuthUser, client: SessionClient): Promise<TokenPair> {
    const session = await this.sessions.start(user.id, user.countyId, client);
    await this.audit.record(user, 'auth.login', 'user', user.id, { sessionId: session.id, userAgent: client.userAgent });
    return this.issueTokens(user, session);
  }

  private async issueTokens(
    user: AuthUser,
    session: Pick<Session, 'id' | 'expiresAt'>,
    manager: EntityManager = this.refreshTokens.manager,
  ): Promise<TokenPair> {
    const refreshToken = randomBytes(32).toString('base64url');
    const ttlEnd = Date.now() + this.config.REFRESH_TTL_DAYS * 86_400_000;
    await manager.insert(RefreshToken, {
      countyId: user.countyId,
      userId: user.id,
      sessionId: session.id,
      tokenHash: sha256(refreshToken),
      // No use after the session's absolute end (on the service clock).
      expiresAt: new Date(Math.min(ttlEnd, Date.now() + (session.expiresAt.getTime() - this.clock.now().getTime()))),
    });
    const claims: AccessClaims = { sub: user.id, cty: user.countyId, sid: session.id, typ: 'access' };
    return {
      accessToken: await this.jwt.signAsync(claims),
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: this.config.JWT_ACCESS_TTL_SECONDS,
    };
  }

  /**
   * Rotates a refresh token within its session. A token already rotated
   * (revoked while its session is live) is a sign of theft: every session of
   * that user ends. A token of an ended, idle or expired session is simply
   * refused. Refreshing is not use: it does not keep an idle session alive.
   */
  async refresh(presented: string): Promise<TokenPair> {
    const invalid = new DomainError('INVALID_REFRESH_TOKEN', '刷新令牌无效或已过期，请重新登录');
    const outcome = await this.dataSource.transaction(
      async (tx): Promise<{ ended: true; userId: string } | { ended: false; userId: string; session: Session } | null> => {
        const row = await tx.findOne(RefreshToken, { where: { tokenHash: sha256(presented) }, lock: { mode: 'pessimistic_write' } });
        if (!row) return null;
        const session = await tx.findOne(Session, { where: { id: row.sessionId } });
        if (!session || session.endedAt) return null;
        const lapse = this.sessions.lapse(session, this.clock.now());
        if (lapse) {
          await this.sessions.end(session.id, lapse, tx);
          return { ended: true, userId: row.userId };
        }
        if (row.revokedAt) {
          await this.sessions.endAllOf(tx, row.userId, 'refresh_reuse');
          return { ended: true, userId: row.userId };
        }
        if (row.expiresAt.getTime() <= Date.now()) return null;
        await tx.update(RefreshToken, { id: row.id }, { revokedAt: new Date() });
        return { ended: false, userId: row.userId, session };
      },
    );
    if (!outcome) throw invalid;
    if (outcome.ended) {
      this.sessions.forgetUser(outcome.userId);
      throw invalid;
    }
    const user = await this.users.findActiveById(outcome.userId);
    if (!user) throw invalid;
    return this.issueTokens(toAuthUser(user), outcome.session);
  }

  /** Ends the session of the presented refresh token; unknown tokens are ignored so logout is always safe to retry. */
  async logout(presented: string): Promise<void> {
    const row = await this.refreshTokens.findOne({ where: { tokenHash: sha256(presented) }, select: { id: true, sessionId: true } });
    if (!row) return;
    await this.sessions.end(row.sessionId, 'logout');
    const [session]: Array<{ county_id: string; user_id: string }> = await this.dataSource.query(`SELECT county_id, user_id FROM sessions WHERE id = $1`, [
      row.sessionId,
    ]);
    if (session) await this.audit.recordWithoutActor(session.county_id, 'auth.logout', 'user', session.user_id, { sessionId: row.sessionId });
  }

  /** The caller's live sessions, theirs marked `current`. */
  async sessionsOf(caller: AuthUser): Promise<Array<Session & { current: boolean }>> {
    const rows = await this.sessions.liveOf(caller.id);
    return rows.map((s) => Object.assign(s, { current: s.id === caller.sessionId }));
  }

  /** Ends one of the caller's sessions (the current one too: that is a logout); another user's is 404. */
  endSession(caller: AuthUser, id: string): Promise<void> {
    return this.sessions.endOwnOrThrow(caller.id, id);
  }

  /**
   * The caller of a verified access token: the token says who, the directory
   * (a short-lived in-process cache, forgotten on deactivation and password
   * reset) says whether they are still active and what they are, and the
   * session registry (likewise cached) whether the token's session is live.
   */
  async userForAccessToken(claims: AccessClaims): Promise<AuthUser | null> {
    if (claims.typ !== 'access' || typeof claims.sub !== 'string' || !isUUID(claims.sid)) return null;
    const user = await this.directory.activeUser(claims.sub);
    if (!user || user.countyId !== claims.cty) return null;
    if (!(await this.sessions.isLive(claims.sid, user.id))) return null;
    return { ...user, sessionId: claims.sid };
  }
}
