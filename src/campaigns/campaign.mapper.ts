import { currentPhase } from '../../workflows';
import { Campaign } from './campaign.entity';
import { campaignSnapshot } from './campaign-snapshot';

export const CAMPAIGN_STATE_LABELS: Record<string, string> = { draft: '草稿', running: '进行中', archived: '已归档' };

export function mapCampaign(c: Campaign, availableActions?: string[]) {
  return {
    id: c.id,
    title: c.title,
    docNumber: c.docNumber,
    presetKey: c.presetKey,
    state: c.state,
    stateLabel: CAMPAIGN_STATE_LABELS[c.state] ?? c.state,
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

export type CampaignResponse = ReturnType<typeof mapCampaign>;
