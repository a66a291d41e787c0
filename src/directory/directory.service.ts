import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
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
 * (any active user but admins and auditors as 整改责任人; departments and the
 * county as escalation targets), ordered so the likely choice comes first.
 */
@Injectable()
export class DirectoryService {
  constructor(
    private readonly items: ItemReadService,
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(OrgUnit) private readonly orgUnits: Repository<OrgUnit>,
    private readonly delegations: DelegationDirectory,
  ) {}

  /** Candidates for an item I can see (404 otherwise): its village, then its township, then county departments and office. */
  async rectifierCandidates(user: AuthUser, itemId: string, q?: string): Promise<DirectoryUserResponse[]> {
    const item = await this.items.findVisibleOrThrow(user, itemId);
    // Only a reviewer names a rectifier: anyone else (but a reviewer's delegate, 委派) may name nobody.
    if (!hasRole(user, 'township_leader', 'county_office') && (await this.delegations.delegatorsOf(user.id, user.orgUnitId)).length === 0) return [];
    const [village, township] = await Promise.all([
      item.orgUnitId ? this.orgUnits.findOneBy({ id: item.orgUnitId }) : null,
      item.townshipId ? this.orgUnits.findOneBy({ id: item.townshipId }) : null,
    ]);
    const qb = this.users
      .createQueryBuilder('u')
      .innerJoinAndSelect('u.orgUnit', 'o')
      .where('u.county_id = :county AND u.active', { county: user.countyId })
      // Only people who sign may be named: not the 三员 (admin, security admin, auditor), not an account without roles.
      .andWhere(`NOT (u.roles && :separated::text[]) AND cardinality(u.roles) > 0`, { separated: SEPARATED_ROLES });
    const near = township?.path ?? village?.path ?? null;
    qb.andWhere(near ? `(o.path LIKE :near OR o.kind IN ('department', 'county'))` : `o.kind IN ('department', 'county')`, {
      near: `${(near ?? '').replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
    });
    if (q?.trim()) qb.andWhere('(u.display_name ILIKE :q OR u.username ILIKE :q)', { q: `%${q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%` });
    // a many-to-one join: plain LIMIT is exact (take() would wrap the ordering expression in a DISTINCT subquery)
    qb.addSelect(`CASE WHEN o.id = :village THEN 0 WHEN o.kind IN ('village', 'township') THEN 1 ELSE 2 END`, 'nearness')
      .setParameter('village', village?.id ?? '00000000-0000-0000-0000-000000000000')
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

  async escalationTargets(user: AuthUser): Promise<EscalationTargetResponse[]> {
    const units = await this.orgUnits.find({ where: { countyId: user.countyId, kind: In(['department', 'county']) }, order: { path: 'ASC' } });
    return units.map((u) => ({ id: u.id, name: u.name, kind: u.kind }));
  }
}
