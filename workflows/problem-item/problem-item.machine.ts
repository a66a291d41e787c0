import { and, assertEvent, assign, getNextTransitions, initialTransition, setup, type SnapshotFrom, type StateValue } from 'xstate';
import { addDays, isIsoDateTime, isStrictlyAfter, type WorkflowActor, type WorkflowEnv } from '../common';
import { ACTOR_GUARDS, DUTY_GUARDS, ITEM_GUARDS, problemItemGuards, type GuardArgs, type ProblemItemGuardName } from './problem-item.guards';
import {
  PROBLEM_ITEM_EVENT_TYPES,
  PROBLEM_ITEM_STATE_LABELS as LABELS,
  type ProblemItemContext,
  type ProblemItemEvent,
  type ProblemItemEventType,
  type ProblemItemInput,
  type ProblemItemRefusal,
  type ProblemItemStateName,
} from './problem-item.types';

/**
 * The guard of a transition for `type`: the campaign phase allows it, the actor
 * stands in the required relation to the item, separation of duties and the
 * item's own conditions hold, then the payload conditions given here.
 */
function allowed(type: ProblemItemEventType, ...payload: ProblemItemGuardName[]) {
  const names: ProblemItemGuardName[] = ['isPhaseOpenFor', ...ACTOR_GUARDS[type], ...(DUTY_GUARDS[type] ?? []), ...(ITEM_GUARDS[type] ?? []), ...payload];
  return and(names);
}

/**
 * Problem item (问题) lifecycle.
 *
 * An investigator records a `draft` and signs it (`SUBMIT`, 排查签字) into
 * `pending_review`. The reviewer level (the township leader for village and
 * township items, the county office for department/county items and after
 * escalation) confirms the 四项清单 into `rectifying`, or, for an item fixed on
 * the spot (立行立改), straight into `pending_acceptance`; it may instead
 * return it (`returned`, the investigator edits and resubmits) or dismiss it
 * (`dismissed`). The investigator may withdraw it while nobody has reviewed it.
 *
 * `rectifying` is parallel: region `work` holds the rectification itself
 * (progress, escalation, long-term marking on the state node), region
 * `extension` tracks one pending deadline-extension request at a time. The
 * rectifier signs the rectification with evidence (整改签字) into
 * `pending_acceptance`; the reviewer, who must not be the rectifier, accepts it
 * (验收销号, `closed`) or rejects it back to `rectifying`.
 *
 * An inspector who signed no earlier step spot-checks `closed` and `dismissed`
 * items (督查签字) and may reopen them: a closed one into `rectifying`, a
 * dismissed one into `pending_review`. `discarded` (a draft thrown away) is the only final state.
 *
 * Every event carries `actor` and `env`; phase gating is `EVENT_PHASES`. Named
 * `notify*` actions (`PROBLEM_ITEM_EFFECTS`) do nothing here: `transition()`
 * returns them and the engine runs them inside the transaction that stores the
 * new snapshot. State names are persisted: never rename one; their labels are
 * `PROBLEM_ITEM_STATE_LABELS`.
 */
export const problemItemMachine = setup({
  types: {
    context: {} as ProblemItemContext,
    events: {} as ProblemItemEvent,
    input: {} as ProblemItemInput,
  },
  guards: problemItemGuards,
  actions: {
    recordSigner: assign({
      signerIds: ({ context, event }) => [...context.signerIds, event.actor.userId],
    }),
    applyEdit: assign(({ context, event }) => {
      assertEvent(event, 'EDIT');
      return {
        fixedOnSite: event.fixedOnSite ?? context.fixedOnSite,
        measures: event.measures === undefined ? context.measures : event.measures,
      };
    }),
    applySubmission: assign(({ context, event }) => {
      assertEvent(event, 'SUBMIT');
      return {
        fixedOnSite: event.fixedOnSite ?? context.fixedOnSite,
        measures: event.measures ?? context.measures,
        reviewedSinceSubmit: false,
      };
    }),
    markReviewed: assign({ reviewedSinceSubmit: true }),
    confirmFixedOnSite: assign(({ context }) => ({
      reviewedSinceSubmit: true,
      rectifierId: context.investigatorId,
      lastRectifierSignerId: context.investigatorId,
    })),
    confirmPlan: assign(({ event }) => {
      assertEvent(event, 'CONFIRM');
      return {
        reviewedSinceSubmit: true,
        measures: event.measures ?? null,
        rectifierId: event.rectifierId ?? null,
        deadline: event.deadline ?? null,
      };
    }),
    countProgress: assign({ progressCount: ({ context }) => context.progressCount + 1 }),
    recordRectification: assign(({ event }) => ({
      lastRectifierSignerId: event.actor.userId,
      extension: null,
    })),
    recordExtensionRequest: assign(({ event }) => {
      assertEvent(event, 'REQUEST_EXTENSION');
      return {
        extension: { requestedDeadline: event.newDeadline, reason: event.reason, requestedBy: event.actor.userId },
      };
    }),
    approveExtension: assign(({ context }) => ({
      deadline: context.extension?.requestedDeadline ?? context.deadline,
      extension: null,
    })),
    clearExtension: assign({ extension: null }),
    escalate: assign(({ context, event }) => {
      assertEvent(event, 'ESCALATE');
      return {
        reviewLevel: 'county' as const,
        responsibleOrgUnitId: event.toOrgUnitId,
        rectifierId: event.rectifierId ?? null,
        deadline: event.deadline ?? context.deadline,
      };
    }),
    markLongTerm: assign(({ event }) => {
      assertEvent(event, 'MARK_LONG_TERM');
      return { longTerm: true, longTermPlan: event.plan };
    }),
    recordAcceptance: assign(({ event }) => ({ acceptedById: event.actor.userId })),
    rejectRectification: assign(({ context, event }) => {
      assertEvent(event, 'REJECT_RECTIFICATION');
      return { deadline: event.deadline ?? context.deadline };
    }),
    markInspected: assign({ inspected: true }),
    reopenForRectification: assign(({ context, event }) => {
      assertEvent(event, 'REOPEN');
      return {
        reopenCount: context.reopenCount + 1,
        inspected: false,
        acceptedById: null,
        deadline: event.deadline ?? context.deadline,
      };
    }),
    reopenForReview: assign(({ context }) => ({
      reopenCount: context.reopenCount + 1,
      reviewedSinceSubmit: false,
    })),
    // Effects (PROBLEM_ITEM_EFFECTS): the engine runs them in its transaction, reading the next snapshot.
    notifyReviewer: () => {},
    notifyRectifier: () => {},
    notifyInvestigator: () => {},
    notifyInspector: () => {},
  },
}).createMachine({
  id: 'problem-item',
  context: ({ input }) => ({
    ...input,
    fixedOnSite: false,
    measures: null,
    rectifierId: null,
    responsibleOrgUnitId: null,
    deadline: null,
    reviewedSinceSubmit: false,
    extension: null,
    lastRectifierSignerId: null,
    acceptedById: null,
    signerIds: [],
    reopenCount: 0,
    inspected: false,
    longTerm: false,
    longTermPlan: null,
    progressCount: 0,
  }),
  initial: 'draft',
  states: {
    draft: {
      description: LABELS.draft,
      on: {
        EDIT: { guard: allowed('EDIT'), actions: 'applyEdit' },
        SUBMIT: {
          guard: allowed('SUBMIT', 'hasMeasuresIfFixedOnSite'),
          target: 'pending_review',
          actions: ['applySubmission', 'recordSigner', 'notifyReviewer'],
        },
        DISCARD: { guard: allowed('DISCARD'), target: 'discarded' },
      },
    },
    pending_review: {
      description: LABELS.pending_review,
      on: {
        CONFIRM: [
          {
            guard: allowed('CONFIRM', 'isFixedOnSiteConfirmation'),
            target: 'pending_acceptance',
            actions: ['confirmFixedOnSite', 'recordSigner', 'notifyInvestigator'],
          },
          {
            guard: allowed('CONFIRM', 'hasMeasuresAndRectifier', 'hasValidDeadline'),
            target: 'rectifying',
            actions: ['confirmPlan', 'recordSigner', 'notifyRectifier', 'notifyInvestigator'],
          },
        ],
        RETURN: {
          guard: allowed('RETURN', 'hasReason'),
          target: 'returned',
          actions: ['markReviewed', 'recordSigner', 'notifyInvestigator'],
        },
        DISMISS: {
          guard: allowed('DISMISS', 'hasReason'),
          target: 'dismissed',
          actions: ['markReviewed', 'recordSigner', 'notifyInvestigator', 'notifyInspector'],
        },
        WITHDRAW: { guard: allowed('WITHDRAW'), target: 'returned' },
      },
    },
    returned: {
      description: LABELS.returned,
      on: {
        EDIT: { guard: allowed('EDIT'), actions: 'applyEdit' },
        SUBMIT: {
          guard: allowed('SUBMIT', 'hasMeasuresIfFixedOnSite'),
          target: 'pending_review',
          actions: ['applySubmission', 'recordSigner', 'notifyReviewer'],
        },
      },
    },
    rectifying: {
      description: LABELS.rectifying,
      type: 'parallel',
      on: {
        REPORT_PROGRESS: { guard: allowed('REPORT_PROGRESS', 'hasComment'), actions: 'countProgress' },
        SUBMIT_RECTIFICATION: {
          guard: allowed('SUBMIT_RECTIFICATION', 'hasComment', 'hasEvidence'),
          target: 'pending_acceptance',
          actions: ['recordRectification', 'recordSigner', 'notifyReviewer'],
        },
        ESCALATE: {
          guard: allowed('ESCALATE', 'hasReason', 'hasEscalationTarget', 'hasValidOptionalDeadline'),
          actions: ['escalate', 'recordSigner', 'notifyRectifier', 'notifyReviewer'],
        },
        MARK_LONG_TERM: {
          guard: allowed('MARK_LONG_TERM', 'hasLongTermPlan'),
          actions: ['markLongTerm', 'recordSigner', 'notifyRectifier'],
        },
      },
      states: {
        work: {
          initial: 'active',
          states: { active: {} },
        },
        extension: {
          initial: 'none',
          states: {
            none: {
              on: {
                REQUEST_EXTENSION: {
                  guard: allowed('REQUEST_EXTENSION', 'hasValidExtensionRequest'),
                  target: 'requested',
                  actions: ['recordExtensionRequest', 'recordSigner', 'notifyReviewer'],
                },
              },
            },
            requested: {
              description: '延期申请待审批',
              on: {
                APPROVE_EXTENSION: {
                  guard: allowed('APPROVE_EXTENSION'),
                  target: 'none',
                  actions: ['approveExtension', 'recordSigner', 'notifyRectifier'],
                },
                DENY_EXTENSION: {
                  guard: allowed('DENY_EXTENSION', 'hasReason'),
                  target: 'none',
                  actions: ['clearExtension', 'recordSigner', 'notifyRectifier'],
                },
              },
            },
          },
        },
      },
    },
    pending_acceptance: {
      description: LABELS.pending_acceptance,
      on: {
        ACCEPT: {
          guard: allowed('ACCEPT'),
          target: 'closed',
          actions: ['recordAcceptance', 'recordSigner', 'notifyInvestigator', 'notifyRectifier', 'notifyInspector'],
        },
        REJECT_RECTIFICATION: {
          guard: allowed('REJECT_RECTIFICATION', 'hasReason', 'hasValidOptionalDeadline'),
          target: 'rectifying',
          actions: ['rejectRectification', 'recordSigner', 'notifyRectifier'],
        },
      },
    },
    closed: {
      description: LABELS.closed,
      on: {
        SPOT_CHECK_PASS: { guard: allowed('SPOT_CHECK_PASS'), actions: ['markInspected', 'recordSigner'] },
        REOPEN: {
          guard: allowed('REOPEN', 'hasReason', 'hasValidDeadline'),
          target: 'rectifying',
          actions: ['reopenForRectification', 'recordSigner', 'notifyRectifier', 'notifyReviewer'],
        },
      },
    },
    dismissed: {
      description: LABELS.dismissed,
      on: {
        // 抽查复核 of a dismissal: the inspector confirms it (督查签字), or reopens it for review.
        SPOT_CHECK_PASS: { guard: allowed('SPOT_CHECK_PASS'), actions: ['markInspected', 'recordSigner'] },
        REOPEN: {
          guard: allowed('REOPEN', 'hasReason'),
          target: 'pending_review',
          actions: ['reopenForReview', 'recordSigner', 'notifyReviewer', 'notifyInvestigator'],
        },
      },
    },
    discarded: {
      description: LABELS.discarded,
      type: 'final',
    },
  },
});

export type ProblemItemMachine = typeof problemItemMachine;
export type ProblemItemSnapshot = SnapshotFrom<ProblemItemMachine>;

export const PROBLEM_ITEM_WORKFLOW = {
  id: 'problem-item',
  version: 1,
  description: '问题：排查 → 审核 → 整改 → 验收销号 → 督查',
  machine: problemItemMachine,
} as const;

/** The draft snapshot of a new item. */
export function createProblemItemSnapshot(input: ProblemItemInput): ProblemItemSnapshot {
  return initialTransition(problemItemMachine, input)[0];
}

/** Top-level state name; `rectifying` for any configuration of its regions. */
export function stateName(snapshot: { value: StateValue }): ProblemItemStateName {
  const { value } = snapshot;
  return (typeof value === 'string' ? value : Object.keys(value)[0]) as ProblemItemStateName;
}

/** True while an extension request waits for the reviewer. */
export function hasPendingExtension(snapshot: ProblemItemSnapshot): boolean {
  return snapshot.matches({ rectifying: { extension: 'requested' } });
}

const PROBE_TEXT = 'probe';

function sevenDaysAfter(iso: string): string {
  return isIsoDateTime(iso) ? addDays(iso, 7) : iso;
}

/**
 * Representative valid events of `type` for `actor`: what a well-formed request
 * would carry. Used to ask the machine, without a payload, whether the actor
 * could send the event at all.
 */
export function probeEvents(type: ProblemItemEventType, snapshot: ProblemItemSnapshot, actor: WorkflowActor, env: WorkflowEnv): ProblemItemEvent[] {
  const { context } = snapshot;
  const base = { actor, env };
  const deadline = sevenDaysAfter(env.now);
  switch (type) {
    case 'EDIT':
    case 'DISCARD':
    case 'WITHDRAW':
    case 'APPROVE_EXTENSION':
    case 'ACCEPT':
    case 'SPOT_CHECK_PASS':
      return [{ type, ...base }];
    case 'SUBMIT':
      return [{ type, ...base, measures: context.measures ?? PROBE_TEXT }];
    case 'CONFIRM':
      return [
        { type, ...base },
        { type, ...base, measures: PROBE_TEXT, rectifierId: actor.userId, deadline },
      ];
    case 'RETURN':
    case 'DISMISS':
    case 'DENY_EXTENSION':
    case 'REJECT_RECTIFICATION':
      return [{ type, ...base, reason: PROBE_TEXT }];
    case 'REPORT_PROGRESS':
      return [{ type, ...base, comment: PROBE_TEXT }];
    case 'SUBMIT_RECTIFICATION':
      return [{ type, ...base, comment: PROBE_TEXT, evidence: [PROBE_TEXT] }];
    case 'REQUEST_EXTENSION': {
      const current = context.deadline;
      const from = current !== null && isStrictlyAfter(current, env.now) ? current : env.now;
      return [{ type, ...base, reason: PROBE_TEXT, newDeadline: sevenDaysAfter(from) }];
    }
    case 'ESCALATE':
      return [{ type, ...base, toOrgUnitId: PROBE_TEXT, reason: PROBE_TEXT }];
    case 'MARK_LONG_TERM':
      return [{ type, ...base, plan: PROBE_TEXT }];
    case 'REOPEN':
      return [{ type, ...base, reason: PROBE_TEXT, deadline }];
  }
}

/** Event types `actor` could send now (with a valid payload), in `PROBLEM_ITEM_EVENT_TYPES` order. */
export function availableEvents(snapshot: ProblemItemSnapshot, actor: WorkflowActor, env: WorkflowEnv): ProblemItemEventType[] {
  if (snapshot.status !== 'active') return [];
  return PROBLEM_ITEM_EVENT_TYPES.filter((type) => probeEvents(type, snapshot, actor, env).some((event) => snapshot.can(event)));
}

/**
 * Why `event` is refused in `snapshot`, or null when it is accepted. Checks in
 * the order the guards compose: state, phase, relation, separation of duties,
 * item conditions, payload.
 */
export function explainRefusal(snapshot: ProblemItemSnapshot, event: ProblemItemEvent): ProblemItemRefusal | null {
  if (snapshot.status !== 'active') return 'invalid_state';
  if (snapshot.can(event)) return null;
  if (!getNextTransitions(snapshot).some((t) => t.eventType === event.type)) return 'invalid_state';
  const args: GuardArgs = { context: snapshot.context, event };
  const holds = (names: readonly ProblemItemGuardName[] | undefined) => (names ?? []).every((name) => problemItemGuards[name](args));
  if (!problemItemGuards.isPhaseOpenFor(args)) return 'phase_closed';
  if (!holds(ACTOR_GUARDS[event.type])) return 'not_permitted';
  if (!holds(DUTY_GUARDS[event.type])) return 'separation_of_duties';
  if (!holds(ITEM_GUARDS[event.type])) return 'invalid_state';
  return 'invalid_payload';
}
