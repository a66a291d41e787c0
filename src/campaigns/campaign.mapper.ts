import { CAMPAIGN_STATE_LABELS, isPhaseOverdue, type CampaignStateName } from '../../workflows';
import { Campaign } from './campaign.entity';
import { campaignSnapshot } from './campaign-snapshot';
import { CampaignAction, CampaignPresetResponse, CampaignResponse, CampaignWithActionsResponse } from './campaign.response';
import type { CampaignPreset, CampaignPresetKey } from './presets/campaign-preset.types';

/** `today` (YYYY-MM-DD, China's calendar) decides which phases are 已超期. */
export function mapCampaign(c: Campaign, today: string): CampaignResponse;
export function mapCampaign(c: Campaign, today: string, availableActions: CampaignAction[]): CampaignWithActionsResponse;
export function mapCampaign(c: Campaign, today: string, availableActions?: CampaignAction[]): CampaignResponse | CampaignWithActionsResponse {
  const snapshot = campaignSnapshot(c);
  const phases = c.phases.map((p, i) => ({ ...p, overdue: isPhaseOverdue(snapshot, i, today) }));
  return {
    id: c.id,
    title: c.title,
    docNumber: c.docNumber,
    // The columns hold only preset keys and machine state names (the machine writes `state`).
    presetKey: c.presetKey as CampaignPresetKey | null,
    state: c.state as CampaignStateName,
    stateLabel: CAMPAIGN_STATE_LABELS[c.state as CampaignStateName] ?? c.state,
    phaseIndex: c.phaseIndex,
    currentPhase: snapshot.matches('running') ? (phases[c.phaseIndex] ?? null) : null,
    phases,
    problemTypes: c.problemTypes,
    sectors: c.sectors ?? [],
    township: c.townshipId ? { id: c.townshipId, name: c.township?.name ?? '' } : null,
    workflow: { id: c.workflowId, version: c.workflowVersion },
    version: c.version,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    ...(availableActions ? { availableActions } : {}),
  };
}

export function mapPreset(p: CampaignPreset): CampaignPresetResponse {
  return {
    key: p.key,
    name: p.name,
    sourceDocument: p.sourceDocument,
    county: p.county,
    township: p.township ?? null,
    phases: p.phases,
    problemTypes: p.problemTypes,
  };
}
