import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { JwtService } from '@nestjs/jwt';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, IsNull, Repository } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { DomainError } from '../common/errors/domain-error';
import { UserDirectory } from '../users/user-directory';
import { revokeAllRefreshTokens, UsersService } from '../users/users.service';
import { AuthUser, toAuthUser } from './auth-user';
import { LoginAttempts } from './login-attempts.service';
import { DUMMY_PASSWORD_HASH, PasswordHasher } from './password-hasher';
import { RefreshToken } from './refresh-token.entity';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

/** Claims of our access tokens; `typ` keeps other JWTs signed with the same key from passing as access tokens. */
export interface AccessClaims {
  sub: string;
  cty: string;
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
    @InjectRepository(RefreshToken) private readonly refreshTokens: Repository<RefreshToken>,
  ) {}

  /**
   * Checks a username and password. A wrong password, a locked or deactivated
   * account and an unknown user all get the same answer, and all cost one
   * password hash, so neither the answer nor its timing tells them apart.
   */
  async validateCredentials(username: string, password: string): Promise<AuthUser> {
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
    else if (await this.attempts.succeeded(user)) return toAuthUser(user);
    throw refused;
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

  async issueTokens(user: AuthUser): Promise<TokenPair> {
    const refreshToken = randomBytes(32).toString('base64url');
    await this.refreshTokens.insert({
      countyId: user.countyId,
      userId: user.id,
      tokenHash: sha256(refreshToken),
      expiresAt: new Date(Date.now() + this.config.REFRESH_TTL_DAYS * 86_400_000),
    });
    const claims: AccessClaims = { sub: user.id, cty: user.countyId, typ: 'access' };
    return {
      accessToken: await this.jwt.signAsync(claims),
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: this.config.JWT_ACCESS_TTL_SECONDS,
    };
  }

  /**
   * Rotates a refresh token. A token that was already used (revoked) is a sign
   * of theft: every session of that user is revoked.
   */
  async refresh(presented: string): Promise<TokenPair> {
    const invalid = new DomainError('INVALID_REFRESH_TOKEN', '刷新令牌无效或已过期，请重新登录');
    const userId = await this.dataSource.transaction(async (tx) => {
      const row = await tx.findOne(RefreshToken, { where: { tokenHash: sha256(presented) }, lock: { mode: 'pessimistic_write' } });
      if (!row) return null;
      if (row.revokedAt) {
        await revokeAllRefreshTokens(tx, row.userId);
        return null;
      }
      if (row.expiresAt.getTime() <= Date.now()) return null;
      await tx.update(RefreshToken, { id: row.id }, { revokedAt: new Date() });
      return row.userId;
    });
    if (!userId) throw invalid;
    const user = await this.users.findActiveById(userId);
    if (!user) throw invalid;
    return this.issueTokens(toAuthUser(user));
  }

  /** Revokes the presented refresh token; unknown tokens are ignored so logout is always safe to retry. */
  async logout(presented: string): Promise<void> {
    await this.refreshTokens.update({ tokenHash: sha256(presented), revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  /**
   * The caller of a verified access token: the token says who, the directory
   * (a short-lived in-process cache, forgotten on deactivation and password
   * reset) says whether they are still active and what they are.
   */
  async userForAccessToken(claims: AccessClaims): Promise<AuthUser | null> {
    if (claims.typ !== 'access' || typeof claims.sub !== 'string') return null;
    const user = await this.directory.activeUser(claims.sub);
    return user && user.countyId === claims.cty ? user : null;
  }
}
