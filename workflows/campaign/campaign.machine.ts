import { and, assertEvent, assign, getNextTransitions, initialTransition, setup, type SnapshotFrom } from 'xstate';
import type { PhaseKind, WorkflowActor, WorkflowEnv } from '../common';
import { campaignGuards, type GuardArgs } from './campaign.guards';
import {
  CAMPAIGN_EVENT_TYPES,
  CAMPAIGN_STATE_LABELS as LABELS,
  type CampaignContext,
  type CampaignEvent,
  type CampaignEventType,
  type CampaignInput,
  type CampaignPhase,
  type CampaignRefusal,
  type CampaignStateName,
} from './campaign.types';

/**
 * Campaign (专项行动) lifecycle.
 *
 * A `draft` campaign's phase plan can be edited; the county office of its
 * county (or, for a township's own campaign, that township's leader) starts it (signed) into `running` at the first planned phase, advances
 * through the plan one phase at a time (each advance signed), and archives it
 * (signed) into `archived`, final and read-only. Entering a `summary` phase
 * requires that no item is still open unless carried over as long-term: the
 * engine counts those items and passes the count on ADVANCE_PHASE.
 *
 * The current phase is `phases[phaseIndex]` while running; items read its kind
 * as `env.phase`. `notifyParticipants` is an effect for the engine to run in
 * the transaction that stores the new snapshot. State names are persisted:
 * never rename one.
 */
export const campaignMachine = setup({
  types: {
    context: {} as CampaignContext,
    events: {} as CampaignEvent,
    input: {} as CampaignInput,
  },
  guards: campaignGuards,
  actions: {
    replacePlan: assign(({ event }) => {
      assertEvent(event, 'EDIT_PLAN');
      return { phases: event.phases.map((phase) => ({ ...phase })) };
    }),
    enterFirstPhase: assign({ phaseIndex: 0 }),
    enterNextPhase: assign({ phaseIndex: ({ context }) => context.phaseIndex + 1 }),
    notifyParticipants: () => {},
  },
}).createMachine({
  id: 'campaign',
  context: ({ input }) => ({
    id: input.id,
    countyId: input.countyId,
    townshipId: input.townshipId ?? null,
    phases: input.phases.map((phase) => ({ ...phase })),
    phaseIndex: -1,
  }),
  initial: 'draft',
  states: {
    draft: {
      description: LABELS.draft,
      on: {
        EDIT_PLAN: { guard: and(['isRunnerOfCampaign', 'isValidPlanEdit']), actions: 'replacePlan' },
        START: {
          guard: and(['isRunnerOfCampaign', 'hasPhasePlan']),
          target: 'running',
          actions: ['enterFirstPhase', 'notifyParticipants'],
        },
      },
    },
    running: {
      description: LABELS.running,
      on: {
        ADVANCE_PHASE: {
          guard: and(['isRunnerOfCampaign', 'hasNextPhase', 'hasBlockingItemCount', 'isSummaryUnblocked']),
          actions: ['enterNextPhase', 'notifyParticipants'],
        },
        ARCHIVE: {
          guard: 'isRunnerOfCampaign',
          target: 'archived',
          actions: 'notifyParticipants',
        },
      },
    },
    archived: {
      description: LABELS.archived,
      type: 'final',
    },
  },
});

export type CampaignMachine = typeof campaignMachine;
export type CampaignSnapshot = SnapshotFrom<CampaignMachine>;

export const CAMPAIGN_WORKFLOW = {
  id: 'campaign',
  version: 1,
  description: '专项行动：草稿 → 按计划逐阶段推进 → 归档',
  machine: campaignMachine,
} as const;

export function createCampaignSnapshot(input: CampaignInput): CampaignSnapshot {
  return initialTransition(campaignMachine, input)[0];
}

export function campaignStateName(snapshot: CampaignSnapshot): CampaignStateName {
  return snapshot.value;
}

/** The phase the campaign is in; null while draft or archived. */
export function currentPhase(snapshot: CampaignSnapshot): CampaignPhase | null {
  if (!snapshot.matches('running')) return null;
  return snapshot.context.phases[snapshot.context.phaseIndex] ?? null;
}

/** The event that moves the campaign on: START while a draft, ADVANCE_PHASE after. */
export function advanceEventType(snapshot: CampaignSnapshot): 'START' | 'ADVANCE_PHASE' {
  return snapshot.matches('draft') ? 'START' : 'ADVANCE_PHASE';
}

/** What items receive as `env.phase`. */
export function currentPhaseKind(snapshot: CampaignSnapshot): PhaseKind | null {
  return currentPhase(snapshot)?.kind ?? null;
}

/**
 * 已超期: a phase not yet left behind (the current one, or one still ahead)
 * whose planned end date is before `today` (YYYY-MM-DD, China's calendar).
 * Phases already advanced past, and every phase of an archived campaign, are
 * done and never overdue; a phase without an end date never is.
 */
export function isPhaseOverdue(snapshot: CampaignSnapshot, index: number, today: string): boolean {
  if (snapshot.status !== 'active' || snapshot.matches('archived')) return false;
  const phase = snapshot.context.phases[index];
  if (!phase || phase.endDate === null || index < snapshot.context.phaseIndex) return false;
  return phase.endDate.slice(0, 10) < today;
}

/** Representative valid events of `type`; ADVANCE_PHASE carries the real blocking count. */
export function probeCampaignEvents(
  type: CampaignEventType,
  snapshot: CampaignSnapshot,
  actor: WorkflowActor,
  env: WorkflowEnv,
  facts: { blockingItemCount: number },
): CampaignEvent[] {
  const base = { actor, env };
  switch (type) {
    case 'EDIT_PLAN':
      return [{ type, ...base, phases: snapshot.context.phases }];
    case 'START':
    case 'ARCHIVE':
      return [{ type, ...base }];
    case 'ADVANCE_PHASE':
      return [{ type, ...base, blockingItemCount: facts.blockingItemCount }];
  }
}

export function availableCampaignEvents(
  snapshot: CampaignSnapshot,
  actor: WorkflowActor,
  env: WorkflowEnv,
  facts: { blockingItemCount: number },
): CampaignEventType[] {
  if (snapshot.status !== 'active') return [];
  return CAMPAIGN_EVENT_TYPES.filter((type) => probeCampaignEvents(type, snapshot, actor, env, facts).some((event) => snapshot.can(event)));
}

/** Why `event` is refused, or null when it is accepted. */
export function explainCampaignRefusal(snapshot: CampaignSnapshot, event: CampaignEvent): CampaignRefusal | null {
  if (snapshot.status !== 'active') return 'invalid_state';
  if (snapshot.can(event)) return null;
  if (!getNextTransitions(snapshot).some((t) => t.eventType === event.type)) return 'invalid_state';
  const args: GuardArgs = { context: snapshot.context, event };
  if (!campaignGuards.isRunnerOfCampaign(args)) return 'not_permitted';
  if (event.type === 'ADVANCE_PHASE') {
    if (!campaignGuards.hasNextPhase(args)) return 'invalid_state';
    if (!campaignGuards.hasBlockingItemCount(args)) return 'invalid_payload';
    if (!campaignGuards.isSummaryUnblocked(args)) return 'open_items_block_summary';
  }
  if (event.type === 'START' && !campaignGuards.hasPhasePlan(args)) return 'invalid_state';
  return 'invalid_payload';
}
