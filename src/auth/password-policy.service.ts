import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Clock, DAY_MS } from '../common/clock';
import { DomainError } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import { DEMO_USERNAMES } from '../demo/demo-accounts';
import type { AuthUser } from './auth-user';
import { PasswordHasher } from './password-hasher';
import { PasswordPolicySetting } from './password-policy-setting.entity';
import { loadCommonPasswords, passwordProblem, passwordRules } from './password-policy';

/** The numbers of a password policy; the rest of it (common passwords, the username, control characters) is fixed. */
export interface PasswordPolicyValues {
  minLength: number;
  minCharClasses: number;
  /** 0: passwords do not expire (possible in the configured defaults only). */
  maxAgeDays: number;
  historySize: number;
}

/** A county's policy: what its security admin set, or the configured defaults while they have set nothing. */
export interface CountyPasswordPolicy extends PasswordPolicyValues {
  source: 'default' | 'county';
  updatedBy: string | null;
  updatedAt: Date | null;
}

/** How long a county's policy is taken as read; bounds what another instance still applies after a change. */
const TTL_MS = 60_000;

/**
 * The password policy: what a new password must be, and when a user must
 * change theirs. Each county's security admin sets its numbers
 * (PUT /api/security/password-policy); until then the configuration's apply.
 *
 * Cheap on the request path: a county's policy is read once a minute at most
 * (PasswordChangeGuard awaits `of` on every request, a cache hit without SQL)
 * and forgotten at once in this process when it changes; the synchronous
 * checks (`changeRequired`, `rules`) use what was last read.
 */
@Injectable()
export class PasswordPolicy {
  private readonly blocklist = loadCommonPasswords();
  private readonly cache = new Map<string, { policy: CountyPasswordPolicy; until: number }>();
  /** Bumped by every change: a read that began before one is not cached. */
  private epoch = 0;

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    @InjectRepository(PasswordPolicySetting) private readonly settings: Repository<PasswordPolicySetting>,
    private readonly audit: AuditService,
  ) {}

  /** The configured policy, which a county has until its security admin sets its own. */
  get defaults(): PasswordPolicyValues {
    return {
      minLength: this.config.PASSWORD_MIN_LENGTH,
      minCharClasses: 3,
      maxAgeDays: this.config.PASSWORD_MAX_AGE_DAYS,
      historySize: this.config.PASSWORD_HISTORY,
    };
  }

  /** The county's policy (read at most once a minute per process; inside a transaction pass its manager). */
  async of(countyId: string, manager: EntityManager = this.settings.manager): Promise<CountyPasswordPolicy> {
    const hit = this.cache.get(countyId);
    if (hit && hit.until > Date.now()) return hit.policy;
    const epoch = this.epoch;
    const row = await manager.findOneBy(PasswordPolicySetting, { countyId });
    const policy: CountyPasswordPolicy = row
      ? {
          minLength: row.minLength,
          minCharClasses: row.minCharClasses,
          maxAgeDays: row.maxAgeDays,
          historySize: row.historySize,
          source: 'county',
          updatedBy: row.updatedBy,
          updatedAt: row.updatedAt,
        }
      : { ...this.defaults, source: 'default', updatedBy: null, updatedAt: null };
    if (epoch === this.epoch) this.cache.set(countyId, { policy, until: Date.now() + TTL_MS });
    return policy;
  }

  /** The county's policy as last read, without a query (the defaults if it has not been read in this process). */
  private current(countyId: string): PasswordPolicyValues {
    return this.cache.get(countyId)?.policy ?? this.defaults;
  }

  /** Sets the county's policy (validated by the DTO), audited with what it was before; applies at once in this process. */
  async update(actor: AuthUser, values: PasswordPolicyValues): Promise<CountyPasswordPolicy> {
    const before = await this.of(actor.countyId);
    const now = this.clock.now();
    await this.settings.manager.transaction(async (tx) => {
      await tx.upsert(PasswordPolicySetting, { countyId: actor.countyId, ...values, updatedBy: actor.id, updatedAt: now }, ['countyId']);
      await this.audit.record(
        actor,
        'security.password_policy_changed',
        'password_policy',
        actor.countyId,
        { before: pick(before), after: pick(values), previousSource: before.source },
        tx,
      );
    });
    this.epoch++;
    this.cache.delete(actor.countyId);
    return this.of(actor.countyId);
  }

  rules(countyId: string): string[] {
    const p = this.current(countyId);
    return passwordRules(p.minLength, p.minCharClasses, p.historySize);
  }

  /** 400 naming `field` with the rule the password breaks (reuse is checked by assertNotReused). */
  async assertAcceptable(countyId: string, field: string, password: string, username: string, manager?: EntityManager): Promise<void> {
    const p = await this.of(countyId, manager);
    const problem = passwordProblem(password, { minLength: p.minLength, minCharClasses: p.minCharClasses, username, blocklist: this.blocklist });
    if (problem) throw DomainError.validation(field, problem);
  }

  /** 400 naming `field` when the password matches one of `recentHashes` (newest first; only the county's history size are looked at). */
  async assertNotReused(countyId: string, field: string, password: string, recentHashes: string[]): Promise<void> {
    const { historySize } = await this.of(countyId);
    for (const hash of recentHashes.slice(0, historySize)) {
      if (await PasswordHasher.verify(password, hash)) {
        throw DomainError.validation(field, `新密码不能与最近 ${historySize} 次使用过的密码相同`);
      }
    }
  }

  /**
   * Whether the user must change their password before anything else: an
   * admin gave it, or it is older than the county's maximum age. The demo
   * accounts are exempt in demo mode only.
   */
  changeRequired(user: Pick<AuthUser, 'username' | 'credential'> & { countyId?: string }): boolean {
    if (this.config.demoData && DEMO_USERNAMES.has(user.username)) return false;
    if (user.credential.mustChange) return true;
    const maxAgeDays = user.countyId ? this.current(user.countyId).maxAgeDays : this.defaults.maxAgeDays;
    return maxAgeDays > 0 && user.credential.changedAt.getTime() + maxAgeDays * DAY_MS <= this.clock.now().getTime();
  }

  /** How many recent passwords the county keeps and refuses on change. */
  async historySize(countyId: string): Promise<number> {
    return (await this.of(countyId)).historySize;
  }

  /** Whether a password an admin sets must be changed by its user (configuration only: not a county setting). */
  get changeOnAdminSet(): boolean {
    return this.config.PASSWORD_CHANGE_ON_ADMIN_SET;
  }
}

function pick(p: PasswordPolicyValues): PasswordPolicyValues {
  return { minLength: p.minLength, minCharClasses: p.minCharClasses, maxAgeDays: p.maxAgeDays, historySize: p.historySize };
}
