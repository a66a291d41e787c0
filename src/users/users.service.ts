import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth-user';
import { PasswordHasher } from '../auth/password-hasher';
import { PasswordPolicy } from '../auth/password-policy.service';
import { Role } from '../auth/roles';
import { SessionRegistry } from '../auth/session-registry';
import { Clock } from '../common/clock';
import { DomainError } from '../common/errors/domain-error';
import { OrgUnit, OrgUnitKind } from '../orgs/org-unit.entity';
import { CreateUserDto } from './dto/create-user.dto';
import { PasswordHistory } from './password-history.entity';
import { User } from './user.entity';
import { UserDirectory } from './user-directory';

/** Which kinds of org unit each role may belong to. */
const ROLE_UNIT_KINDS: Record<Role, OrgUnitKind[]> = {
  investigator: ['village', 'township', 'department'],
  township_leader: ['township'],
  county_office: ['county'],
  department_staff: ['department'],
  inspector: ['supervision_group'],
  admin: ['county'],
  auditor: ['county'],
};

/** Roles that must stand alone: an admin signs no item, an auditor changes nothing. */
const EXCLUSIVE_ROLES: Role[] = ['admin', 'auditor'];

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
  ) {}

  /**
   * Creates a user. A password an admin gives (`actor` set) must satisfy the
   * policy and, unless PASSWORD_CHANGE_ON_ADMIN_SET=false, be changed by its
   * user at first login; the demo seed (no actor) sets passwords users keep.
   */
  async create(countyId: string, dto: CreateUserDto, actor: AuthUser | null, manager: EntityManager = this.dataSource.manager): Promise<User> {
    const roles = [...new Set(dto.roles)];
    const exclusive = roles.find((r) => EXCLUSIVE_ROLES.includes(r));
    if (exclusive && roles.length > 1) {
      throw DomainError.validation('roles', `roles 中的 ${exclusive} 不能与其他角色同时授予`);
    }
    const unit = await manager.findOne(OrgUnit, { where: { id: dto.orgUnitId, countyId } });
    if (!unit) throw DomainError.validation('orgUnitId', 'orgUnitId 所指的单位不存在');
    const misplaced = roles.find((r) => !ROLE_UNIT_KINDS[r].includes(unit.kind));
    if (misplaced) {
      throw DomainError.validation('roles', `角色 ${misplaced} 不能授予「${unit.name}」的人员`);
    }
    if (await manager.exists(User, { where: { username: dto.username } })) {
      throw new DomainError('DUPLICATE', `用户名 ${dto.username} 已存在`, [{ field: 'username', message: 'username 已存在' }]);
    }
    this.policy.assertAcceptable('password', dto.password, dto.username);
    const passwordHash = await PasswordHasher.hash(dto.password);
    const user = await manager.save(
      manager.create(User, {
        countyId,
        username: dto.username,
        displayName: dto.displayName.trim(),
        phone: dto.phone ?? null,
        orgUnitId: unit.id,
        roles,
        passwordHash,
        passwordChangedAt: this.clock.now(),
        passwordChangeRequired: actor !== null && this.policy.changeOnAdminSet,
        active: true,
      }),
    );
    await manager.insert(PasswordHistory, { countyId, userId: user.id, passwordHash });
    user.orgUnit = unit;
    if (actor) await this.audit.record(actor, 'user.create', 'user', user.id, { username: user.username, roles }, manager);
    return user;
  }

  list(countyId: string): Promise<User[]> {
    return this.users.find({ where: { countyId }, relations: { orgUnit: true }, order: { username: 'ASC' } });
  }

  async findInCountyOrThrow(countyId: string, id: string): Promise<User> {
    const user = await this.users.findOne({ where: { id, countyId }, relations: { orgUnit: true } });
    if (!user) throw DomainError.notFound('用户');
    return user;
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

  /** Sets a new password (policy-checked; to be changed by the user) and ends every session of the user. */
  async resetPassword(actor: AuthUser, userId: string, password: string): Promise<User> {
    const user = await this.findInCountyOrThrow(actor.countyId, userId);
    this.policy.assertAcceptable('password', password, user.username);
    const passwordHash = await PasswordHasher.hash(password);
    await this.dataSource.transaction(async (tx) => {
      await this.storePassword(tx, user, passwordHash, this.policy.changeOnAdminSet);
      await this.sessions.endAllOf(tx, user.id, 'password_reset');
      await this.audit.record(actor, 'user.reset_password', 'user', user.id, {}, tx);
    });
    this.forget(user.id);
    return user;
  }

  /**
   * The user's own change (the current password already checked by the
   * caller): policy, not one of the last PASSWORD_HISTORY, then it counts as
   * set now and no longer needs changing.
   */
  async changeOwnPassword(actor: AuthUser, user: User, newPassword: string): Promise<void> {
    this.policy.assertAcceptable('newPassword', newPassword, user.username);
    const history = await this.dataSource.query<Array<{ password_hash: string }>>(
      'SELECT password_hash FROM password_history WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT 32',
      [user.id],
    );
    const recent = [user.passwordHash, ...history.map((h) => h.password_hash).filter((h) => h !== user.passwordHash)];
    await this.policy.assertNotReused('newPassword', newPassword, recent);
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
      [user.id, this.policy.historySize],
    );
  }

  /** After a commit that changed what a user is or ended their sessions: the next request reads both again. */
  private forget(userId: string): void {
    this.directory.forget(userId);
    this.sessions.forgetUser(userId);
  }

  async deactivate(actor: AuthUser, userId: string): Promise<User> {
    const user = await this.findInCountyOrThrow(actor.countyId, userId);
    if (user.id === actor.id) throw new DomainError('CONFLICT', '不能停用自己的账号');
    await this.dataSource.transaction(async (tx) => {
      await tx.update(User, { id: user.id }, { active: false });
      await this.sessions.endAllOf(tx, user.id, 'deactivated');
      await this.audit.record(actor, 'user.deactivate', 'user', user.id, {}, tx);
    });
    this.forget(user.id);
    user.active = false;
    return user;
  }
}
