import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth-user';
import { PRIVILEGED_ROLES, ROLE_LABELS, roleSetProblem, SEPARATED_ROLES, type Role } from '../auth/roles';
import { SessionRegistry } from '../auth/session-registry';
import { Clock } from '../common/clock';
import { DomainError } from '../common/errors/domain-error';
import { RoleGrant, RoleGrantStatus } from './role-grant.entity';
import { User } from './user.entity';
import { UserDirectory } from './user-directory';

/** What a role-grant list shows: the request and the names of the people in it. */
export interface RoleGrantView {
  grant: RoleGrant;
  user: Pick<User, 'id' | 'username' | 'displayName'>;
  proposer: Pick<User, 'id' | 'username' | 'displayName'>;
  decider: Pick<User, 'id' | 'username' | 'displayName'> | null;
}

export interface RoleGrantFilter {
  status?: RoleGrantStatus;
  userId?: string;
}

/**
 * Who holds which role (三权分立): a security admin sets a user's ordinary
 * roles and revokes any role; a privileged role (PRIVILEGED_ROLES) is granted
 * only when an admin has proposed it and a security admin approves it — two
 * people, neither of them the user. Nobody changes their own roles. Every
 * change of a user's roles ends all of that user's sessions at once, and every
 * step is audited in the same transaction.
 */
@Injectable()
export class RolesService {
  constructor(
    @InjectRepository(RoleGrant) private readonly grants: Repository<RoleGrant>,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly directory: UserDirectory,
    private readonly sessions: SessionRegistry,
  ) {}

  /**
   * PUT /api/users/:id/roles (security admin): the user's roles become exactly
   * `roles`. Ordinary roles may be added; privileged ones only kept or removed.
   */
  async setRoles(actor: AuthUser, userId: string, requested: Role[]): Promise<User> {
    const roles = [...new Set(requested)];
    const user = await this.grants.manager.transaction(async (tx) => {
      const user = await lockUserOrThrow(tx, actor.countyId, userId);
      if (user.id === actor.id) throw new DomainError('CONFLICT', '不能修改自己的角色');
      const added = roles.filter((r) => !user.roles.includes(r));
      const removed = user.roles.filter((r) => !roles.includes(r));
      const privileged = added.find((r) => PRIVILEGED_ROLES.includes(r));
      if (privileged) {
        throw DomainError.validation('roles', `${ROLE_LABELS[privileged]}角色须由系统管理员申请、安全管理员批准后授予，不能直接设置`);
      }
      const problem = roleSetProblem(roles, user.orgUnit!.kind);
      if (problem) throw DomainError.validation('roles', problem.message.replace('该单位', `「${user.orgUnit!.name}」`));
      if (!added.length && !removed.length) return user;
      for (const role of removed) await this.assertNotLastHolder(tx, user, role);
      await this.applyRoles(tx, actor, user, roles, { via: 'direct' });
      return user;
    });
    this.forget(user.id);
    return user;
  }

  /** POST /api/role-grants (admin): proposes granting `role` to a user of the county. */
  async propose(actor: AuthUser, userId: string, role: Role, reason: string | null): Promise<RoleGrantView> {
    const grant = await this.grants.manager.transaction(async (tx) => {
      const user = await tx
        .createQueryBuilder(User, 'u')
        .innerJoinAndSelect('u.orgUnit', 'o')
        .where('u.id = :userId AND u.county_id = :countyId', { userId, countyId: actor.countyId })
        .setLock('pessimistic_write', undefined, ['u'])
        .getOne();
      if (!user) throw DomainError.validation('userId', 'userId 所指的用户不存在');
      return this.proposeFor(tx, actor, user, role, reason);
    });
    return this.viewOrThrow(actor.countyId, grant.id);
  }

  /**
   * Records the proposals of an admin who created an account with requested
   * roles (inside the creation's transaction; the set was checked there).
   */
  async proposeOnCreate(tx: EntityManager, actor: AuthUser, user: User, roles: Role[]): Promise<void> {
    for (const role of roles) await this.insertProposal(tx, actor, user, role, null);
  }

  private async proposeFor(tx: EntityManager, actor: AuthUser, user: User, role: Role, reason: string | null): Promise<RoleGrant> {
    if (user.id === actor.id) throw new DomainError('CONFLICT', '不能为自己申请角色');
    if (!user.active) throw new DomainError('CONFLICT', `${user.displayName}的账号已停用，不能申请授予角色`);
    if (user.roles.includes(role)) throw new DomainError('CONFLICT', `${user.displayName}已持有${ROLE_LABELS[role]}角色`);
    const problem = roleSetProblem([...user.roles, role], user.orgUnit!.kind);
    if (problem) throw DomainError.validation('role', problem.message.replace('该单位', `「${user.orgUnit!.name}」`));
    if (await tx.exists(RoleGrant, { where: { userId: user.id, role, status: 'pending' } })) {
      throw new DomainError('DUPLICATE', `已有为${user.displayName}授予${ROLE_LABELS[role]}的申请在等待批准`, [{ field: 'role', message: 'role 已在申请中' }]);
    }
    return this.insertProposal(tx, actor, user, role, reason);
  }

  private async insertProposal(tx: EntityManager, actor: AuthUser, user: User, role: Role, reason: string | null): Promise<RoleGrant> {
    const grant = await tx.save(
      tx.create(RoleGrant, {
        countyId: actor.countyId,
        userId: user.id,
        role,
        status: 'pending',
        proposedBy: actor.id,
        proposedAt: this.clock.now(),
        reason,
        decidedBy: null,
        decidedAt: null,
        decisionComment: null,
      }),
    );
    await this.audit.record(actor, 'role_grant.propose', 'user', user.id, { grantId: grant.id, username: user.username, role, reason }, tx);
    return grant;
  }

  /** POST /api/role-grants/:id/approve (security admin): grants the role, ends the user's sessions. */
  async approve(actor: AuthUser, grantId: string, comment: string | null): Promise<RoleGrantView> {
    const { grant, userId } = await this.grants.manager.transaction(async (tx) => {
      const grant = await this.lockPendingOrThrow(tx, actor, grantId);
      const user = await lockUserOrThrow(tx, actor.countyId, grant.userId);
      if (!user.active) throw new DomainError('CONFLICT', `${user.displayName}的账号已停用，不能授予角色`);
      if (user.roles.includes(grant.role)) throw new DomainError('CONFLICT', `${user.displayName}已持有${ROLE_LABELS[grant.role]}角色`);
      const roles = [...user.roles, grant.role];
      const problem = roleSetProblem(roles, user.orgUnit!.kind);
      if (problem) throw new DomainError('CONFLICT', `不能批准：${problem.message.replace('该单位', `「${user.orgUnit!.name}」`)}`);
      Object.assign(grant, { status: 'approved', decidedBy: actor.id, decidedAt: this.clock.now(), decisionComment: comment });
      await tx.update(RoleGrant, { id: grant.id }, { status: grant.status, decidedBy: grant.decidedBy, decidedAt: grant.decidedAt, decisionComment: comment });
      await this.audit.record(actor, 'role_grant.approve', 'user', user.id, { grantId: grant.id, username: user.username, role: grant.role, comment }, tx);
      await this.applyRoles(tx, actor, user, roles, { via: 'grant', grantId: grant.id, proposedBy: grant.proposedBy });
      return { grant, userId: user.id };
    });
    this.forget(userId);
    return this.viewOrThrow(actor.countyId, grant.id);
  }

  /** POST /api/role-grants/:id/reject (security admin): closes the request with a reason; nothing else changes. */
  async reject(actor: AuthUser, grantId: string, reason: string): Promise<RoleGrantView> {
    const grant = await this.grants.manager.transaction(async (tx) => {
      const grant = await this.lockPendingOrThrow(tx, actor, grantId);
      Object.assign(grant, { status: 'rejected', decidedBy: actor.id, decidedAt: this.clock.now(), decisionComment: reason });
      await tx.update(RoleGrant, { id: grant.id }, { status: grant.status, decidedBy: grant.decidedBy, decidedAt: grant.decidedAt, decisionComment: reason });
      await this.audit.record(actor, 'role_grant.reject', 'user', grant.userId, { grantId: grant.id, role: grant.role, reason }, tx);
      return grant;
    });
    return this.viewOrThrow(actor.countyId, grant.id);
  }

  /** The county's requests, newest first (at most 500), with the names of the people in them. */
  async list(countyId: string, filter: RoleGrantFilter & { id?: string }): Promise<RoleGrantView[]> {
    const qb = this.grants
      .createQueryBuilder('g')
      .innerJoinAndSelect('g.user', 'u')
      .innerJoinAndSelect('g.proposer', 'p')
      .leftJoinAndSelect('g.decider', 'd')
      .where('g.county_id = :countyId', { countyId });
    if (filter.status) qb.andWhere('g.status = :status', { status: filter.status });
    if (filter.userId) qb.andWhere('g.user_id = :userId', { userId: filter.userId });
    if (filter.id) qb.andWhere('g.id = :id', { id: filter.id });
    const rows = await qb.orderBy('g.proposed_at', 'DESC').addOrderBy('g.id', 'DESC').take(500).getMany();
    return rows.map((grant) => ({ grant, user: grant.user!, proposer: grant.proposer!, decider: grant.decider ?? null }));
  }

  private async viewOrThrow(countyId: string, id: string): Promise<RoleGrantView> {
    const [view] = await this.list(countyId, { id });
    if (!view) throw DomainError.notFound('角色授予申请');
    return view;
  }

  /** The roles waiting for approval, by user, for a user list. */
  async pendingByUser(countyId: string, manager: EntityManager = this.grants.manager): Promise<Map<string, Role[]>> {
    const rows = await manager.find(RoleGrant, { where: { countyId, status: 'pending' }, order: { proposedAt: 'ASC' } });
    const byUser = new Map<string, Role[]>();
    for (const g of rows) byUser.set(g.userId, [...(byUser.get(g.userId) ?? []), g.role]);
    return byUser;
  }

  /**
   * 409 when `user` is the county's last active holder of a 三员 role: without
   * an admin nobody could propose, without a security admin nobody could
   * approve, without an auditor nobody could read the audit log.
   */
  async assertNotLastHolder(tx: EntityManager, user: User, role: Role): Promise<void> {
    if (!SEPARATED_ROLES.includes(role) || !user.active || !user.roles.includes(role)) return;
    const others = await tx
      .createQueryBuilder(User, 'u')
      .where('u.county_id = :countyId AND u.active AND :role = ANY(u.roles) AND u.id <> :id', { countyId: user.countyId, role, id: user.id })
      .getCount();
    if (others === 0) throw new DomainError('CONFLICT', `${user.displayName}是本县唯一在用的${ROLE_LABELS[role]}，本县至少须保留一名`);
  }

  /** Writes the new roles, ends every session of the user and audits before/after (inside `tx`; call `forget` after the commit). */
  private async applyRoles(tx: EntityManager, actor: AuthUser, user: User, roles: Role[], how: Record<string, unknown>): Promise<void> {
    const before = user.roles;
    await tx.update(User, { id: user.id }, { roles });
    await this.sessions.endAllOf(tx, user.id, 'roles_changed');
    await this.audit.record(actor, 'user.roles_changed', 'user', user.id, { username: user.username, before, after: roles, ...how }, tx);
    user.roles = roles;
  }

  private async lockPendingOrThrow(tx: EntityManager, actor: AuthUser, grantId: string): Promise<RoleGrant> {
    const grant = await tx.findOne(RoleGrant, { where: { id: grantId, countyId: actor.countyId }, lock: { mode: 'pessimistic_write' } });
    if (!grant) throw DomainError.notFound('角色授予申请');
    if (grant.status !== 'pending') throw new DomainError('CONFLICT', `该申请已${grant.status === 'approved' ? '批准' : '驳回'}，不能再处理`);
    if (grant.userId === actor.id) throw new DomainError('CONFLICT', '不能处理为自己申请的角色');
    if (grant.proposedBy === actor.id) throw new DomainError('CONFLICT', '不能处理自己提出的申请');
    return grant;
  }

  private forget(userId: string): void {
    this.directory.forget(userId);
    this.sessions.forgetUser(userId);
  }
}

/** The user row, locked for the rest of the transaction, with its org unit; 404 outside the county. */
export async function lockUserOrThrow(tx: EntityManager, countyId: string, userId: string): Promise<User> {
  const user = await tx
    .createQueryBuilder(User, 'u')
    .innerJoinAndSelect('u.orgUnit', 'o')
    .where('u.id = :userId AND u.county_id = :countyId', { userId, countyId })
    .setLock('pessimistic_write', undefined, ['u'])
    .getOne();
  if (!user) throw DomainError.notFound('用户');
  return user;
}
