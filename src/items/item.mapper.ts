import { maskResidentId } from '../common/validation/resident-id';
import { ProblemItem } from './problem-item.entity';

export const ITEM_STATE_LABELS: Record<string, string> = {
  draft: '草稿',
  pending_review: '待审核',
  returned: '已退回',
  rectifying: '整改中',
  pending_acceptance: '待验收',
  closed: '已销号',
  dismissed: '不予认定',
  discarded: '已作废',
};

const unitRef = (u: { id: string; name: string; kind?: string } | null | undefined) => (u ? { id: u.id, name: u.name, kind: u.kind } : null);
const userRef = (u: { id: string; displayName: string } | null | undefined) => (u ? { id: u.id, name: u.displayName } : null);

export interface ItemView {
  fullIdNumber: boolean;
  overdue: boolean;
  problemTypeName: string | null;
  availableActions?: string[];
}

/** 身份证号码 is masked (first 6, last 4) unless the caller may see it in full. */
export function mapItem(i: ProblemItem, view: ItemView) {
  const extension = (i.snapshot.context as { extension?: { requestedDeadline: string; reason: string } | null }).extension ?? null;
  return {
    id: i.id,
    number: i.number,
    campaignId: i.campaignId,
    orgUnit: unitRef(i.orgUnit),
    township: unitRef(i.township),
    problemType: { code: i.problemTypeCode, name: view.problemTypeName },
    description: i.description,
    household: i.householdName || i.householdIdNumber
      ? {
          name: i.householdName,
          idNumber: i.householdIdNumber ? (view.fullIdNumber ? i.householdIdNumber : maskResidentId(i.householdIdNumber)) : null,
          idNumberMasked: !!i.householdIdNumber && !view.fullIdNumber,
        }
      : null,
    remark: i.remark,
    state: i.state,
    stateLabel: ITEM_STATE_LABELS[i.state] ?? i.state,
    reviewLevel: i.reviewLevel,
    measures: i.measures,
    rectifier: userRef(i.rectifier),
    responsibleOrgUnit: unitRef(i.responsibleOrgUnit),
    deadline: i.deadline,
    /** 整改责任人 and 整改时限 as an imported ledger row planned them, until the reviewer sets them (CONFIRM). */
    plannedRectifierName: i.plannedRectifierName,
    plannedDeadline: i.plannedDeadline,
    overdue: view.overdue,
    fixedOnSite: i.fixedOnSite,
    extension: extension ? { requestedDeadline: extension.requestedDeadline, reason: extension.reason } : null,
    reopenCount: i.reopenCount,
    inspected: i.inspected,
    longTerm: i.longTerm,
    longTermPlan: i.longTermPlan,
    investigator: userRef(i.investigator),
    workflow: { id: i.workflowId, version: i.workflowVersion },
    version: i.version,
    createdAt: i.createdAt.toISOString(),
    updatedAt: i.updatedAt.toISOString(),
    closedAt: i.closedAt?.toISOString() ?? null,
    ...(view.availableActions ? { availableActions: view.availableActions } : {}),
  };
}
