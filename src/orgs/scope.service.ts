import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, Repository } from 'typeorm';
import type { Delegator, WorkflowActor } from '../../workflows/common';
import { AuthUser, hasRole } from '../auth/auth-user';
import { COUNTY_WIDE_ROLES } from '../auth/roles';
import { DelegationDirectory } from '../delegations/delegation-directory';
import type { Caller } from '../workflow-engine/request-context';
import { OrgUnit } from './org-unit.entity';
import { SupervisionCoverage } from './supervision-coverage.entity';

/**
 * What a user may see, as data. Every feature filters through this:
 * - wholeCounty: county roles (county_office, admin, auditor);
 * - subtreePaths: org-unit subtrees (own unit; a township role's township; an inspector's covered townships);
 * - departmentIds: departments whose assigned records the user sees (department_staff).
 */
export interface Scope {
  countyId: string;
  wholeCounty: boolean;
  subtreePaths: string[];
  departmentIds: string[];
}

/** How long a supervision group's coverage is taken as read; setCoverage forgets it at once. */
const COVERAGE_TTL_MS = 60_000;

@Injectable()
export class ScopeService {
  private readonly coverageCache = new Map<string, { townships: OrgUnit[]; until: number }>();
  private coverageEpoch = 0;

  constructor(
    @InjectRepository(OrgUnit) private readonly orgUnits: Repository<OrgUnit>,
    private readonly delegations: DelegationDirectory,
  ) {}

  async scopeOf(user: AuthUser): Promise<Scope> {
    return (await this.caller(user)).scope;
  }

  /** Townships covered by the supervision group an inspector belongs to (cached briefly; see forgetCoverage). */
  private async coveredTownships(user: AuthUser): Promise<OrgUnit[]> {
    if (user.orgUnitKind !== 'supervision_group') return [];
    const hit = this.coverageCache.get(user.orgUnitId);
    if (hit && hit.until > Date.now()) return hit.townships;
    const epoch = this.coverageEpoch;
    const townships = await this.orgUnits
      .createQueryBuilder('o')
      .innerJoin(SupervisionCoverage, 'c', 'c.township_id = o.id')
      .where('c.group_id = :groupId AND c.county_id = :countyId', { groupId: user.orgUnitId, countyId: user.countyId })
      .getMany();
    // A read that began before a coverage change is not kept.
    if (epoch === this.coverageEpoch) this.coverageCache.set(user.orgUnitId, { townships, until: Date.now() + COVERAGE_TTL_MS });
    return townships;
  }

  /** A supervision group's coverage changed: its inspectors' scope is read again. */
  forgetCoverage(groupId: string): void {
    this.coverageEpoch++;
    this.coverageCache.delete(groupId);
  }

  /** The caller as the pure workflow guards see them. */
  async workflowActor(user: AuthUser): Promise<WorkflowActor> {
    return (await this.caller(user)).actor;
  }

  /**
   * Scope and workflow actor together, with the supervision coverage and the
   * delegations (委派) read once. A delegate sees what their delegators see
   * (same unit, so the same township, or the whole county for the county
   * office) and acts as their reviewer.
   */
  async caller(user: AuthUser): Promise<Caller> {
    const covered = hasRole(user, 'inspector') ? await this.coveredTownships(user) : [];
    const delegators = await this.delegations.delegatorsOf(user.id, user.orgUnitId);
    return { user, scope: withDelegators(scopeWith(user, covered), user, delegators), actor: { ...actorOf(user, covered), delegators } };
  }

  /** The org units the user can see, in tree order. */
  async visibleOrgUnits(user: AuthUser): Promise<OrgUnit[]> {
    const scope = await this.scopeOf(user);
    const qb = this.orgUnits.createQueryBuilder('o').where('o.county_id = :countyId', { countyId: scope.countyId });
    if (!scope.wholeCounty) qb.andWhere(this.pathCondition('o.path', scope));
    return qb.orderBy('o.path').getMany();
  }

  /** See `pathCondition`. */
  pathCondition(pathColumn: string, scope: Scope): Brackets {
    return pathCondition(pathColumn, scope);
  }
}

function scopeWith(user: AuthUser, covered: OrgUnit[]): Scope {
  const scope: Scope = { countyId: user.countyId, wholeCounty: false, subtreePaths: [user.orgUnitPath], departmentIds: [] };
  if (hasRole(user, ...COUNTY_WIDE_ROLES)) {
    scope.wholeCounty = true;
    scope.subtreePaths = [`/${user.countyId}/`];
    return scope;
  }
  if (hasRole(user, 'township_leader')) {
    // A township role sees its whole township even when its own unit is a village in it.
    const townshipPath = user.orgUnitPath.split('/').filter(Boolean).slice(0, 2);
    if (townshipPath.length === 2) scope.subtreePaths.push(`/${townshipPath.join('/')}/`);
  }
  if (hasRole(user, 'department_staff') && user.orgUnitKind === 'department') {
    scope.departmentIds.push(user.orgUnitId);
  }
  scope.subtreePaths.push(...covered.map((t) => t.path));
  scope.subtreePaths = minimalPrefixes(scope.subtreePaths);
  return scope;
}

/** The scope widened by what each delegator's handed-over roles see from the same unit. */
function withDelegators(scope: Scope, user: AuthUser, delegators: readonly Delegator[]): Scope {
  if (delegators.length === 0 || scope.wholeCounty) return scope;
  const parts = delegators.map((d) => scopeWith({ ...user, roles: d.roles }, []));
  if (parts.some((p) => p.wholeCounty)) return parts.find((p) => p.wholeCounty)!;
  return { ...scope, subtreePaths: minimalPrefixes([...scope.subtreePaths, ...parts.flatMap((p) => p.subtreePaths)]) };
}

export function actorOf(user: AuthUser, covered: OrgUnit[]): WorkflowActor {
  const [, townshipId] = user.orgUnitPath.split('/').filter(Boolean);
  const inTownship = user.orgUnitKind === 'township' || user.orgUnitKind === 'village';
  return {
    userId: user.id,
    displayName: user.displayName,
    roles: user.roles,
    orgUnitId: user.orgUnitId,
    countyId: user.countyId,
    townshipId: inTownship ? townshipId : null,
    departmentId: user.orgUnitKind === 'department' ? user.orgUnitId : null,
    inspectionTownshipIds: covered.map((t) => t.id),
  };
}

/**
 * Adds "path column is inside the scope" to a query. Parameter names are
 * derived from the alias so several scoped joins can share a query.
 */
export function pathCondition(pathColumn: string, scope: Scope): Brackets {
  const key = pathColumn.replace(/\W/g, '_');
  return new Brackets((w) => {
    scope.subtreePaths.forEach((p, i) => {
      w.orWhere(`${pathColumn} LIKE :${key}_${i}`, { [`${key}_${i}`]: `${escapeLike(p)}%` });
    });
    if (scope.subtreePaths.length === 0) w.where('FALSE');
  });
}

export function inScope(scope: Scope, path: string): boolean {
  return scope.wholeCounty || scope.subtreePaths.some((p) => path.startsWith(p));
}

function minimalPrefixes(paths: string[]): string[] {
  const sorted = [...new Set(paths)].sort((a, b) => a.length - b.length);
  return sorted.filter((p, i) => !sorted.slice(0, i).some((q) => p.startsWith(q)));
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
