import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, In, Repository } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { rectifierUnits } from '../items/rectifier-choice';
import { campaignPlaceRefusal, recordingRefusal } from '../items/item-write.service';
import { Campaign } from '../campaigns/campaign.entity';
import { isCampaignVisible } from '../campaigns/campaign-visibility';
import { mapOrgUnit } from '../orgs/org-unit.mapper';
import { OrgUnitResponse } from '../orgs/org-unit.response';
import { ScopeService } from '../orgs/scope.service';
import { type AuthUser, hasRole } from '../auth/auth-user';
import { DelegationDirectory } from '../delegations/delegation-directory';
import { ROLE_LABELS, SEPARATED_ROLES } from '../auth/roles';
import { ItemReadService } from '../items/item-read.service';
import { OrgUnit } from '../orgs/org-unit.entity';
import { User } from '../users/user.entity';
import { DirectoryUserResponse, EscalationTargetResponse } from './directory.response';

const CANDIDATE_LIMIT = 100;

/**
 * What the console's pickers offer: the same sets the item service accepts
 * (整改责任人 by rectifier-choice.ts; departments and the county as escalation
 * targets), ordered so the likely choice comes first.
 */
@Injectable()
export class DirectoryService {
  constructor(
    private readonly items: ItemReadService,
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(OrgUnit) private readonly orgUnits: Repository<OrgUnit>,
    @InjectRepository(Campaign) private readonly campaigns: Repository<Campaign>,
    private readonly scope: ScopeService,
    private readonly delegations: DelegationDirectory,
  ) {}

  /**
   * Candidates for an item I can see (404 otherwise): exactly the users the
   * item service accepts as 整改责任人 (rectifier-choice.ts: the item's
   * township, the department it was escalated to or its 行业排查 department; with
   * `toOrgUnitId`, the unit an escalation goes to), never the caller, who may
   * not name themself. Its village first, then its township, then departments.
   */
  async rectifierCandidates(user: AuthUser, itemId: string, q?: string, toOrgUnitId?: string): Promise<DirectoryUserResponse[]> {
    const item = await this.items.findVisibleOrThrow(user, itemId);
    // Only a reviewer names a rectifier: anyone else (but a reviewer's delegate, 委派) may name nobody.
    if (!hasRole(user, 'township_leader', 'county_office') && (await this.delegations.delegatorsOf(user.id, user.orgUnitId)).length === 0) return [];
    const unit = await this.orgUnits.findOneBy({ id: item.orgUnitId });
    if (toOrgUnitId) {
      const target = await this.orgUnits.findOneBy({ id: toOrgUnitId, countyId: user.countyId });
      if (!target || (target.kind !== 'department' && target.kind !== 'county')) {
        throw DomainError.validation('toOrgUnitId', '上报单位必须是本县的县直部门或县本级');
      }
    }
    const allowed = rectifierUnits({ ...item, orgUnit: unit }, toOrgUnitId);
    const qb = this.users
      .createQueryBuilder('u')
      .innerJoinAndSelect('u.orgUnit', 'o')
      .where('u.county_id = :county AND u.active AND u.id <> :me', { county: user.countyId, me: user.id })
      // Only people who sign may be named: not the 三员 (admin, security admin, auditor), not an account without roles.
      .andWhere(`NOT (u.roles && :separated::text[]) AND cardinality(u.roles) > 0`, { separated: SEPARATED_ROLES });
    qb.andWhere(
      new Brackets((w) => {
        w.where('FALSE');
        if (allowed.unitIds.length) w.orWhere('o.id IN (:...allowedUnits)', { allowedUnits: allowed.unitIds });
        allowed.subtreePaths.forEach((p, i) => w.orWhere(`o.path LIKE :allowedPath${i}`, { [`allowedPath${i}`]: `${p.replace(/[\\%_]/g, (c) => `\\${c}`)}%` }));
      }),
    );
    if (q?.trim()) qb.andWhere('(u.display_name ILIKE :q OR u.username ILIKE :q)', { q: `%${q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%` });
    // a many-to-one join: plain LIMIT is exact (take() would wrap the ordering expression in a DISTINCT subquery)
    qb.addSelect(`CASE WHEN o.id = :village THEN 0 WHEN o.kind IN ('village', 'township') THEN 1 ELSE 2 END`, 'nearness')
      .setParameter('village', item.orgUnitId)
      .orderBy('nearness')
      .addOrderBy('o.path')
      .addOrderBy('u.display_name')
      .limit(CANDIDATE_LIMIT);
    return (await qb.getMany()).map((u) => ({
      id: u.id,
      displayName: u.displayName,
      orgUnit: { id: u.orgUnit!.id, name: u.orgUnit!.name, kind: u.orgUnit!.kind },
      roleLabels: u.roles.map((r) => ROLE_LABELS[r]),
    }));
  }

  /**
   * Where the caller may record a problem (in `campaignId`, when given): the
   * item service's own rule (recordingRefusal), so the 登记问题 form offers
   * exactly that — a village cadre their village, department staff every
   * village and township of the county and their own department (行业排查).
   */
  async recordingUnits(user: AuthUser, campaignId?: string): Promise<OrgUnitResponse[]> {
    const scope = await this.scope.scopeOf(user);
    const campaign = campaignId ? await this.campaigns.findOneBy({ id: campaignId, countyId: user.countyId }) : null;
    if (campaignId && (!campaign || !isCampaignVisible(campaign, scope))) throw DomainError.notFound('专项行动');
    const units = await this.orgUnits.find({ where: { countyId: user.countyId, kind: In(['township', 'village', 'department']) }, order: { path: 'ASC' } });
    return units.filter((u) => recordingRefusal(user, scope, u) === null && (!campaign || campaignPlaceRefusal(campaign, u) === null)).map(mapOrgUnit);
  }

  async escalationTargets(user: AuthUser): Promise<EscalationTargetResponse[]> {
    const units = await this.orgUnits.find({ where: { countyId: user.countyId, kind: In(['department', 'county']) }, order: { path: 'ASC' } });
    return units.map((u) => ({ id: u.id, name: u.name, kind: u.kind }));
  }
}
