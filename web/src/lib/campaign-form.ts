import type { Schemas } from '../api/client';

export type CreateCampaignPayload = Schemas['CreateCampaignDto'];
export type PhaseKind = Schemas['PhaseDto']['kind'];
export type PresetKey = NonNullable<CreateCampaignPayload['preset']>;

/** The five phase kinds in plan order, with the words the plans use for them. */
export const PHASE_KIND_LABELS: Record<PhaseKind, string> = {
  mobilization: '动员部署',
  investigation: '排查',
  rectification: '整改',
  improvement: '提升',
  summary: '总结',
};

export const PHASE_KIND_OPTIONS = (Object.keys(PHASE_KIND_LABELS) as PhaseKind[]).map((k) => ({ value: k, label: PHASE_KIND_LABELS[k] }));

export interface PhaseRow {
  kind?: PhaseKind;
  name?: string;
  /** `YYYY-MM-DD` */
  startDate?: string | null;
  endDate?: string | null;
}

export interface ProblemTypeRow {
  code?: string;
  name?: string;
}

/** What the 新建专项行动 form holds: either a shipped preset or a custom plan. */
export interface CampaignFormValues {
  mode: 'preset' | 'custom';
  preset?: PresetKey;
  title?: string;
  docNumber?: string;
  year?: number | null;
  phases?: PhaseRow[];
  problemTypes?: ProblemTypeRow[];
}

export interface FormFieldError {
  name: (string | number)[];
  message: string;
}

const CODE = /^[A-Za-z0-9._-]{1,32}$/;

const clean = (s: string | undefined | null) => (s ?? '').trim();

/**
 * Checks the form beyond per-field rules: rows of the custom plan, dates in
 * order, unique problem-type codes. Empty when the form may be sent.
 */
export function validateCampaignForm(v: CampaignFormValues): FormFieldError[] {
  const errors: FormFieldError[] = [];
  if (!clean(v.title)) errors.push({ name: ['title'], message: '请填写专项行动名称' });
  if (!clean(v.docNumber)) errors.push({ name: ['docNumber'], message: '请填写文号' });
  if (v.mode === 'preset') {
    if (!v.preset) errors.push({ name: ['preset'], message: '请选择内置方案' });
    if (v.year != null && (!Number.isInteger(v.year) || v.year < 2000 || v.year > 2100)) {
      errors.push({ name: ['year'], message: '年度须在 2000–2100 之间' });
    }
    return errors;
  }
  const phases = v.phases ?? [];
  if (phases.length === 0) errors.push({ name: ['phases'], message: '至少需要一个阶段' });
  phases.forEach((p, i) => {
    if (!p.kind) errors.push({ name: ['phases', i, 'kind'], message: '请选择阶段类型' });
    if (!clean(p.name)) errors.push({ name: ['phases', i, 'name'], message: '请填写阶段名称' });
    if (p.startDate && p.endDate && p.endDate < p.startDate) {
      errors.push({ name: ['phases', i, 'endDate'], message: '结束日期早于开始日期' });
    }
  });
  const types = v.problemTypes ?? [];
  if (types.length === 0) errors.push({ name: ['problemTypes'], message: '至少需要一个问题类型' });
  const seen = new Set<string>();
  types.forEach((t, i) => {
    const code = clean(t.code);
    if (!code) errors.push({ name: ['problemTypes', i, 'code'], message: '请填写编码' });
    else if (!CODE.test(code)) errors.push({ name: ['problemTypes', i, 'code'], message: '编码只能由 1–32 位字母、数字、点、横线或下划线组成' });
    else if (seen.has(code)) errors.push({ name: ['problemTypes', i, 'code'], message: `编码 ${code} 重复` });
    seen.add(code);
    if (!clean(t.name)) errors.push({ name: ['problemTypes', i, 'name'], message: '请填写问题类型名称' });
  });
  return errors;
}

/** The POST /api/campaigns body for the form (see src/campaigns/dto/create-campaign.dto.ts). */
export function toCreateCampaignPayload(v: CampaignFormValues): CreateCampaignPayload {
  const base = { title: clean(v.title), docNumber: clean(v.docNumber) };
  if (v.mode === 'preset') {
    return { ...base, preset: v.preset, ...(v.year != null ? { year: v.year } : {}) };
  }
  return {
    ...base,
    phases: (v.phases ?? []).map((p) => ({
      kind: p.kind as PhaseKind,
      name: clean(p.name),
      ...(p.startDate ? { startDate: p.startDate } : {}),
      ...(p.endDate ? { endDate: p.endDate } : {}),
    })),
    problemTypes: (v.problemTypes ?? []).map((t) => ({ code: clean(t.code), name: clean(t.name) })),
  };
}

/** A server field path (`phases.0.endDate`) as an antd form name path. */
export function toNamePath(field: string): (string | number)[] {
  return field.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/**
 * A preset's `MM-DD` windows as dates from `year` on, the way the server
 * resolves them: a date earlier than the one before it falls in the next year.
 */
export function presetPhaseDates(
  phases: ReadonlyArray<{ kind: PhaseKind; name: string; startMonthDay: string | null; endMonthDay: string | null }>,
  year: number,
): Array<{ kind: PhaseKind; name: string; startDate: string | null; endDate: string | null }> {
  let last = `${year}-01-01`;
  const next = (monthDay: string | null): string | null => {
    if (!monthDay) return null;
    let date = `${last.slice(0, 4)}-${monthDay}`;
    if (date < last) date = `${Number(last.slice(0, 4)) + 1}-${monthDay}`;
    last = date;
    return date;
  };
  return phases.map((p) => {
    const startDate = next(p.startMonthDay);
    return { kind: p.kind, name: p.name, startDate, endDate: next(p.endMonthDay) };
  });
}

/** `6/5–6/9`, `至 4/12`, or `时间未定` for a phase window. */
export function formatPhaseWindow(startDate: string | null, endDate: string | null): string {
  const md = (d: string) => `${Number(d.slice(5, 7))}/${Number(d.slice(8, 10))}`;
  if (startDate && endDate) {
    const sameYear = startDate.slice(0, 4) === endDate.slice(0, 4);
    return sameYear ? `${startDate.slice(0, 4)}年 ${md(startDate)}–${md(endDate)}` : `${startDate}–${endDate}`;
  }
  if (startDate) return `${startDate} 起`;
  if (endDate) return `至 ${endDate}`;
  return '时间未定';
}

export type StepStatus = 'finish' | 'process' | 'wait';

/** Each planned phase as done, current or to come, for a campaign at `phaseIndex` (-1 draft) in `state`. */
export function phaseStatuses(count: number, phaseIndex: number, state: string): StepStatus[] {
  return Array.from({ length: count }, (_, i) => {
    if (state === 'archived') return 'finish';
    if (i < phaseIndex) return 'finish';
    if (i === phaseIndex) return 'process';
    return 'wait';
  });
}

export interface ProblemTypeNode {
  code: string;
  name: string;
  description?: string;
  responsibleUnits?: string[];
  children?: ProblemTypeNode[];
}

/** Counts every node of a problem-type tree. */
export function countProblemTypes(nodes: readonly ProblemTypeNode[]): number {
  return nodes.reduce((n, t) => n + 1 + countProblemTypes(t.children ?? []), 0);
}
