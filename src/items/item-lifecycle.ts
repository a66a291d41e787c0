import {
  availableEvents,
  CLOSED_STATE,
  DISCARDED_STATE,
  explainRefusal,
  EFFECT_PARTY,
  hasPendingExtension,
  itemNoticeText,
  resolveMachine,
  SIGNATURE_KIND_BY_EVENT,
  signsOnBehalfOf,
  stateName,
  type ProblemItemEffect,
  type ProblemItemEvent,
  type ProblemItemEventType,
  type ProblemItemSnapshot,
} from '../../workflows';
import { AuthUser, hasRole } from '../auth/auth-user';
import { chinaDate } from '../common/clock';
import type { Audience } from '../notifications/notifications.service';
import { fromStored } from '../workflow-engine/snapshots';
import type { Lifecycle } from '../workflow-engine/workflow-runner';
import { ProblemItem } from './problem-item.entity';
import { chinaDay, foldEvent } from '../reports/progress';
import { fromStoredStatus, payloadDate, tallyChange, tallyOwner, toStoredStatus } from '../reports/report-tally';

/** The role a signature records for the signer, by event; the reviewer's role otherwise. */
const SIGNER_ROLE: Partial<Record<ProblemItemEventType, (u: AuthUser) => string>> = {
  SUBMIT: (u) => (hasRole(u, 'investigator') ? 'investigator' : u.roles[0]),
  SUBMIT_RECTIFICATION: () => 'rectifier',
  REQUEST_EXTENSION: () => 'rectifier',
  SPOT_CHECK_PASS: () => 'inspector',
  REOPEN: () => 'inspector',
};

const REVIEWER_ROLE = (u: AuthUser): string => (hasRole(u, 'county_office') ? 'county_office' : 'township_leader');

/** A reviewer audience, and whoever stands in for its members today (委派). */
function reviewersAndDelegates(reviewers: Audience, now: Date): Audience[] {
  return [reviewers, { kind: 'delegatesOf', of: [reviewers], on: chinaDate(now) }];
}

type ProjectedColumns = Pick<
  ProblemItem,
  | 'state'
  | 'reviewLevel'
  | 'measures'
  | 'rectifierId'
  | 'responsibleOrgUnitId'
  | 'deadline'
  | 'fixedOnSite'
  | 'extensionRequested'
  | 'reopenCount'
  | 'inspected'
  | 'longTerm'
> &
  Partial<Pick<ProblemItem, 'longTermPlan'>>;

/** The item's snapshot, restored with the machine version it was written with. */
export function itemSnapshot(item: ProblemItem): ProblemItemSnapshot {
  return fromStored(resolveMachine('problem-item', item.workflowVersion), item.snapshot);
}

/** Columns mirrored from the machine context, written with every snapshot. */
export function itemProjections(s: ProblemItemSnapshot): ProjectedColumns {
  const c = s.context;
  const state = stateName(s);
  return {
    state,
    reviewLevel: c.reviewLevel,
    measures: c.measures,
    rectifierId: c.rectifierId,
    responsibleOrgUnitId: c.responsibleOrgUnitId,
    deadline: c.deadline ? c.deadline.slice(0, 10) : null,
    fixedOnSite: c.fixedOnSite,
    extensionRequested: hasPendingExtension(s),
    reopenCount: c.reopenCount,
    inspected: c.inspected,
    longTerm: c.longTerm,
    ...(c.longTermPlan !== null ? { longTermPlan: c.longTermPlan } : {}),
  };
}

/**
 * The problem item (问题) as the workflow engine runs it: its projections,
 * signer roles, what a signature records, and whom each effect tells.
 */
export const ITEM_LIFECYCLE: Lifecycle<ProblemItem, ProblemItemSnapshot, ProblemItemEvent, ProblemItemEffect> = {
  subjectType: 'item',
  entity: ProblemItem,
  stateName,
  signatureKind: (type) => SIGNATURE_KIND_BY_EVENT[type],
  explainRefusal,
  availableActions: (before, event) => availableEvents(before, event.actor, event.env),
  projections: (next, row, now) => {
    const state = stateName(next);
    const closedAt = state === CLOSED_STATE ? (row.state === CLOSED_STATE ? row.closedAt : now) : null;
    return { ...itemProjections(next), closedAt, updatedAt: now };
  },
  removes: (state) => state === DISCARDED_STATE,
  tally: (row, change) => {
    const before = fromStoredStatus(row.reportStatus);
    const after = foldEvent(before, {
      eventType: change.eventType,
      stateAfter: change.stateAfter,
      at: change.at,
      // As the replay reads them from the signature (payload->>'deadline').
      deadline: payloadDate(change.payload.deadline),
      newDeadline: payloadDate(change.payload.newDeadline),
    });
    return { columns: { reportStatus: toStoredStatus(after) }, rows: tallyChange(tallyOwner(row), before, after, chinaDay(change.at)) };
  },
  signerRole: (user, event, before) => {
    const own = SIGNER_ROLE[event.type];
    if (own) return own(user);
    // A delegate signs in the role of the reviewer they stand in for.
    if (signsOnBehalfOf(before.context, event)) return before.context.reviewLevel === 'county' ? 'county_office' : 'township_leader';
    return REVIEWER_ROLE(user);
  },
  onBehalfOf: (event, before) => {
    const delegator = signsOnBehalfOf(before.context, event);
    return delegator ? { id: delegator.userId, name: delegator.displayName } : null;
  },
  signed: (event) => {
    const { actor: _a, env: _e, type: _t, comment, evidence: _ev, ...payload } = event as ProblemItemEvent & { comment?: string; evidence?: string[] };
    // A JSON round trip: the payload is stored (and hashed) as jsonb gives it back.
    return { comment: comment ?? null, payload: JSON.parse(JSON.stringify(payload)) as Record<string, unknown> };
  },
  effects: {
    notifyInvestigator: ({ transition: { after }, notify }) => notify({ kind: 'users', userIds: [after.investigatorId] }),
    notifyRectifier: ({ transition: { after }, notify }) => {
      if (after.rectifierId) notify({ kind: 'users', userIds: [after.rectifierId] });
      // Escalated without a named rectifier: whoever of the responsible unit may take it up.
      else if (after.responsibleOrgUnitId) notify({ kind: 'unitRoles', orgUnitId: after.responsibleOrgUnitId, roles: ['department_staff', 'county_office'] });
    },
    notifyReviewer: ({ transition: { after, now }, notify }) => {
      const reviewers: Audience =
        after.reviewLevel === 'township' && after.townshipId
          ? { kind: 'unitRoles', orgUnitId: after.townshipId, roles: ['township_leader'] }
          : { kind: 'countyRoles', roles: ['county_office'] };
      for (const a of reviewersAndDelegates(reviewers, now)) notify(a);
    },
    notifyInspector: ({ transition: { after }, notify }) => {
      if (after.townshipId) notify({ kind: 'inspectorsOf', townshipId: after.townshipId });
    },
  },
  notice: ({ after, event, before, next }, effect) => ({
    itemId: after.id,
    message: `${itemTitle(after)}${itemNoticeText(event, before, next, EFFECT_PARTY[effect])}`,
  }),
};

/** How a notification names an item: 问题 #12「危房改造未完成」. */
export function itemTitle(item: Pick<ProblemItem, 'number' | 'description'>): string {
  const text = item.description.length > 40 ? `${item.description.slice(0, 40)}…` : item.description;
  return `问题 #${item.number}「${text}」`;
}
