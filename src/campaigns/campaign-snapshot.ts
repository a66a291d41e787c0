import { resolveMachine, type CampaignSnapshot } from '../../workflows';
import { fromStored } from '../workflow-engine/snapshots';
import type { Campaign } from './campaign.entity';

/** The campaign's machine snapshot, restored with the definition version it was written with. */
export function campaignSnapshot(c: Campaign): CampaignSnapshot {
  return fromStored(resolveMachine('campaign', c.workflowVersion), c.snapshot);
}
