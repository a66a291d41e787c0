import { hasOperationalRole, hasRole, isIsoDateTime, isNonEmptyText, isStrictlyAfter, type Delegator, type Role, type WorkflowActor } from '../common';
import { EVENT_PHASES, type ProblemItemContext, type ProblemItemEvent, type ProblemItemEventType } from './problem-item.types';

/**
 * Pure predicates over (item context, event). Each answers one question, so a
 * transition's guard reads as the list of conditions it needs and a refusal can
 * be explained by the first one that fails (see `explainRefusal`).
 */
export interface GuardArgs {
  context: ProblemItemContext;
  event: ProblemItemEvent;
}

type Predicate = (args: GuardArgs) => boolean;

/** Payloads come from outside (HTTP, spreadsheets): read them as unknown and check. */
function field(event: ProblemItemEvent, name: string): unknown {
  return (event as unknown as Record<string, unknown>)[name];
}

// Relations of an actor to an item.

export function isInvestigator(item: ProblemItemContext, actor: WorkflowActor): boolean {
  return hasOperationalRole(actor) && actor.userId === item.investigatorId;
}

/** Whether someone of `roles`, placed where the actor is, reviews the item. */
function reviewsWith(item: ProblemItemContext, actor: WorkflowActor, roles: readonly Role[]): boolean {
  if (actor.countyId !== item.countyId) return false;
  if (item.reviewLevel === 'township') {
    return roles.includes('township_leader') && item.townshipId !== null && actor.townshipId === item.townshipId;
  }
  return roles.includes('county_office');
}

/** The reviewer level over the item, in the actor's own right or as the delegate (委派) of one who is. */
export function isReviewer(item: ProblemItemContext, actor: WorkflowActor): boolean {
  return reviewsWith(item, actor, actor.roles) || reviewerActingFor(item, actor) !== null;
}

/**
 * The delegator the actor reviews the item for: null when the actor is a
 * reviewer of it in their own right (or not one at all). Delegator and
 * delegate belong to the same org unit, so the delegator stands where the
 * actor stands.
 */
export function reviewerActingFor(item: ProblemItemContext, actor: WorkflowActor): Delegator | null {
  if (reviewsWith(item, actor, actor.roles)) return null;
  return (actor.delegators ?? []).find((d) => reviewsWith(item, actor, d.roles)) ?? null;
}

/**
 * The named rectifier; when an escalated item names nobody, any staff of the
 * responsible department (or of the county office, when escalated to it).
 */
export function isRectifier(item: ProblemItemContext, actor: WorkflowActor): boolean {
  if (!hasOperationalRole(actor)) return false;
  if (item.rectifierId !== null) return actor.userId === item.rectifierId;
  if (item.responsibleOrgUnitId === null || actor.countyId !== item.countyId) return false;
  if (item.responsibleOrgUnitId === item.countyId) return hasRole(actor, 'county_office');
  return hasRole(actor, 'department_staff') && actor.departmentId === item.responsibleOrgUnitId;
}

/** Items without a township (department/county level) are covered by every inspector of the county. */
export function isInspector(item: ProblemItemContext, actor: WorkflowActor): boolean {
  if (!hasRole(actor, 'inspector') || actor.countyId !== item.countyId) return false;
  return item.townshipId === null || actor.inspectionTownshipIds.includes(item.townshipId);
}

export function isPhaseOpen(type: ProblemItemEventType, phase: ProblemItemEvent['env']['phase']): boolean {
  return phase !== null && EVENT_PHASES[type].includes(phase);
}

// Named guards, as registered with setup().

export const isPhaseOpenFor: Predicate = ({ event }) => isPhaseOpen(event.type, event.env.phase);

export const isInvestigatorOfItem: Predicate = ({ context, event }) => isInvestigator(context, event.actor);

export const isReviewerOfItem: Predicate = ({ context, event }) => isReviewer(context, event.actor);

/** Only a township leader over a township-level item can hand it up (镇村无力解决). */
export const isTownshipReviewerOfItem: Predicate = ({ context, event }) => context.reviewLevel === 'township' && isReviewer(context, event.actor);

export const isRectifierOfItem: Predicate = ({ context, event }) => isRectifier(context, event.actor);

export const isInspectorOfItem: Predicate = ({ context, event }) => isInspector(context, event.actor);

/** Separation of duties: whoever rectified (or fixed on the spot) cannot accept. */
export const isNotRectifierOfItem: Predicate = ({ context, event }) =>
  event.actor.userId !== context.rectifierId && event.actor.userId !== context.lastRectifierSignerId;

/** Separation of duties: an inspector never checks an item they signed at an earlier step. */
export const hasNotSignedItem: Predicate = ({ context, event }) => !context.signerIds.includes(event.actor.userId);

export const hasNotBeenReviewedSinceSubmit: Predicate = ({ context }) => !context.reviewedSinceSubmit;

export const isNotLongTerm: Predicate = ({ context }) => !context.longTerm;

/** 立行立改 needs a description of what was done. */
export const hasMeasuresIfFixedOnSite: Predicate = ({ context, event }) => {
  const fixedOnSite = field(event, 'fixedOnSite');
  if (fixedOnSite !== undefined && typeof fixedOnSite !== 'boolean') return false;
  const measures = field(event, 'measures');
  if (measures !== undefined && typeof measures !== 'string') return false;
  return !(fixedOnSite ?? context.fixedOnSite) || isNonEmptyText(measures ?? context.measures);
};

/** A confirmation without a 四项清单 is only meaningful for an item fixed on the spot. */
export const isFixedOnSiteConfirmation: Predicate = ({ context, event }) =>
  context.fixedOnSite && field(event, 'measures') === undefined && field(event, 'rectifierId') === undefined && field(event, 'deadline') === undefined;

export const hasMeasuresAndRectifier: Predicate = ({ event }) => isNonEmptyText(field(event, 'measures')) && isNonEmptyText(field(event, 'rectifierId'));

/** The event's `deadline` is present and strictly after `env.now`. */
export const hasValidDeadline: Predicate = ({ event }) => isStrictlyAfter(field(event, 'deadline'), event.env.now);

/** The event's `deadline` is absent, or strictly after `env.now`. */
export const hasValidOptionalDeadline: Predicate = (args) => field(args.event, 'deadline') === undefined || hasValidDeadline(args);

export const hasReason: Predicate = ({ event }) => isNonEmptyText(field(event, 'reason'));

export const hasComment: Predicate = ({ event }) => isNonEmptyText(field(event, 'comment'));

export const hasEvidence: Predicate = ({ event }) => {
  const evidence = field(event, 'evidence');
  return Array.isArray(evidence) && evidence.length > 0 && evidence.every(isNonEmptyText);
};

/** A new deadline must extend the current one and lie in the future. */
export const hasValidExtensionRequest: Predicate = ({ context, event }) => {
  const newDeadline = field(event, 'newDeadline');
  if (!isNonEmptyText(field(event, 'reason')) || !isStrictlyAfter(newDeadline, event.env.now)) return false;
  return context.deadline === null || !isIsoDateTime(context.deadline) || isStrictlyAfter(newDeadline, context.deadline);
};

export const hasEscalationTarget: Predicate = ({ event }) => {
  const rectifierId = field(event, 'rectifierId');
  return isNonEmptyText(field(event, 'toOrgUnitId')) && (rectifierId === undefined || isNonEmptyText(rectifierId));
};

export const hasLongTermPlan: Predicate = ({ event }) => isNonEmptyText(field(event, 'plan'));

export const problemItemGuards = {
  isPhaseOpenFor,
  isInvestigatorOfItem,
  isReviewerOfItem,
  isTownshipReviewerOfItem,
  isRectifierOfItem,
  isInspectorOfItem,
  isNotRectifierOfItem,
  hasNotSignedItem,
  hasNotBeenReviewedSinceSubmit,
  isNotLongTerm,
  hasMeasuresIfFixedOnSite,
  isFixedOnSiteConfirmation,
  hasMeasuresAndRectifier,
  hasValidDeadline,
  hasValidOptionalDeadline,
  hasReason,
  hasComment,
  hasEvidence,
  hasValidExtensionRequest,
  hasEscalationTarget,
  hasLongTermPlan,
} satisfies Record<string, Predicate>;

export type ProblemItemGuardName = keyof typeof problemItemGuards;

/** Who may send each event: the relation part of every transition's guard. */
export const ACTOR_GUARDS: Readonly<Record<ProblemItemEventType, readonly ProblemItemGuardName[]>> = {
  EDIT: ['isInvestigatorOfItem'],
  SUBMIT: ['isInvestigatorOfItem'],
  DISCARD: ['isInvestigatorOfItem'],
  WITHDRAW: ['isInvestigatorOfItem'],
  CONFIRM: ['isReviewerOfItem'],
  RETURN: ['isReviewerOfItem'],
  DISMISS: ['isReviewerOfItem'],
  REPORT_PROGRESS: ['isRectifierOfItem'],
  SUBMIT_RECTIFICATION: ['isRectifierOfItem'],
  REQUEST_EXTENSION: ['isRectifierOfItem'],
  APPROVE_EXTENSION: ['isReviewerOfItem'],
  DENY_EXTENSION: ['isReviewerOfItem'],
  ESCALATE: ['isTownshipReviewerOfItem'],
  MARK_LONG_TERM: ['isReviewerOfItem'],
  ACCEPT: ['isReviewerOfItem'],
  REJECT_RECTIFICATION: ['isReviewerOfItem'],
  SPOT_CHECK_PASS: ['isInspectorOfItem'],
  REOPEN: ['isInspectorOfItem'],
};

/** Separation-of-duties conditions, checked after the relation. */
export const DUTY_GUARDS: Readonly<Partial<Record<ProblemItemEventType, readonly ProblemItemGuardName[]>>> = {
  ACCEPT: ['isNotRectifierOfItem'],
  SPOT_CHECK_PASS: ['hasNotSignedItem'],
  REOPEN: ['hasNotSignedItem'],
};

/** Conditions on the item itself (not on the payload) beyond its state name. */
export const ITEM_GUARDS: Readonly<Partial<Record<ProblemItemEventType, readonly ProblemItemGuardName[]>>> = {
  WITHDRAW: ['hasNotBeenReviewedSinceSubmit'],
  MARK_LONG_TERM: ['isNotLongTerm'],
};
