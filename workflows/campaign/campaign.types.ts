import type { PhaseKind, WorkflowEventBase } from '../common';

export interface CampaignPhase {
  kind: PhaseKind;
  /** As the campaign's plan names it, e.g. 实地排查. */
  name: string;
  /** ISO dates of the plan; informative, phases advance only by ADVANCE_PHASE. */
  startDate: string | null;
  endDate: string | null;
}

export interface CampaignContext {
  id: string;
  countyId: string;
  /**
   * Set for a township's own campaign (干汊河's plan): its township leader runs
   * it. Absent in snapshots written before township campaigns existed, which
   * are county campaigns.
   */
  townshipId?: string | null;
  phases: CampaignPhase[];
  /** Index into `phases` of the current phase; -1 while draft. */
  phaseIndex: number;
}

export interface CampaignInput {
  id: string;
  countyId: string;
  townshipId?: string | null;
  phases: CampaignPhase[];
}

type Ev<TType extends string, TPayload = object> = { type: TType } & WorkflowEventBase & TPayload;

export type CampaignEvent =
  /** Replaces the phase plan while the campaign is a draft. */
  | Ev<'EDIT_PLAN', { phases: CampaignPhase[] }>
  | Ev<'START'>
  /** `blockingItemCount`: open items not marked long-term, counted by the engine. */
  | Ev<'ADVANCE_PHASE', { blockingItemCount: number }>
  | Ev<'ARCHIVE'>;

export type CampaignEventType = CampaignEvent['type'];

export const CAMPAIGN_EVENT_TYPES: readonly CampaignEventType[] = ['EDIT_PLAN', 'START', 'ADVANCE_PHASE', 'ARCHIVE'];

/** Persisted state names: never rename one. */
export type CampaignStateName = 'draft' | 'running' | 'archived';

export const CAMPAIGN_STATES: readonly CampaignStateName[] = ['draft', 'running', 'archived'];

export const CAMPAIGN_STATE_LABELS: Readonly<Record<CampaignStateName, string>> = { draft: '草稿', running: '进行中', archived: '已归档' };

/** States in which the campaign has a current phase, so its items can move at all. */
export const CAMPAIGN_PHASED_STATES: readonly CampaignStateName[] = ['running'];

/** Effects a campaign transition may return, run by the engine in its transaction. */
export type CampaignEffect = 'notifyParticipants';

export const CAMPAIGN_EFFECTS: readonly CampaignEffect[] = ['notifyParticipants'];

export type CampaignSignatureKind = 'campaign_start' | 'phase_advance' | 'archive';

export const CAMPAIGN_SIGNATURE_KIND_BY_EVENT: Readonly<Record<CampaignEventType, CampaignSignatureKind | null>> = {
  EDIT_PLAN: null,
  START: 'campaign_start',
  ADVANCE_PHASE: 'phase_advance',
  ARCHIVE: 'archive',
};

export type CampaignRefusal =
  | 'invalid_state'
  | 'not_permitted'
  /** Summary needs every item closed, dismissed or carried over as long-term. */
  | 'open_items_block_summary'
  | 'invalid_payload';
