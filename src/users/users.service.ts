import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth-user';
import { PasswordHasher } from '../auth/password-hasher';
import { PasswordPolicy } from '../auth/password-policy.service';
import { ROLE_LABELS, roleSetProblem, type Role } from '../auth/roles';
import { SessionRegistry } from '../auth/session-registry';
import { Clock } from '../common/clock';
import { DomainError } from '../common/errors/domain-error';
import { OrgUnit } from '../orgs/org-unit.entity';
import { CreateUserDto, UpdateUserDto } from './dto/create-user.dto';
import { PasswordHistory } from './password-history.entity';
import { lockUserOrThrow, RolesService } from './roles.service';
import { User } from './user.entity';
import { UserDirectory } from './user-directory';

/** A user as the account lists show them: the row, the roles waiting for approval, whether it is locked now. */
export interface UserAccount {
  user: User;
  pendingRoles: Role[];
  locked: boolean;
}

/** Accounts whose password only a security admin resets: an admin who could would take them over (and approve their own proposals). */
const SECURITY_RESET_ROLES: readonly Role[] = ['security_admin', 'auditor'];

/**
 * User accounts. An admin creates, edits, deactivates and reactivates them and
 * resets passwords; roles are the security admin's (RolesService), as is
 * unlocking and resetting the passwords of security admins and auditors.
 */
@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly directory: UserDirectory,
    private readonly policy: PasswordPolicy,
    private readonly clock: Clock,
    private readonly sessions: SessionRegistry,
    private readonly roles: RolesService,
  ) {}

  /**
   * Creates a user. With an admin (`actor` set), the account starts without
   * roles and each requested role becomes a proposal for a security admin to
   * approve; the password must satisfy the county's policy and, unless
   * PASSWORD_CHANGE_ON_ADMIN_SET=false, be changed at first login. The demo
   * seed and county set-up (no actor) give the roles and passwords users keep.
   */
  async create(countyId: string, dto: CreateUserDto, actor: AuthUser | null, manager?: EntityManager): Promise<UserAccount> {
    if (!manager) return this.dataSource.transaction((tx) => this.create(countyId, dto, actor, tx));
    const roles = [...new Set(dto.roles ?? [])];
    const unit = await manager.findOne(OrgUnit, { where: { id: dto.orgUnitId, countyId } });
    if (!unit) throw DomainError.validation('orgUnitId', 'orgUnitId 所指的单位不存在');
    const problem = roleSetProblem(roles, unit.kind);
    if (problem) throw DomainError.validation('roles', problem.message.replace('该单位', `「${unit.name}」`));
    if (await manager.exists(User, { where: { username: dto.username } })) {
      throw new DomainError('DUPLICATE', `用户名 ${dto.username} 已存在`, [{ field: 'username', message: 'username 已存在' }]);
    }
    await this.policy.assertAcceptable(countyId, 'password', dto.password, dto.username, manager);
    const passwordHash = await PasswordHasher.hash(dto.password);
    const user = await manager.save(
      manager.create(User, {
        countyId,
        username: dto.username,
        displayName: dto.displayName.trim(),
        phone: dto.phone ?? null,
        orgUnitId: unit.id,
        roles: actor ? [] : roles,
        passwordHash,
        passwordChangedAt: this.clock.now(),
        passwordChangeRequired: actor !== null && this.policy.changeOnAdminSet,
        active: true,
      }),
    );
    await manager.insert(PasswordHistory, { countyId, userId: user.id, passwordHash });
    user.orgUnit = unit;
    if (actor) {
      await this.audit.record(actor, 'user.create', 'user', user.id, { username: user.username, requestedRoles: roles }, manager);
      await this.roles.proposeOnCreate(manager, actor, user, roles);
    }
    return { user, pendingRoles: actor ? roles : [], locked: false };
  }

  /** The county's users, by username, with the roles waiting for approval. */
  async list(countyId: string): Promise<UserAccount[]> {
    const [users, pending] = await Promise.all([
      this.users.find({ where: { countyId }, relations: { orgUnit: true }, order: { username: 'ASC' } }),
      this.roles.pendingByUser(countyId),
    ]);
    return users.map((user) => this.account(user, pending.get(user.id)));
  }

  async findInCountyOrThrow(countyId: string, id: string): Promise<User> {
    const user = await this.users.findOne({ where: { id, countyId }, relations: { orgUnit: true } });
    if (!user) throw DomainError.notFound('用户');
    return user;
  }

  /** One user as the account lists show them. */
  async accountOrThrow(countyId: string, id: string): Promise<UserAccount> {
    const user = await this.findInCountyOrThrow(countyId, id);
    return this.account(user, (await this.roles.pendingByUser(countyId)).get(id));
  }

  private account(user: User, pendingRoles: Role[] = []): UserAccount {
    return { user, pendingRoles, locked: !!user.lockedUntil && user.lockedUntil.getTime() > this.clock.now().getTime() };
  }

  /**
   * An admin's change of name, phone or unit. A new unit must fit the user's
   * roles (a security admin changes those first); what the user may see
   * follows at their next request.
   */
  async update(actor: AuthUser, userId: string, dto: UpdateUserDto): Promise<UserAccount> {
    const user = await this.dataSource.transaction(async (tx) => {
      const user = await lockUserOrThrow(tx, actor.countyId, userId);
      const changes: Partial<Pick<User, 'displayName' | 'phone' | 'orgUnitId'>> = {};
      if (dto.displayName !== undefined && dto.displayName.trim() !== user.displayName) changes.displayName = dto.displayName.trim();
      if (dto.phone !== undefined && dto.phone !== user.phone) changes.phone = dto.phone;
      if (dto.orgUnitId !== undefined && dto.orgUnitId !== user.orgUnitId) {
        const unit = await tx.findOne(OrgUnit, { where: { id: dto.orgUnitId, countyId: actor.countyId } });
        if (!unit) throw DomainError.validation('orgUnitId', 'orgUnitId 所指的单位不存在');
        const problem = roleSetProblem(user.roles, unit.kind);
        if (problem) {
          throw DomainError.validation('orgUnitId', `${problem.message.replace('该单位', `「${unit.name}」`)}，请先由安全管理员调整该用户的角色`);
        }
        changes.orgUnitId = unit.id;
        user.orgUnit = unit;
      }
      if (!Object.keys(changes).length) return user;
      const before = Object.fromEntries(Object.keys(changes).map((k) => [k, user[k as keyof typeof changes]]));
      await tx.update(User, { id: user.id }, changes);
      await this.audit.record(actor, 'user.update', 'user', user.id, { username: user.username, before, after: changes }, tx);
      return Object.assign(user, changes);
    });
    this.forget(user.id);
    return this.accountOrThrow(actor.countyId, user.id);
  }

  /** POST /api/users/:id/unlock (security admin): lifts a lock from failed logins at once. 409 when the account is not locked. */
  async unlock(actor: AuthUser, userId: string): Promise<UserAccount> {
    const user = await this.findInCountyOrThrow(actor.countyId, userId);
    const [rows] = (await this.dataSource.query(
      `WITH prev AS (SELECT id, locked_until FROM users WHERE id = $1 FOR UPDATE)
       UPDATE users u SET failed_login_count = 0, locked_until = NULL
         FROM prev
        WHERE u.id = prev.id AND prev.locked_until > $2
    RETURNING prev.locked_until AS "lockedUntil"`,
      [user.id, this.clock.now()],
    )) as [Array<{ lockedUntil: Date }>, number];
    if (!rows[0]) throw new DomainError('CONFLICT', `${user.displayName}的账号未被锁定`);
    await this.audit.record(actor, 'user.unlock', 'user', user.id, { username: user.username, lockedUntil: new Date(rows[0].lockedUntil).toISOString() });
    return this.accountOrThrow(actor.countyId, user.id);
  }
  /** Active or not: a login answers the same either way, but must know which. */
  findByUsername(username: string): Promise<User | null> {
    return this.users.findOne({ where: { username }, relations: { orgUnit: true } });
  }

  findActiveByUsername(username: string): Promise<User | null> {
    return this.users.findOne({ where: { username, active: true }, relations: { orgUnit: true } });
  }

  findActiveById(id: string): Promise<User | null> {
    return this.users.findOne({ where: { id, active: true }, relations: { orgUnit: true } });
  }

  /**
   * An admin sets a new password (policy-checked; to be changed by the user)
   * and ends every session of the user — not for a security admin or an
   * auditor: their passwords are reset by a security admin.
   */
  async resetPassword(actor: AuthUser, userId: string, password: string): Promise<UserAccount> {
    const user = await this.findInCountyOrThrow(actor.countyId, userId);
    const guarded = user.roles.find((r) => SECURITY_RESET_ROLES.includes(r));
    if (guarded) throw DomainError.forbidden(`${ROLE_LABELS[guarded]}的密码由安全管理员重置`);
    return this.setPassword(actor, user, password);
  }

  /** A security admin resets the password of another security admin or of an auditor (and only theirs). */
  async resetSecurityPassword(actor: AuthUser, userId: string, password: string): Promise<UserAccount> {
    const user = await this.findInCountyOrThrow(actor.countyId, userId);
    if (user.id === actor.id) throw new DomainError('CONFLICT', '请在「修改密码」中修改自己的密码');
    if (!user.roles.some((r) => SECURITY_RESET_ROLES.includes(r)))
      throw DomainError.forbidden('安全管理员只重置安全管理员、审计员的密码，其他账号由系统管理员重置');
    return this.setPassword(actor, user, password);
  }

  private async setPassword(actor: AuthUser, user: User, password: string): Promise<UserAccount> {
    await this.policy.assertAcceptable(user.countyId, 'password', password, user.username);
    const passwordHash = await PasswordHasher.hash(password);
    await this.dataSource.transaction(async (tx) => {
      await this.storePassword(tx, user, passwordHash, this.policy.changeOnAdminSet);
      await this.sessions.endAllOf(tx, user.id, 'password_reset');
      await this.audit.record(actor, 'user.reset_password', 'user', user.id, { username: user.username }, tx);
    });
    this.forget(user.id);
    return this.accountOrThrow(user.countyId, user.id);
  }

  /**
   * The user's own change (the current password already checked by the
   * caller): policy, not one of the last PASSWORD_HISTORY, then it counts as
   * set now and no longer needs changing.
   */
  async changeOwnPassword(actor: AuthUser, user: User, newPassword: string): Promise<void> {
    await this.policy.assertAcceptable(user.countyId, 'newPassword', newPassword, user.username);
    const history = await this.dataSource.query<Array<{ password_hash: string }>>(
      'SELECT password_hash FROM password_history WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT 32',
      [user.id],
    );
    const recent = [user.passwordHash, ...history.map((h) => h.password_hash).filter((h) => h !== user.passwordHash)];
    await this.policy.assertNotReused(user.countyId, 'newPassword', newPassword, recent);
    const passwordHash = await PasswordHasher.hash(newPassword);
    await this.dataSource.transaction(async (tx) => {
      await this.storePassword(tx, user, passwordHash, false);
      // The caller's own session goes on; every other one ends.
      await this.sessions.endAllOf(tx, user.id, 'password_changed', actor.sessionId);
      await this.audit.record(actor, 'auth.password_changed', 'user', user.id, {}, tx);
    });
    this.forget(user.id);
  }

  /** Writes a password hash, appends it to the history and prunes the history to what the policy looks at. */
  private async storePassword(tx: EntityManager, user: User, passwordHash: string, mustChange: boolean): Promise<void> {
    await tx.update(User, { id: user.id }, { passwordHash, passwordChangedAt: this.clock.now(), passwordChangeRequired: mustChange });
    await tx.insert(PasswordHistory, { countyId: user.countyId, userId: user.id, passwordHash });
    await tx.query(
      `DELETE FROM password_history WHERE user_id = $1
          AND id NOT IN (SELECT id FROM password_history WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2)`,
      [user.id, await this.policy.historySize(user.countyId)],
    );
  }

  /** After a commit that changed what a user is or ended their sessions: the next request reads both again. */
  private forget(userId: string): void {
    this.directory.forget(userId);
    this.sessions.forgetUser(userId);
  }

  /** Ends every session at once; the signatures stay. The county's last security admin or auditor cannot be deactivated (RolesService.assertNotLastHolder). */
  async deactivate(actor: AuthUser, userId: string): Promise<UserAccount> {
    const user = await this.dataSource.transaction(async (tx) => {
      const user = await lockUserOrThrow(tx, actor.countyId, userId);
      if (user.id === actor.id) throw new DomainError('CONFLICT', '不能停用自己的账号');
      if (!user.active) throw new DomainError('CONFLICT', `${user.displayName}的账号已停用`);
      for (const role of user.roles) await this.roles.assertNotLastHolder(tx, user, role);
      await tx.update(User, { id: user.id }, { active: false });
      await this.sessions.endAllOf(tx, user.id, 'deactivated');
      await this.audit.record(actor, 'user.deactivate', 'user', user.id, { username: user.username }, tx);
      return user;
    });
    this.forget(user.id);
    return this.accountOrThrow(actor.countyId, user.id);
  }

  /** Lets a deactivated account log in again, with the roles it had. */
  async reactivate(actor: AuthUser, userId: string): Promise<UserAccount> {
    const user = await this.dataSource.transaction(async (tx) => {
      const user = await lockUserOrThrow(tx, actor.countyId, userId);
      if (user.active) throw new DomainError('CONFLICT', `${user.displayName}的账号未停用`);
      await tx.update(User, { id: user.id }, { active: true });
      await this.audit.record(actor, 'user.reactivate', 'user', user.id, { username: user.username }, tx);
      return user;
    });
    this.forget(user.id);
    return this.accountOrThrow(actor.countyId, user.id);
  }
}
