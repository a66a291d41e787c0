import { problemItemStateLabel, type ProblemItemEventType, type ProblemItemStateName, type ReviewLevel } from '../../workflows';
import { AuthUser, hasRole } from '../auth/auth-user';
import { maskResidentId } from '../common/validation/resident-id';
import { mapOrgUnitRef } from '../orgs/org-unit.mapper';
import type { OrgUnit } from '../orgs/org-unit.entity';
import type { User } from '../users/user.entity';
import type { UserRefResponse } from '../users/user.response';
import { ItemResponse, ItemWithActionsResponse } from './item.response';
import { ProblemItem } from './problem-item.entity';

/** Only the county office sees 身份证号码 in full (each view audited); everybody else masked. */
export function seesFullIdNumbers(user: AuthUser): boolean {
  return hasRole(user, 'county_office');
}

const unitRef = (u: OrgUnit | null | undefined) => (u ? mapOrgUnitRef(u) : null);
const userRef = (u: User): UserRefResponse => ({ id: u.id, name: u.displayName });

/** A relation every item has; the mapper is only given items loaded with it (ItemReadService.loadOrThrow, withDetails). */
function loaded<T>(value: T | null | undefined, relation: string): T {
  if (!value) throw new Error(`problem item mapped without its ${relation}`);
  return value;
}

export interface ItemView {
  fullIdNumber: boolean;
  overdue: boolean;
  problemTypeName: string | null;
  availableActions?: ProblemItemEventType[];
  /** With availableActions: the delegator the caller reviews the item for (委派). */
  actingFor?: { id: string; name: string } | null;
}

/** 身份证号码 is masked (first 6, last 4) unless the caller may see it in full. */
export function mapItem(i: ProblemItem, view: ItemView & { availableActions: ProblemItemEventType[] }): ItemWithActionsResponse;
export function mapItem(i: ProblemItem, view: ItemView): ItemResponse;
export function mapItem(i: ProblemItem, view: ItemView): ItemResponse | ItemWithActionsResponse {
  const extension = (i.snapshot.context as { extension?: { requestedDeadline: string; reason: string } | null }).extension ?? null;
  return {
    id: i.id,
    number: i.number,
    campaignId: i.campaignId,
    orgUnit: mapOrgUnitRef(loaded(i.orgUnit, 'orgUnit')),
    township: unitRef(i.township),
    problemType: { code: i.problemTypeCode, name: view.problemTypeName },
    description: i.description,
    household:
      i.householdName || i.householdIdNumber
        ? {
            name: i.householdName,
            idNumber: i.householdIdNumber ? (view.fullIdNumber ? i.householdIdNumber : maskResidentId(i.householdIdNumber)) : null,
            idNumberMasked: !!i.householdIdNumber && !view.fullIdNumber,
          }
        : null,
    remark: i.remark,
    // Projections of the machine's snapshot, written only by the engine.
    state: i.state as ProblemItemStateName,
    stateLabel: problemItemStateLabel(i.state),
    reviewLevel: i.reviewLevel as ReviewLevel,
    measures: i.measures,
    rectifier: i.rectifier ? userRef(i.rectifier) : null,
    responsibleOrgUnit: unitRef(i.responsibleOrgUnit),
    sectorDepartment: unitRef(i.sectorDepartment),
    deadline: i.deadline,
    plannedRectifierName: i.plannedRectifierName,
    plannedDeadline: i.plannedDeadline,
    overdue: view.overdue,
    fixedOnSite: i.fixedOnSite,
    extension: extension ? { requestedDeadline: extension.requestedDeadline, reason: extension.reason } : null,
    reopenCount: i.reopenCount,
    inspected: i.inspected,
    longTerm: i.longTerm,
    longTermPlan: i.longTermPlan,
    investigator: userRef(loaded(i.investigator, 'investigator')),
    workflow: { id: i.workflowId, version: i.workflowVersion },
    version: i.version,
    createdAt: i.createdAt.toISOString(),
    updatedAt: i.updatedAt.toISOString(),
    closedAt: i.closedAt?.toISOString() ?? null,
    ...(view.availableActions ? { availableActions: view.availableActions, actingFor: view.actingFor ?? null } : {}),
  };
}
