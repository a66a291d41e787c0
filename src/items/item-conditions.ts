import { Brackets, type SelectQueryBuilder } from 'typeorm';
import { OVERDUE_STATE } from '../../workflows';
import type { AuthUser } from '../auth/auth-user';
import { inScope, pathCondition, type Scope } from '../orgs/scope.service';
import type { ProblemItem } from './problem-item.entity';

/**
 * SQL conditions on problem items (alias `i`) that every reader shares: who
 * may see an item, and what overdue means. The lifecycle facts come from
 * `workflows/`; nothing here names a state of its own.
 */

/**
 * Scope, plus the items a user is personally named on (their own findings
 * and rectifications). Outside it an item does not exist (404).
 */
export function applyItemVisibility<T extends SelectQueryBuilder<ProblemItem>>(qb: T, user: AuthUser, scope: Scope): T {
  qb.andWhere('i.county_id = :county', { county: scope.countyId });
  if (scope.wholeCounty) return qb;
  qb.andWhere(
    new Brackets((w) => {
      w.where(pathCondition('i.org_unit_path', scope));
      // A department sees what was assigned to it and what its staff found (行业排查).
      if (scope.departmentIds.length)
        w.orWhere('(i.responsible_org_unit_id IN (:...depts) OR i.sector_department_id IN (:...depts))', { depts: scope.departmentIds });
      w.orWhere('i.rectifier_id = :viewer OR i.investigator_id = :viewer', { viewer: user.id });
    }),
  );
  return qb;
}

/** applyItemVisibility for one loaded row, in memory: the same rule, without a query. */
export function isVisible(item: ProblemItem, user: AuthUser, scope: Scope): boolean {
  if (item.countyId !== scope.countyId) return false;
  if (scope.wholeCounty) return true;
  return (
    inScope(scope, item.orgUnitPath) ||
    (item.responsibleOrgUnitId !== null && scope.departmentIds.includes(item.responsibleOrgUnitId)) ||
    (item.sectorDepartmentId !== null && scope.departmentIds.includes(item.sectorDepartmentId)) ||
    item.rectifierId === user.id ||
    item.investigatorId === user.id
  );
}

/** 超期 as a condition with its parameters: `isOverdue` (workflows) in SQL, `today` by China's calendar. */
export function overdueCondition(today: string): { sql: string; params: Record<string, unknown> } {
  return {
    sql: '(i.state = :overdueState AND i.deadline IS NOT NULL AND i.deadline < :today)',
    params: { overdueState: OVERDUE_STATE, today },
  };
}
