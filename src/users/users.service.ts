import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth-user';
import { PasswordHasher } from '../auth/password-hasher';
import { RefreshToken } from '../auth/refresh-token.entity';
import { Role } from '../auth/roles';
import { DomainError } from '../common/errors/domain-error';
import { OrgUnit, OrgUnitKind } from '../orgs/org-unit.entity';
import { CreateUserDto } from './dto/create-user.dto';
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
  ) {}

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
    const user = await manager.save(
      manager.create(User, {
        countyId,
        username: dto.username,
        displayName: dto.displayName.trim(),
        phone: dto.phone ?? null,
        orgUnitId: unit.id,
        roles,
        passwordHash: await PasswordHasher.hash(dto.password),
        active: true,
      }),
    );
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

  findActiveByUsername(username: string): Promise<User | null> {
    return this.users.findOne({ where: { username, active: true }, relations: { orgUnit: true } });
  }

  findActiveById(id: string): Promise<User | null> {
    return this.users.findOne({ where: { id, active: true }, relations: { orgUnit: true } });
  }

  /** Sets a new password and signs the user out everywhere. */
  async resetPassword(actor: AuthUser, userId: string, password: string): Promise<User> {
    const user = await this.findInCountyOrThrow(actor.countyId, userId);
    const passwordHash = await PasswordHasher.hash(password);
    await this.dataSource.transaction(async (tx) => {
      await tx.update(User, { id: user.id }, { passwordHash });
      await revokeAllRefreshTokens(tx, user.id);
      await this.audit.record(actor, 'user.reset_password', 'user', user.id, {}, tx);
    });
    this.directory.forget(user.id);
    return user;
  }

  async deactivate(actor: AuthUser, userId: string): Promise<User> {
    const user = await this.findInCountyOrThrow(actor.countyId, userId);
    if (user.id === actor.id) throw new DomainError('CONFLICT', '不能停用自己的账号');
    await this.dataSource.transaction(async (tx) => {
      await tx.update(User, { id: user.id }, { active: false });
      await revokeAllRefreshTokens(tx, user.id);
      await this.audit.record(actor, 'user.deactivate', 'user', user.id, {}, tx);
    });
    this.directory.forget(user.id);
    user.active = false;
    return user;
  }
}

export async function revokeAllRefreshTokens(manager: EntityManager, userId: string): Promise<void> {
  await manager
    .createQueryBuilder()
    .update(RefreshToken)
    .set({ revokedAt: () => 'now()' })
    .where('user_id = :userId AND revoked_at IS NULL', { userId })
    .execute();
}
