import type { AnyStateNode } from 'xstate';
import type { Delegator } from '../common';
import { ACTOR_GUARDS, reviewerActingFor, type ProblemItemGuardName } from './problem-item.guards';
import { problemItemMachine } from './problem-item.machine';
import {
  PROBLEM_ITEM_STATE_LABELS,
  PROBLEM_ITEM_STATES,
  SIGNATURE_KIND_BY_EVENT,
  type ProblemItemContext,
  type ProblemItemEvent,
  type ProblemItemEventType,
  type ProblemItemStateName,
} from './problem-item.types';

/**
 * What the problem-item lifecycle means, for the code outside `workflows/`
 * that queries, counts and reports items: SQL builders, reports and the
 * console read these instead of writing state names of their own. Where a
 * fact follows from the machine it is derived from it, so changing the
 * machine changes the fact.
 */

/** The label users read for a stored state name (the name itself for one this version does not know). */
export function problemItemStateLabel(state: string): string {
  return (PROBLEM_ITEM_STATE_LABELS as Record<string, string>)[state] ?? state;
}

// ------------------------------------------------------------------ overdue

/** The one state in which an item can be overdue (超期). */
export const OVERDUE_STATE: ProblemItemStateName = 'rectifying';

/**
 * 超期: rectifying past its deadline. Overdue is computed, never stored;
 * `today` is the calendar date (YYYY-MM-DD) by which deadlines are read (China's).
 */
export function isOverdue(item: { state: string | null; deadline: string | null }, today: string): boolean {
  return item.state === OVERDUE_STATE && item.deadline !== null && item.deadline < today;
}

// ------------------------------------------------------------ counted states

/** Confirmed by review and not (yet) set aside: what 已确认 counts and the 整改率 divides by. */
export const CONFIRMED_STATES: readonly ProblemItemStateName[] = ['rectifying', 'pending_acceptance', 'closed'];

/** Settled: nothing more is expected unless an inspector reopens it. */
export const SETTLED_STATES: readonly ProblemItemStateName[] = ['closed', 'dismissed'];

/** The state of a closed item (销号), which the engine stamps with `closedAt`. */
export const CLOSED_STATE: ProblemItemStateName = 'closed';

/** Reaching this state removes the item (an unsigned draft thrown away). */
export const DISCARDED_STATE: ProblemItemStateName = 'discarded';

/** Where every item starts (草稿): the state of an item whose chain has no link yet. */
export const INITIAL_STATE: ProblemItemStateName = 'draft';

// --------------------------------------------------------- waiting on whom

/** The relations a person can have to an item, as the guards name them. */
export type Party = 'investigator' | 'reviewer' | 'rectifier' | 'inspector';

const PARTY_GUARDS: Readonly<Record<Party, readonly ProblemItemGuardName[]>> = {
  investigator: ['isInvestigatorOfItem'],
  reviewer: ['isReviewerOfItem', 'isTownshipReviewerOfItem'],
  rectifier: ['isRectifierOfItem'],
  inspector: ['isInspectorOfItem'],
};

/**
 * Events that stay open to someone while the item waits on another person (a
 * leader may escalate any rectifying item, a rectifier may note progress): on
 * their own they do not make an item wait on that person.
 */
export const HOUSEKEEPING_EVENTS: readonly ProblemItemEventType[] = ['EDIT', 'REPORT_PROGRESS', 'ESCALATE', 'MARK_LONG_TERM'];

function subtree(node: AnyStateNode): AnyStateNode[] {
  return [node, ...Object.values(node.states).flatMap((child) => subtree(child as AnyStateNode))];
}

/** Event types with a transition anywhere inside each top-level state. */
function eventsByState(): Record<ProblemItemStateName, Set<ProblemItemEventType>> {
  const out = {} as Record<ProblemItemStateName, Set<ProblemItemEventType>>;
  for (const state of PROBLEM_ITEM_STATES) {
    const node = problemItemMachine.states[state] as AnyStateNode;
    out[state] = new Set(subtree(node).flatMap((n) => [...n.transitions.keys()]) as ProblemItemEventType[]);
  }
  return out;
}

/**
 * The states in which an item waits on each party: some event other than
 * housekeeping is theirs to send there. Whether they may send it now (phase,
 * separation of duties, a pending extension…) is still the machine's to say;
 * the inbox uses this to narrow its query, then asks the machine.
 */
export const WAITING_ON: Readonly<Record<Party, readonly ProblemItemStateName[]>> = (() => {
  const events = eventsByState();
  const out = {} as Record<Party, ProblemItemStateName[]>;
  for (const party of Object.keys(PARTY_GUARDS) as Party[]) {
    out[party] = PROBLEM_ITEM_STATES.filter((state) =>
      [...events[state]].some((type) => !HOUSEKEEPING_EVENTS.includes(type) && ACTOR_GUARDS[type].some((g) => PARTY_GUARDS[party].includes(g))),
    );
  }
  return out;
})();

/**
 * The states in which the reviewer's only turn is an extension decision
 * (APPROVE_EXTENSION / DENY_EXTENSION): there an item waits on the reviewer
 * only while an extension is requested (the `extensionRequested`
 * projection), so the inbox need not hand every rectifying item of a
 * township to the machine to find the few with a request.
 */
export const REVIEWER_TURN_ONLY_ON_EXTENSION: readonly ProblemItemStateName[] = (() => {
  const events = eventsByState();
  return WAITING_ON.reviewer.filter((state) =>
    [...events[state]]
      .filter((type) => !HOUSEKEEPING_EVENTS.includes(type) && ACTOR_GUARDS[type].some((g) => PARTY_GUARDS.reviewer.includes(g)))
      .every((type) => SIGNATURE_KIND_BY_EVENT[type] === 'extension_decision'),
  );
})();

// ------------------------------------------------------------------ signing

// Which events are signed, and of what kind: SIGNATURE_KIND_BY_EVENT (problem-item.types).

/** Whether `type` (any value, e.g. a request body's `type`, read before it is validated) names an event that signs. */
export function isSignedItemEvent(type: unknown): boolean {
  return typeof type === 'string' && Object.hasOwn(SIGNATURE_KIND_BY_EVENT, type) && SIGNATURE_KIND_BY_EVENT[type as ProblemItemEventType] !== null;
}

/**
 * Events that move an item to another state without a signature (WITHDRAW).
 * The engine keeps a record of each (outside the signature chain) so that a
 * history replayed from records sees every state change.
 */
export const UNSIGNED_STATE_CHANGES: readonly ProblemItemEventType[] = (() => {
  const out = new Set<ProblemItemEventType>();
  for (const state of PROBLEM_ITEM_STATES) {
    for (const node of subtree(problemItemMachine.states[state] as AnyStateNode)) {
      for (const [type, transitions] of node.transitions) {
        const event = type as ProblemItemEventType;
        if (SIGNATURE_KIND_BY_EVENT[event] !== null) continue;
        const leaves = transitions.some((t) => (t.target ?? []).some((target) => target.path[0] !== state && target.path[0] !== DISCARDED_STATE));
        if (leaves) out.add(event);
      }
    }
  }
  return [...out];
})();

// --------------------------------------------------------------- delegation

/** The delegator the actor reviews an item for (委派), null when in their own right: what the answers show as "代 X". */
export { reviewerActingFor } from './problem-item.guards';

/**
 * 委派: the delegator a signed event is sent for — the reviewer the actor
 * stands in for, when the event is a reviewer's and the actor is not the
 * item's reviewer in their own right. Null otherwise.
 */
export function signsOnBehalfOf(context: ProblemItemContext, event: ProblemItemEvent): Delegator | null {
  const reviewers = PARTY_GUARDS.reviewer;
  if (!ACTOR_GUARDS[event.type].some((g) => reviewers.includes(g))) return null;
  return reviewerActingFor(context, event.actor);
}
