import { ApiProperty } from '@nestjs/swagger';
import { CAMPAIGN_EVENT_TYPES, CAMPAIGN_STATES, PHASE_KINDS, type CampaignEventType, type CampaignStateName, type PhaseKind } from '../../workflows';
import { WorkflowRefResponse } from '../workflows-api/workflow.response';
import { CAMPAIGN_PRESETS, type CampaignPresetKey } from './presets';

// Enums are listed explicitly: the swagger plugin lists a union's members in the type checker's order, which differs between builds.

const PRESET_KEYS = CAMPAIGN_PRESETS.map((p) => p.key);

/** The campaign events a caller may send through the API (plans are not edited after creation). */
export type CampaignAction = Exclude<CampaignEventType, 'EDIT_PLAN'>;

export const isCampaignAction = (e: CampaignEventType): e is CampaignAction => e !== 'EDIT_PLAN';

/** A node of a campaign's problem-type taxonomy (问题类型). */
export class ProblemTypeResponse {
  /** Unique within the campaign, e.g. `HQ-01`, `SQ-2.3`. */
  code!: string;
  name!: string;
  description?: string;
  /** Other spellings of `name` (as ledgers write it), matched on import. */
  aliases?: string[];
  /** 责任单位 as the plan lists them. */
  responsibleUnits?: string[];
  children?: ProblemTypeResponse[];
}

export class PresetPhaseResponse {
  @ApiProperty({ enum: PHASE_KINDS })
  kind!: PhaseKind;
  name!: string;
  /** `MM-DD`, or null where the document gives none. */
  startMonthDay!: string | null;
  endMonthDay!: string | null;
}

/** A campaign plan shipped with the service (GET /api/campaign-presets). */
export class CampaignPresetResponse {
  @ApiProperty({ enum: PRESET_KEYS })
  key!: CampaignPresetKey;
  name!: string;
  /** 文号 where the document has one, otherwise its title. */
  sourceDocument!: string;
  county!: string;
  /** Set only for a township's own plan. */
  township!: string | null;
  phases!: PresetPhaseResponse[];
  problemTypes!: ProblemTypeResponse[];
}

export class CampaignPhaseResponse {
  @ApiProperty({ enum: PHASE_KINDS })
  kind!: PhaseKind;
  /** As the campaign's plan names it, e.g. 实地排查. */
  name!: string;
  /** `YYYY-MM-DD` of the plan; informative, phases advance only when signed. */
  startDate!: string | null;
  endDate!: string | null;
  /** 已超期: not yet left behind (current or ahead) and its planned end date has passed (China's calendar). */
  overdue!: boolean;
}

/** 行业排查: the departments whose sector a problem type (and its subtree) is. */
export class CampaignSectorResponse {
  problemTypeCode!: string;
  departmentIds!: string[];
}

export class CampaignTownshipResponse {
  id!: string;
  name!: string;
}

export class CampaignResponse {
  id!: string;
  title!: string;
  /** 文号 */
  docNumber!: string;
  /** The preset the campaign started from; null for a custom plan. */
  @ApiProperty({ enum: PRESET_KEYS })
  presetKey!: CampaignPresetKey | null;
  @ApiProperty({ enum: CAMPAIGN_STATES })
  state!: CampaignStateName;
  stateLabel!: string;
  /** Index into `phases` of the current phase; -1 while draft. */
  phaseIndex!: number;
  /** Null while draft or archived. */
  currentPhase!: CampaignPhaseResponse | null;
  phases!: CampaignPhaseResponse[];
  problemTypes!: ProblemTypeResponse[];
  sectors!: CampaignSectorResponse[];
  /** Set for a township's own campaign (run by its township leader); null for a county campaign. */
  township!: CampaignTownshipResponse | null;
  workflow!: WorkflowRefResponse;
  /** Optimistic-concurrency version, incremented by every transition. */
  version!: number;
  createdAt!: string;
  updatedAt!: string;
}

export class CampaignWithActionsResponse extends CampaignResponse {
  /** What the caller may do now (START, ADVANCE_PHASE, ARCHIVE). */
  @ApiProperty({ enum: CAMPAIGN_EVENT_TYPES.filter(isCampaignAction), isArray: true })
  availableActions!: CampaignAction[];
}
