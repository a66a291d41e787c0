import { hasRole, isIsoDateTime, isNonEmptyText, PHASE_KINDS, type WorkflowActor } from '../common';
import type { CampaignContext, CampaignEvent, CampaignPhase } from './campaign.types';

export interface GuardArgs {
  context: CampaignContext;
  event: CampaignEvent;
}

type Predicate = (args: GuardArgs) => boolean;

function field(event: CampaignEvent, name: string): unknown {
  return (event as unknown as Record<string, unknown>)[name];
}

export function isValidPhase(phase: unknown): phase is CampaignPhase {
  if (typeof phase !== 'object' || phase === null) return false;
  const { kind, name, startDate, endDate } = phase as Record<string, unknown>;
  const dateOk = (d: unknown) => d === null || isIsoDateTime(d);
  if (!PHASE_KINDS.includes(kind as CampaignPhase['kind']) || !isNonEmptyText(name)) return false;
  if (!dateOk(startDate) || !dateOk(endDate)) return false;
  return startDate === null || endDate === null || Date.parse(endDate as string) >= Date.parse(startDate as string);
}

export function isValidPhasePlan(phases: unknown): phases is CampaignPhase[] {
  return Array.isArray(phases) && phases.length > 0 && phases.every(isValidPhase);
}

/**
 * Who runs a campaign (starts, advances, archives it, and maps its sectors): the
 * county office (县巩固办) of its county; for a township's own campaign, that
 * township's leader (乡镇分管负责人), not the county office — the plan is the
 * township's document, so its steps carry the township's signatures. The
 * county office sees the campaign and its items but does not run it.
 */
export function isCampaignRunner(context: Pick<CampaignContext, 'countyId' | 'townshipId'>, actor: WorkflowActor): boolean {
  if (actor.countyId !== context.countyId) return false;
  const townshipId = context.townshipId ?? null;
  if (townshipId === null) return hasRole(actor, 'county_office');
  return hasRole(actor, 'township_leader') && actor.townshipId === townshipId;
}

export const isRunnerOfCampaign: Predicate = ({ context, event }) => isCampaignRunner(context, event.actor);

export const hasPhasePlan: Predicate = ({ context }) => isValidPhasePlan(context.phases);

export const isValidPlanEdit: Predicate = ({ event }) => isValidPhasePlan(field(event, 'phases'));

export const hasNextPhase: Predicate = ({ context }) => context.phaseIndex + 1 < context.phases.length;

export const hasBlockingItemCount: Predicate = ({ event }) => {
  const count = field(event, 'blockingItemCount');
  return typeof count === 'number' && Number.isInteger(count) && count >= 0;
};

/** Moving to summary requires every item closed, dismissed or carried over as long-term. */
export const isSummaryUnblocked: Predicate = ({ context, event }) =>
  context.phases[context.phaseIndex + 1]?.kind !== 'summary' || field(event, 'blockingItemCount') === 0;

export const campaignGuards = {
  isRunnerOfCampaign,
  hasPhasePlan,
  isValidPlanEdit,
  hasNextPhase,
  hasBlockingItemCount,
  isSummaryUnblocked,
} satisfies Record<string, Predicate>;

export type CampaignGuardName = keyof typeof campaignGuards;
