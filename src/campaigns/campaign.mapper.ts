import { CAMPAIGN_STATE_LABELS, currentPhase, type CampaignStateName } from '../../workflows';
import { Campaign } from './campaign.entity';
import { campaignSnapshot } from './campaign-snapshot';
import { CampaignAction, CampaignPresetResponse, CampaignResponse, CampaignWithActionsResponse } from './campaign.response';
import type { CampaignPreset, CampaignPresetKey } from './presets/campaign-preset.types';

export function mapCampaign(c: Campaign): CampaignResponse;
export function mapCampaign(c: Campaign, availableActions: CampaignAction[]): CampaignWithActionsResponse;
export function mapCampaign(c: Campaign, availableActions?: CampaignAction[]): CampaignResponse | CampaignWithActionsResponse {
  return {
    id: c.id,
    title: c.title,
    docNumber: c.docNumber,
    // The columns hold only preset keys and machine state names (the machine writes `state`).
    presetKey: c.presetKey as CampaignPresetKey | null,
    state: c.state as CampaignStateName,
    stateLabel: CAMPAIGN_STATE_LABELS[c.state as CampaignStateName] ?? c.state,
    phaseIndex: c.phaseIndex,
    currentPhase: currentPhase(campaignSnapshot(c)),
    phases: c.phases,
    problemTypes: c.problemTypes,
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
