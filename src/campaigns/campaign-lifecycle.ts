import {
  availableCampaignEvents,
  CAMPAIGN_SIGNATURE_KIND_BY_EVENT,
  campaignStateName,
  currentPhase,
  explainCampaignRefusal,
  OPERATIONAL_ROLES,
  type CampaignEffect,
  type CampaignEvent,
  type CampaignSnapshot,
} from '../../workflows';
import { hasRole } from '../auth/auth-user';
import type { Lifecycle } from '../workflow-engine/workflow-runner';
import { Campaign } from './campaign.entity';
import { isCampaignAction } from './campaign.response';

const phaseName = (s: CampaignSnapshot, i: number): string | null => (i >= 0 ? (s.context.phases[i]?.name ?? null) : null);

/**
 * The campaign (专项行动) as the workflow engine runs it: the county office
 * signs every start, advance and archive; each tells everybody who works on
 * the campaign.
 */
export const CAMPAIGN_LIFECYCLE: Lifecycle<Campaign, CampaignSnapshot, CampaignEvent, CampaignEffect> = {
  subjectType: 'campaign',
  entity: Campaign,
  stateName: campaignStateName,
  signatureKind: (type) => CAMPAIGN_SIGNATURE_KIND_BY_EVENT[type],
  explainRefusal: explainCampaignRefusal,
  availableActions: (before, event) =>
    availableCampaignEvents(before, event.actor, event.env, {
      blockingItemCount: event.type === 'ADVANCE_PHASE' ? event.blockingItemCount : 0,
    }).filter(isCampaignAction),
  projections: (next, _row, now) => ({ state: campaignStateName(next), phaseIndex: next.context.phaseIndex, updatedAt: now }),
  // Runners are the county office or, of a township's own campaign, its township leader (roles bound to those unit kinds).
  signerRole: (user) => (hasRole(user, 'county_office') ? 'county_office' : 'township_leader'),
  signed: (_event, before, next) => ({
    comment: null,
    payload: { fromPhase: phaseName(before, before.context.phaseIndex), toPhase: phaseName(next, next.context.phaseIndex) },
  }),
  effects: {
    notifyParticipants: ({ notify, transition: { after } }) => {
      if (!after.townshipId) return notify({ kind: 'countyRoles', roles: [...OPERATIONAL_ROLES] });
      // A township's own campaign: its township and the county office, which sees it.
      notify({ kind: 'unitRoles', orgUnitId: after.townshipId, roles: [...OPERATIONAL_ROLES] });
      notify({ kind: 'countyRoles', roles: ['county_office'] });
    },
  },
  notice: ({ after, next, event }) => {
    const phase = currentPhase(next);
    const what = !phase ? '已归档' : event.type === 'START' ? `已启动，进入「${phase.name}」阶段` : `进入「${phase.name}」阶段`;
    return { itemId: null, message: `专项行动「${after.title}」${what}` };
  },
};
