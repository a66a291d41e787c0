import type { CampaignPreset, CampaignPresetKey } from './campaign-preset.types';
import { GANCHAHE_PRESET } from './ganchahe.preset';
import { HUOQIU_PRESET } from './huoqiu.preset';
import { SHENQIU_PRESET } from './shenqiu.preset';
import { ZHANGGONG_PRESET } from './zhanggong.preset';

export * from './campaign-preset.types';
export { flattenProblemTypes, matchProblemType, type FlatProblemType } from './problem-types';
export { GANCHAHE_PRESET, HUOQIU_PRESET, SHENQIU_PRESET, ZHANGGONG_PRESET };

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * The shipped presets, in the order of the source documents. They are frozen:
 * a campaign takes a copy (`structuredClone(preset)`) and edits that.
 */
export const CAMPAIGN_PRESETS: CampaignPreset[] = deepFreeze([HUOQIU_PRESET, SHENQIU_PRESET, ZHANGGONG_PRESET, GANCHAHE_PRESET]);

export function isCampaignPresetKey(key: string): key is CampaignPresetKey {
  return CAMPAIGN_PRESETS.some((preset) => preset.key === key);
}

export function findPreset(key: string): CampaignPreset | undefined {
  return CAMPAIGN_PRESETS.find((preset) => preset.key === key);
}
