import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull, Not } from 'typeorm';
import { AuditService } from '../../audit/audit.service';
import { Clock } from '../../common/clock';
import { DomainError } from '../../common/errors/domain-error';
import { AppConfig } from '../../config/app-config';
import type { User } from '../../users/user.entity';
import { UsersService } from '../../users/users.service';
import type { AuthUser } from '../auth-user';
import { LoginAttempts } from '../login-attempts.service';
import { PasswordHasher } from '../password-hasher';
import { TotpRecoveryCode } from './recovery-code.entity';
import { hashRecoveryCode, newRecoveryCode, newRecoveryCodeSalt, normalizeRecoveryCode, RECOVERY_CODE_COUNT, recoveryCodeMatches } from './recovery-codes';
import { newTotpSecret, totpStepOf, totpUri } from './otp';
import { DEVELOPMENT_KEY_MATERIAL, TotpSecretBox } from './totp-secret-box';
import { UserTotp } from './user-totp.entity';

/** The name authenticator apps show above the account. */
export const TOTP_ISSUER = '清零';
/** How long "has TOTP on" is taken as read for the request path. Only a yes is cached: a no would hold back a user who just enrolled. */
const ENABLED_TTL_MS = 60_000;
const MAX_ENTRIES = 10_000;

export interface TotpStatus {
  enabled: boolean;
  enabledAt: Date | null;
  required: boolean;
  pending: boolean;
  recoveryCodesLeft: number;
}

export interface TotpEnrolment {
  secret: string;
  uri: string;
  issuer: string;
  accountName: string;
}

/** What a login's second factor came to; AuthService turns it into the answer and the count of failures. */
export type LoginSecondFactor =
  | { kind: 'not_enrolled' }
  | { kind: 'missing' }
  | { kind: 'passed'; via: 'totp' | 'recovery_code' }
  | { kind: 'failed'; reason: 'wrong_totp' | 'totp_replay' | 'wrong_recovery_code' };

type CodeCheck = { ok: true } | { ok: false; reason: 'wrong_totp' | 'totp_replay' | 'wrong_recovery_code' };

const SIX_DIGITS = /^\d{6}$/;

/**
 * The second factor (等保 双因素; RFC 6238 TOTP via otplib): enrolment with a
 * pending secret confirmed by a code, login codes (±1 step, each time step
 * accepted once), single-use recovery codes stored as salted hashes, and which users
 * must have it (TOTP_REQUIRED_ROLES).
 */
@Injectable()
export class TotpService {
  private readonly logger = new Logger('TotpService');
  private readonly box: TotpSecretBox;
  private readonly enabledUntil = new Map<string, number>();
  /** Bumped by every forget: a read that began before one is not cached. */
  private epoch = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly users: UsersService,
    private readonly attempts: LoginAttempts,
  ) {
    // Not JwtSecret: without JWT_SECRET that is random per process, and every sealed secret would be lost at a restart.
    const material = config.TOTP_ENCRYPTION_KEY ?? config.JWT_SECRET;
    if (!material) this.logger.warn('neither TOTP_ENCRYPTION_KEY nor JWT_SECRET is set: TOTP secrets are sealed with a development key');
    this.box = new TotpSecretBox(material ?? DEVELOPMENT_KEY_MATERIAL);
  }

  /** Whether the user's roles oblige them to use a second factor (TOTP_REQUIRED_ROLES). */
  isRequiredFor(user: Pick<AuthUser, 'roles'>): boolean {
    const required = this.config.totpRequiredRoles;
    return user.roles.some((r) => required.includes(r));
  }

  /** Whether the user has an active authenticator (a yes is cached briefly; see ENABLED_TTL_MS). */
  async isEnabled(userId: string): Promise<boolean> {
    const until = this.enabledUntil.get(userId);
    if (until && until > Date.now()) return true;
    const epoch = this.epoch;
    const enabled = await this.dataSource.manager.exists(UserTotp, { where: { userId, enabledAt: Not(IsNull()) } });
    if (enabled && epoch === this.epoch) {
      if (this.enabledUntil.size >= MAX_ENTRIES) this.enabledUntil.delete(this.enabledUntil.keys().next().value!);
      this.enabledUntil.set(userId, Date.now() + ENABLED_TTL_MS);
    } else if (!enabled) this.enabledUntil.delete(userId);
    return enabled;
  }

  /** A user whose role requires TOTP and who has none may do nothing but enrol (TOTP_ENROLMENT_REQUIRED). */
  async enrolmentRequired(user: Pick<AuthUser, 'id' | 'roles'>): Promise<boolean> {
    return this.isRequiredFor(user) && !(await this.isEnabled(user.id));
  }

  /** What GET /api/auth/me tells the console: whether TOTP is on, and whether the user must enrol before anything else. */
  async flagsOf(user: Pick<AuthUser, 'id' | 'roles'>): Promise<{ totpEnabled: boolean; totpEnrolmentRequired: boolean }> {
    const totpEnabled = await this.isEnabled(user.id);
    return { totpEnabled, totpEnrolmentRequired: !totpEnabled && this.isRequiredFor(user) };
  }

  async status(caller: AuthUser): Promise<TotpStatus> {
    const row = await this.dataSource.manager.findOne(UserTotp, { where: { userId: caller.id } });
    const left = row?.enabledAt ? await this.dataSource.manager.count(TotpRecoveryCode, { where: { userId: caller.id, usedAt: IsNull() } }) : 0;
    return {
      enabled: !!row?.enabledAt,
      enabledAt: row?.enabledAt ?? null,
      required: this.isRequiredFor(caller),
      pending: !!row?.pendingSecret,
      recoveryCodesLeft: left,
    };
  }

  /**
   * Login, after the right password: the second factor of a user who has
   * TOTP on. A code's time step (or a recovery code) is used up here, by one
   * conditional UPDATE, so the same code cannot log in twice.
   */
  async atLogin(user: User, given: { totpCode?: string; recoveryCode?: string }): Promise<LoginSecondFactor> {
    const row = await this.dataSource.manager.findOne(UserTotp, { where: { userId: user.id } });
    if (!row?.secret) return { kind: 'not_enrolled' };
    if (given.totpCode === undefined && given.recoveryCode === undefined) return { kind: 'missing' };
    const check = given.totpCode !== undefined ? await this.useTotpCode(row, given.totpCode) : await this.useRecoveryCode(user, given.recoveryCode!);
    if (!check.ok) return { kind: 'failed', reason: check.reason };
    if (given.totpCode === undefined) await this.auditRecoveryCodeUsed(user, null);
    return { kind: 'passed', via: given.totpCode !== undefined ? 'totp' : 'recovery_code' };
  }

  /**
   * Starts enrolling an authenticator: a new secret, pending until a code from
   * it is confirmed; the only time the secret leaves the service. Replacing an
   * active authenticator takes a code from it (or a recovery code).
   */
  async startEnrolment(caller: AuthUser, code: string | undefined): Promise<TotpEnrolment> {
    const row = await this.dataSource.manager.findOne(UserTotp, { where: { userId: caller.id } });
    if (row?.secret) {
      if (code === undefined) throw DomainError.validation('code', '已启用双因素认证：更换验证器须输入当前的动态验证码或一个恢复码');
      await this.requireCode(caller, await this.activeUserOrThrow(caller), row, code);
    }
    const secret = newTotpSecret();
    const now = this.clock.now();
    await this.dataSource.transaction(async (tx) => {
      await tx
        .createQueryBuilder()
        .insert()
        .into(UserTotp)
        .values({ userId: caller.id, countyId: caller.countyId, pendingSecret: this.box.seal(secret), pendingSince: now })
        .orUpdate(['pending_secret', 'pending_since'], ['user_id'])
        .execute();
      await this.audit.record(caller, 'auth.totp_enrolment_started', 'user', caller.id, { replacing: !!row?.secret }, tx);
    });
    return {
      secret,
      uri: totpUri(secret, TOTP_ISSUER, caller.username),
      issuer: TOTP_ISSUER,
      accountName: caller.username,
    };
  }

  /**
   * Confirms the pending authenticator with a code from it: it becomes the
   * active one (replacing any earlier), and a new set of recovery codes is
   * issued — returned this once, stored only as salted hashes.
   */
  async confirm(caller: AuthUser, code: string): Promise<{ enabledAt: Date; recoveryCodes: string[] }> {
    const row = await this.dataSource.manager.findOne(UserTotp, { where: { userId: caller.id } });
    if (!row?.pendingSecret) throw new DomainError('CONFLICT', '没有待确认的验证器，请先开始绑定');
    const match = await this.match(row.pendingSecret, code, null);
    if (match === 'wrong' || match === 'replay') throw DomainError.validation('code', '动态验证码不正确，请确认手机时间准确后输入验证器当前显示的 6 位数字');
    const enabledAt = this.clock.now();
    const recoveryCodes = await this.dataSource.transaction(async (tx) => {
      const done = await tx
        .createQueryBuilder()
        .update(UserTotp)
        .set({ secret: row.pendingSecret, enabledAt, lastUsedStep: match.step, pendingSecret: null, pendingSince: null })
        .where('user_id = :id AND pending_secret = :pending', { id: caller.id, pending: row.pendingSecret })
        .execute();
      if (!done.affected) throw new DomainError('CONFLICT', '绑定已在别处更新，请重新开始绑定');
      const codes = await this.replaceRecoveryCodes(tx, caller);
      await this.audit.record(caller, 'auth.totp_enabled', 'user', caller.id, { replaced: !!row.secret, recoveryCodes: codes.length }, tx);
      return codes;
    });
    return { enabledAt, recoveryCodes };
  }

  /**
   * Turns TOTP off: the password and a code (or a recovery code) — wrong ones
   * count as failed logins. Refused for a user whose role requires TOTP.
   */
  async disable(caller: AuthUser, password: string, code: string): Promise<void> {
    if (this.isRequiredFor(caller)) throw DomainError.forbidden('您的角色须使用双因素认证，不能关闭');
    const row = await this.enabledRowOrThrow(caller);
    const user = await this.activeUserOrThrow(caller);
    if (!(await PasswordHasher.verify(password, user.passwordHash))) {
      await this.attempts.failed(user, 'wrong_current_password');
      throw DomainError.validation('password', '密码不正确');
    }
    await this.requireCode(caller, user, row, code);
    await this.dataSource.transaction(async (tx) => {
      await tx.delete(TotpRecoveryCode, { userId: caller.id });
      await tx.delete(UserTotp, { userId: caller.id });
      await this.audit.record(caller, 'auth.totp_disabled', 'user', caller.id, {}, tx);
    });
    this.forget(caller.id);
  }

  /** A new set of recovery codes (the old ones stop working), for a code or a recovery code. */
  async regenerateRecoveryCodes(caller: AuthUser, code: string): Promise<string[]> {
    const row = await this.enabledRowOrThrow(caller);
    await this.requireCode(caller, await this.activeUserOrThrow(caller), row, code);
    return this.dataSource.transaction(async (tx) => {
      const codes = await this.replaceRecoveryCodes(tx, caller);
      await this.audit.record(caller, 'auth.totp_recovery_codes_regenerated', 'user', caller.id, { recoveryCodes: codes.length }, tx);
      return codes;
    });
  }

  forget(userId: string): void {
    this.epoch++;
    this.enabledUntil.delete(userId);
  }

  private async enabledRowOrThrow(caller: AuthUser): Promise<UserTotp> {
    const row = await this.dataSource.manager.findOne(UserTotp, { where: { userId: caller.id } });
    if (!row?.secret) throw new DomainError('CONFLICT', '尚未启用双因素认证');
    return row;
  }

  /**
   * A signed-in user proves they hold the second factor (to replace or turn it
   * off, or for new recovery codes): six digits are a TOTP code, anything else
   * a recovery code. A wrong one counts as a failed login (it is a way to guess).
   */
  private async requireCode(caller: AuthUser, user: User, row: UserTotp, code: string): Promise<void> {
    const totp = SIX_DIGITS.test(code.trim());
    const check = totp ? await this.useTotpCode(row, code.trim()) : await this.useRecoveryCode(user, code);
    if (!check.ok) {
      await this.attempts.failed(user, check.reason);
      throw DomainError.validation(
        'code',
        check.reason === 'totp_replay' ? '该动态验证码已使用过，请等验证器显示下一个验证码' : totp ? '动态验证码不正确' : '恢复码不正确或已使用',
      );
    }
    if (!totp) await this.auditRecoveryCodeUsed(user, caller);
  }

  /** Checks a code against the active secret and uses up its time step (one conditional UPDATE: concurrent uses of one code, one wins). */
  private async useTotpCode(row: UserTotp, code: string): Promise<CodeCheck> {
    const match = await this.match(row.secret!, code, row.lastUsedStep);
    if (match === 'wrong') return { ok: false, reason: 'wrong_totp' };
    if (match === 'replay') return { ok: false, reason: 'totp_replay' };
    const used = await this.dataSource.manager
      .createQueryBuilder()
      .update(UserTotp)
      .set({ lastUsedStep: match.step })
      .where('user_id = :id AND secret = :secret AND (last_used_step IS NULL OR last_used_step < :step)', {
        id: row.userId,
        secret: row.secret,
        step: match.step,
      })
      .execute();
    return used.affected ? { ok: true } : { ok: false, reason: 'totp_replay' };
  }

  private async useRecoveryCode(user: User, input: string): Promise<CodeCheck> {
    const normalized = normalizeRecoveryCode(input);
    if (!normalized) return { ok: false, reason: 'wrong_recovery_code' };
    // Each code has its own salt: compare against the user's unused ones (at most ten), then use up the match.
    const unused = await this.dataSource.manager.find(TotpRecoveryCode, {
      where: { userId: user.id, usedAt: IsNull() },
      select: { id: true, salt: true, codeHash: true },
    });
    const match = unused.find((c) => recoveryCodeMatches(normalized, c));
    if (!match) return { ok: false, reason: 'wrong_recovery_code' };
    const used = await this.dataSource.manager.update(TotpRecoveryCode, { id: match.id, usedAt: IsNull() }, { usedAt: this.clock.now() });
    return used.affected ? { ok: true } : { ok: false, reason: 'wrong_recovery_code' };
  }

  /** The time step `code` belongs to within ±1 step of now, 'replay' when that step was already used, or 'wrong'. */
  private async match(sealed: string, code: string, lastUsedStep: number | null): Promise<{ step: number } | 'wrong' | 'replay'> {
    if (!SIX_DIGITS.test(code)) return 'wrong';
    const step = await totpStepOf(this.box.open(sealed), code, Math.floor(this.clock.now().getTime() / 1000));
    if (step === null) return 'wrong';
    if (lastUsedStep !== null && step <= lastUsedStep) return 'replay';
    return { step };
  }

  private async replaceRecoveryCodes(tx: EntityManager, caller: AuthUser): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await tx.delete(TotpRecoveryCode, { userId: caller.id });
    await tx.insert(
      TotpRecoveryCode,
      codes.map((c) => {
        const salt = newRecoveryCodeSalt();
        return { countyId: caller.countyId, userId: caller.id, salt, codeHash: hashRecoveryCode(normalizeRecoveryCode(c)!, salt), usedAt: null };
      }),
    );
    return codes;
  }

  private async activeUserOrThrow(caller: AuthUser): Promise<User> {
    const user = await this.users.findActiveById(caller.id);
    if (!user) throw new DomainError('UNAUTHENTICATED', '账号不存在或已停用');
    return user;
  }

  /** At login (no actor yet: like the other login events) or by the signed-in user; `left` tells an auditor when a user runs low. */
  private async auditRecoveryCodeUsed(user: User, actor: AuthUser | null): Promise<void> {
    const left = await this.dataSource.manager.count(TotpRecoveryCode, { where: { userId: user.id, usedAt: IsNull() } });
    const details = { username: user.username, at: actor ? 'account' : 'login', left };
    if (actor) await this.audit.record(actor, 'auth.totp_recovery_code_used', 'user', user.id, details);
    else await this.audit.recordWithoutActor(user.countyId, 'auth.totp_recovery_code_used', 'user', user.id, details);
  }
}
