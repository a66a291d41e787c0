import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DELEGABLE_ROLES } from '../../workflows/common';
import { AuthUser, hasRole } from '../auth/auth-user';
import { SIGNING_ROLES } from '../auth/roles';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/errors/domain-error';
import { IdempotencyService, type IdempotentRequest } from '../idempotency/idempotency.service';
import { User } from '../users/user.entity';
import { DelegationDirectory } from './delegation-directory';
import { Delegation } from './delegation.entity';
import { DelegateCandidateResponse, DelegationResponse } from './delegation.response';
import { CreateDelegationDto } from './dto/create-delegation.dto';

/** The longest delegation, in days: a leave, not a change of post (that is a role change). */
export const MAX_DELEGATION_DAYS = 90;

const DAY_MS = 86_400_000;

/**
 * 委派: a township leader or county office user hands their review and
 * acceptance duties to another active user of their own unit for a range of
 * days. While it holds, the delegate's scope and workflow actor include the
 * delegator (ScopeService, DelegationDirectory) and every signature they make
 * in that capacity names the delegator (on_behalf_of). Start and early end are
 * audited.
 */
@Injectable()
export class DelegationsService {
  constructor(
    @InjectRepository(Delegation) private readonly delegations: Repository<Delegation>,
    private readonly directory: DelegationDirectory,
    private readonly idempotency: IdempotencyService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async create(user: AuthUser, dto: CreateDelegationDto, request: IdempotentRequest): Promise<DelegationResponse> {
    if (!hasRole(user, ...DELEGABLE_ROLES)) throw DomainError.forbidden('只有乡镇分管负责人或县巩固办可以委派审核验收职责');
    const today = this.clock.today();
    if (dto.startsOn < today) throw DomainError.validation('startsOn', `startsOn 不能早于今天（${today}）`);
    if (dto.endsOn < dto.startsOn) throw DomainError.validation('endsOn', 'endsOn 不能早于 startsOn');
    const days = (Date.parse(dto.endsOn) - Date.parse(dto.startsOn)) / DAY_MS + 1;
    if (days > MAX_DELEGATION_DAYS) throw DomainError.validation('endsOn', `委派最长 ${MAX_DELEGATION_DAYS} 天`);
    if (dto.delegateId === user.id) throw DomainError.validation('delegateId', 'delegateId 不能是本人');
    const saved = await this.idempotency.run(user, request, async (tx) => {
      const delegate = await tx.findOne(User, { where: { id: dto.delegateId, countyId: user.countyId } });
      if (!delegate || !delegate.active || delegate.orgUnitId !== user.orgUnitId || !delegate.roles.some((r) => SIGNING_ROLES.includes(r))) {
        throw DomainError.validation('delegateId', 'delegateId 必须是本单位在用、可签字的工作人员');
      }
      // One stand-in at a time: two delegates of the same reviewer on the same day would leave nobody answerable.
      const [overlap] = await tx.query(
        `SELECT 1 FROM delegations WHERE delegator_id = $1 AND ended_at IS NULL AND starts_on <= $3::date AND ends_on >= $2::date FOR UPDATE`,
        [user.id, dto.startsOn, dto.endsOn],
      );
      if (overlap) throw new DomainError('CONFLICT', '该时间段已有委派，请先结束原委派');
      const row = await tx.save(
        tx.create(Delegation, {
          countyId: user.countyId,
          orgUnitId: user.orgUnitId,
          delegatorId: user.id,
          delegateId: delegate.id,
          startsOn: dto.startsOn,
          endsOn: dto.endsOn,
          reason: dto.reason?.trim() || null,
          createdById: user.id,
          createdAt: this.clock.now(),
          endedAt: null,
          endedById: null,
        }),
      );
      await this.audit.record(
        user,
        'delegation.start',
        'delegation',
        row.id,
        { delegatorId: user.id, delegateId: delegate.id, delegateName: delegate.displayName, startsOn: row.startsOn, endsOn: row.endsOn },
        tx,
      );
      return this.present({ ...row, delegator: { id: user.id, displayName: user.displayName } as User, delegate, orgUnitName: user.orgUnitName });
    });
    this.directory.forget(dto.delegateId);
    return saved;
  }

  /** The delegations I gave or hold; the county office also sees every delegation in the county. */
  async list(user: AuthUser): Promise<DelegationResponse[]> {
    const qb = this.delegations
      .createQueryBuilder('d')
      .innerJoinAndSelect('d.delegator', 'p')
      .innerJoinAndSelect('d.delegate', 'q')
      .innerJoinAndSelect('d.orgUnit', 'o')
      .where('d.county_id = :county', { county: user.countyId });
    if (!hasRole(user, 'county_office')) qb.andWhere('(d.delegator_id = :me OR d.delegate_id = :me)', { me: user.id });
    const rows = await qb.orderBy('d.starts_on', 'DESC').addOrderBy('d.created_at', 'DESC').limit(200).getMany();
    return rows.map((d) => this.present({ ...d, orgUnitName: d.orgUnit!.name }));
  }

  /** 结束委派: the delegator ends it before its last day (from now on). Ending twice answers the ended delegation. */
  async end(user: AuthUser, id: string, request: IdempotentRequest): Promise<DelegationResponse> {
    const out = await this.idempotency.run(user, request, async (tx) => {
      const row = await tx.findOne(Delegation, {
        where: { id, countyId: user.countyId, delegatorId: user.id },
        relations: { delegator: true, delegate: true, orgUnit: true },
      });
      if (!row) throw DomainError.notFound('委派');
      if (row.endedAt === null && row.endsOn >= this.clock.today()) {
        row.endedAt = this.clock.now();
        row.endedById = user.id;
        await tx.update(Delegation, { id: row.id }, { endedAt: row.endedAt, endedById: user.id });
        await this.audit.record(
          user,
          'delegation.end',
          'delegation',
          row.id,
          { delegatorId: row.delegatorId, delegateId: row.delegateId, endsOn: row.endsOn },
          tx,
        );
      }
      return { response: this.present({ ...row, orgUnitName: row.orgUnit!.name }), delegateId: row.delegateId };
    });
    this.directory.forget(out.delegateId);
    return out.response;
  }

  /** Who the caller may delegate to: active users of their unit who sign, but not themself. */
  async candidates(user: AuthUser): Promise<DelegateCandidateResponse[]> {
    const rows = await this.delegations.manager
      .createQueryBuilder(User, 'u')
      .where('u.org_unit_id = :unit AND u.active AND u.id <> :me AND u.roles && :roles', { unit: user.orgUnitId, me: user.id, roles: [...SIGNING_ROLES] })
      .orderBy('u.display_name')
      .getMany();
    return rows.map((u) => ({ id: u.id, name: u.displayName, roles: u.roles }));
  }

  private present(d: Delegation & { orgUnitName: string }): DelegationResponse {
    const today = this.clock.today();
    const status = d.endedAt !== null || d.endsOn < today ? 'ended' : d.startsOn > today ? 'scheduled' : 'active';
    return {
      id: d.id,
      delegator: { id: d.delegatorId, name: d.delegator?.displayName ?? '' },
      delegate: { id: d.delegateId, name: d.delegate?.displayName ?? '' },
      orgUnitId: d.orgUnitId,
      orgUnitName: d.orgUnitName,
      startsOn: d.startsOn,
      endsOn: d.endsOn,
      reason: d.reason,
      createdAt: d.createdAt.toISOString(),
      endedAt: d.endedAt?.toISOString() ?? null,
      status,
    };
  }
}
