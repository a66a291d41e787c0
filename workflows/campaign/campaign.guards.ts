import { hasRole, isIsoDateTime, isNonEmptyText, PHASE_KINDS } from '../common';
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

/** Campaigns are run by the county office of their county (县巩固办). */
export const isCountyOfficeOfCampaign: Predicate = ({ context, event }) => hasRole(event.actor, 'county_office') && event.actor.countyId === context.countyId;

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
  isCountyOfficeOfCampaign,
  hasPhasePlan,
  isValidPlanEdit,
  hasNextPhase,
  hasBlockingItemCount,
  isSummaryUnblocked,
} satisfies Record<string, Predicate>;

export type CampaignGuardName = keyof typeof campaignGuards;
