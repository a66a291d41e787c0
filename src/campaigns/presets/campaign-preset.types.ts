/**
 * Default campaign plans shipped with the service, transcribed from the four
 * source documents in shared/seeds. They are pure data: a campaign copies a
 * preset's phases and problem-type tree when it is created, and then owns its
 * copy.
 */

export type PhaseKind = 'mobilization' | 'investigation' | 'rectification' | 'improvement' | 'summary';

export interface PresetPhase {
  kind: PhaseKind;
  /** The phase name as the document writes it (阶段名称). */
  name: string;
  /**
   * 'MM-DD' as the document gives it, or null where it gives none (e.g. 即日起).
   * A window may cross a year end: an end before its start means the next year
   * (干汊河 排查问题 12-01..01-01).
   */
  startMonthDay: string | null;
  endMonthDay: string | null;
}

export interface ProblemTypeNode {
  /** Stable code, unique within its preset: 'HQ-01', 'SQ-2.3', 'GCH-17'. */
  code: string;
  /** 问题类型 as users see it. */
  name: string;
  description?: string;
  /**
   * Other spellings of `name` found in the documents (the 霍邱 ledger writes
   * “三保障”和饮水安全方面 …), so that a spreadsheet import can match either.
   */
  aliases?: string[];
  /** 责任单位 as the document lists them. */
  responsibleUnits?: string[];
  children?: ProblemTypeNode[];
}

export type CampaignPresetKey = 'huoqiu' | 'shenqiu' | 'zhanggong' | 'ganchahe';

export interface CampaignPreset {
  key: CampaignPresetKey;
  /** Campaign title (专项行动名称). */
  name: string;
  /** 文号 where the document has one, otherwise its title. */
  sourceDocument: string;
  /** The county or district (县/区) the document belongs to. */
  county: string;
  /** Set only for a township's own plan (干汊河镇). */
  township?: string;
  phases: PresetPhase[];
  problemTypes: ProblemTypeNode[];
}
