import type { PhaseKind, WorkflowEventBase } from '../common';

export type ReviewLevel = 'township' | 'county';

export interface ExtensionRequest {
  requestedDeadline: string;
  reason: string;
  requestedBy: string;
}

/**
 * What the machine needs to decide; the item's descriptive fields (household,
 * problem type, text, attachments) live in the engine's tables.
 */
export interface ProblemItemContext {
  id: string;
  campaignId: string;
  countyId: string;
  /** Where the problem is (village, township, department or county). */
  orgUnitId: string;
  /** Null for department or county-level items. */
  townshipId: string | null;
  /** `township` for village/township items; `county` for department/county items and after escalation. */
  reviewLevel: ReviewLevel;
  investigatorId: string;
  fixedOnSite: boolean;
  measures: string | null;
  rectifierId: string | null;
  /** The county department or county office the item was escalated to. */
  responsibleOrgUnitId: string | null;
  deadline: string | null;
  reviewedSinceSubmit: boolean;
  extension: ExtensionRequest | null;
  /** Who signed the last SUBMIT_RECTIFICATION, or the investigator for a fixed-on-site item. */
  lastRectifierSignerId: string | null;
  acceptedById: string | null;
  /** Everybody who signed any step, in signing order, duplicates kept. */
  signerIds: string[];
  reopenCount: number;
  /** True after SPOT_CHECK_PASS; reset on reopen. */
  inspected: boolean;
  longTerm: boolean;
  longTermPlan: string | null;
  progressCount: number;
}

export interface ProblemItemInput {
  id: string;
  campaignId: string;
  countyId: string;
  orgUnitId: string;
  townshipId: string | null;
  reviewLevel: ReviewLevel;
  investigatorId: string;
}

type Ev<TType extends string, TPayload = object> = { type: TType } & WorkflowEventBase & TPayload;

export type ProblemItemEvent =
  /** Changes to the item's own fields are the engine's; the machine keeps the fields it decides on. */
  | Ev<'EDIT', { fixedOnSite?: boolean; measures?: string | null }>
  | Ev<'SUBMIT', { fixedOnSite?: boolean; measures?: string }>
  | Ev<'DISCARD'>
  | Ev<'WITHDRAW'>
  /** Either the 四项清单 (→ rectifying), or nothing for a fixed-on-site item (→ pending_acceptance). */
  | Ev<'CONFIRM', { measures?: string; rectifierId?: string; deadline?: string }>
  | Ev<'RETURN', { reason: string }>
  | Ev<'DISMISS', { reason: string }>
  | Ev<'REPORT_PROGRESS', { comment: string }>
  | Ev<'SUBMIT_RECTIFICATION', { comment: string; evidence: string[] }>
  | Ev<'REQUEST_EXTENSION', { reason: string; newDeadline: string }>
  | Ev<'APPROVE_EXTENSION', { comment?: string }>
  | Ev<'DENY_EXTENSION', { reason: string }>
  | Ev<'ESCALATE', { toOrgUnitId: string; reason: string; rectifierId?: string; deadline?: string }>
  | Ev<'MARK_LONG_TERM', { plan: string }>
  | Ev<'ACCEPT', { comment?: string }>
  | Ev<'REJECT_RECTIFICATION', { reason: string; deadline?: string }>
  | Ev<'SPOT_CHECK_PASS', { comment?: string }>
  /** `deadline` is required when reopening a closed item, ignored for a dismissed one. */
  | Ev<'REOPEN', { reason: string; deadline?: string }>;

export type ProblemItemEventType = ProblemItemEvent['type'];

export type ProblemItemEventOf<T extends ProblemItemEventType> = Extract<ProblemItemEvent, { type: T }>;

export const PROBLEM_ITEM_EVENT_TYPES: readonly ProblemItemEventType[] = [
  'EDIT',
  'SUBMIT',
  'DISCARD',
  'WITHDRAW',
  'CONFIRM',
  'RETURN',
  'DISMISS',
  'REPORT_PROGRESS',
  'SUBMIT_RECTIFICATION',
  'REQUEST_EXTENSION',
  'APPROVE_EXTENSION',
  'DENY_EXTENSION',
  'ESCALATE',
  'MARK_LONG_TERM',
  'ACCEPT',
  'REJECT_RECTIFICATION',
  'SPOT_CHECK_PASS',
  'REOPEN',
];

/** Top-level states; stored items rely on these names, never rename or remove one. */
export type ProblemItemStateName = 'draft' | 'pending_review' | 'returned' | 'rectifying' | 'pending_acceptance' | 'closed' | 'dismissed' | 'discarded';

export const PROBLEM_ITEM_STATES: readonly ProblemItemStateName[] = [
  'draft',
  'pending_review',
  'returned',
  'rectifying',
  'pending_acceptance',
  'closed',
  'dismissed',
  'discarded',
];

/** What users read for each state: the API's `stateLabel`, exported sheets, notifications, the diagram. */
export const PROBLEM_ITEM_STATE_LABELS: Readonly<Record<ProblemItemStateName, string>> = {
  draft: '草稿',
  pending_review: '待审核',
  returned: '已退回',
  rectifying: '整改中',
  pending_acceptance: '待验收',
  closed: '已销号',
  dismissed: '不予认定',
  discarded: '已作废',
};

/** States that still need work; an item in one of them blocks the summary phase unless long-term. */
export const OPEN_STATES: readonly ProblemItemStateName[] = ['draft', 'pending_review', 'returned', 'rectifying', 'pending_acceptance'];

export type SignatureKind =
  | 'investigation'
  | 'review'
  | 'return'
  | 'dismissal'
  | 'rectification'
  | 'extension_request'
  | 'extension_decision'
  | 'escalation'
  | 'acceptance'
  | 'rejection'
  | 'inspection'
  | 'reopen'
  | 'long_term'
  | 'withdrawal'
  | 'progress';

/** The signature each event writes; null for unsigned events. */
export const SIGNATURE_KIND_BY_EVENT: Readonly<Record<ProblemItemEventType, SignatureKind | null>> = {
  EDIT: null,
  SUBMIT: 'investigation',
  DISCARD: null,
  WITHDRAW: null,
  CONFIRM: 'review',
  RETURN: 'return',
  DISMISS: 'dismissal',
  REPORT_PROGRESS: null,
  SUBMIT_RECTIFICATION: 'rectification',
  REQUEST_EXTENSION: 'extension_request',
  APPROVE_EXTENSION: 'extension_decision',
  DENY_EXTENSION: 'extension_decision',
  ESCALATE: 'escalation',
  MARK_LONG_TERM: 'long_term',
  ACCEPT: 'acceptance',
  REJECT_RECTIFICATION: 'rejection',
  SPOT_CHECK_PASS: 'inspection',
  REOPEN: 'reopen',
};

/**
 * The effects a transition may return (named actions the machine never runs
 * itself): whom the engine tells about the item's new state.
 */
export type ProblemItemEffect = 'notifyReviewer' | 'notifyRectifier' | 'notifyInvestigator' | 'notifyInspector';

export const PROBLEM_ITEM_EFFECTS: readonly ProblemItemEffect[] = ['notifyReviewer', 'notifyRectifier', 'notifyInvestigator', 'notifyInspector'];

/** Campaign phase kinds in which each event is allowed (边查边改: phases overlap). */
export const EVENT_PHASES: Readonly<Record<ProblemItemEventType, readonly PhaseKind[]>> = (() => {
  const reporting: PhaseKind[] = ['investigation', 'rectification', 'improvement'];
  const working: PhaseKind[] = ['investigation', 'rectification', 'improvement', 'summary'];
  return {
    EDIT: reporting,
    SUBMIT: reporting,
    DISCARD: reporting,
    WITHDRAW: reporting,
    CONFIRM: reporting,
    RETURN: reporting,
    DISMISS: reporting,
    REPORT_PROGRESS: working,
    SUBMIT_RECTIFICATION: working,
    REQUEST_EXTENSION: working,
    APPROVE_EXTENSION: working,
    DENY_EXTENSION: working,
    ESCALATE: working,
    MARK_LONG_TERM: working,
    ACCEPT: working,
    REJECT_RECTIFICATION: working,
    SPOT_CHECK_PASS: ['rectification', 'improvement', 'summary'],
    REOPEN: ['rectification', 'improvement'],
  };
})();

/** Why an event was refused, for the engine to map onto its error codes. */
export type ProblemItemRefusal =
  /** No transition for this event in the current state. */
  | 'invalid_state'
  /** The campaign's current phase does not allow the event. */
  | 'phase_closed'
  /** Role, org scope or relation to the item does not fit. */
  | 'not_permitted'
  /** The actor rectified the item (acceptance) or signed it earlier (inspection). */
  | 'separation_of_duties'
  /** Missing or invalid payload (reason, deadline, evidence…). */
  | 'invalid_payload';
