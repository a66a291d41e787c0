import type { OrgUnit } from '../orgs/org-unit.entity';
import type { ProblemItem } from './problem-item.entity';

/**
 * Who may be named 整改责任人 of an item: an active user with a signing role
 * (checked by the callers) whose org unit is
 * - inside the item's township (its village, another village, the township), or
 * - the department the item was escalated to (or the county office's own unit
 *   when escalated to the county), or
 * - for 行业排查 and department-level items, the item's department;
 * and, when escalating, only the unit it goes to. Never the reviewer naming
 * them: acceptance would then fall to the person who rectified, which
 * separation of duties forbids, and nobody could accept the item.
 *
 * As data, so that the check (ItemWriteService) and the picker
 * (GET /api/directory/rectifiers) read the same rule.
 */
export interface RectifierUnits {
  /** Org-unit subtrees (paths) whose users qualify. */
  subtreePaths: string[];
  /** Org units whose own users qualify. */
  unitIds: string[];
}

type ItemPlace = Pick<ProblemItem, 'countyId' | 'townshipId' | 'responsibleOrgUnitId' | 'sectorDepartmentId' | 'orgUnitId'> & {
  orgUnit?: Pick<OrgUnit, 'kind'> | null;
};

/** The units whose users may rectify `item`; with `escalationTarget`, only that department or the county office. */
export function rectifierUnits(item: ItemPlace, escalationTarget?: string): RectifierUnits {
  if (escalationTarget) return { subtreePaths: [], unitIds: [escalationTarget] };
  const subtreePaths = item.townshipId ? [`/${item.countyId}/${item.townshipId}/`] : [];
  const unitIds = [item.responsibleOrgUnitId, item.sectorDepartmentId, item.orgUnit?.kind === 'department' ? item.orgUnitId : null].filter(
    (id): id is string => id !== null,
  );
  return { subtreePaths, unitIds: [...new Set(unitIds)] };
}

export function isRectifierUnit(units: RectifierUnits, unit: Pick<OrgUnit, 'id' | 'path'>): boolean {
  return units.unitIds.includes(unit.id) || units.subtreePaths.some((p) => unit.path.startsWith(p));
}

/** What the refusal says: the places a rectifier may come from. */
export function rectifierUnitsMessage(escalating: boolean): string {
  return escalating ? '整改责任人须是所上报单位（县直部门或县巩固办）的在岗人员' : '整改责任人须是问题所在乡镇的在岗人员，或问题上报、交办的县直部门的人员';
}
