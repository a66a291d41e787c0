/**
 * 登记问题 form ↔ API: what the form holds, the bodies of POST /api/items,
 * PATCH /api/items/{id} and the SUBMIT event, the org-unit and problem-type
 * pickers, and where the server's field errors belong.
 */
import type { Schemas } from '../api/client';
import type { FieldError } from './api-error';
import { normalizeResidentId } from './resident-id';

type Item = Schemas['ItemResponse'];
type OrgUnit = Schemas['OrgUnitResponse'];
type ProblemType = Schemas['ProblemTypeResponse'];

export interface ItemFormValues {
  campaignId?: string;
  orgUnitId?: string;
  problemTypeCode?: string;
  householdName?: string;
  /** Empty while editing means "keep the number on record" (the API only returns it masked). */
  householdIdNumber?: string;
  /** Editing only: remove the number on record. */
  clearIdNumber?: boolean;
  description?: string;
  remark?: string;
  /** 立行立改 */
  fixedOnSite?: boolean;
  /** 整改措施 (what was done on the spot); required with fixedOnSite. */
  measures?: string;
}

export type ItemFormField = keyof ItemFormValues;

/** The Chinese name of each field, for messages. */
export const ITEM_FORM_LABELS: Record<ItemFormField, string> = {
  campaignId: '专项行动',
  orgUnitId: '所在村（乡镇、部门）',
  problemTypeCode: '问题类型',
  householdName: '户主姓名',
  householdIdNumber: '身份证号码',
  clearIdNumber: '身份证号码',
  description: '具体问题',
  remark: '备注',
  fixedOnSite: '立行立改',
  measures: '整改措施',
};

const text = (v: string | undefined): string => (v ?? '').trim();

/** Body of POST /api/items (a new draft). Blank optional fields are left out. */
export function toCreateBody(v: ItemFormValues): Schemas['CreateItemDto'] {
  const body: Schemas['CreateItemDto'] = {
    campaignId: v.campaignId ?? '',
    orgUnitId: v.orgUnitId ?? '',
    problemTypeCode: v.problemTypeCode ?? '',
    description: text(v.description),
  };
  if (text(v.householdName)) body.householdName = text(v.householdName);
  if (text(v.householdIdNumber)) body.householdIdNumber = normalizeResidentId(v.householdIdNumber!);
  if (text(v.remark)) body.remark = text(v.remark);
  return body;
}

/** PATCH /api/items/{id}; `householdIdNumber: null` removes the number on record. */
export type UpdateItemBody = Omit<Schemas['UpdateItemDto'], 'householdIdNumber'> & { householdIdNumber?: string | null };

/**
 * Body of PATCH /api/items/{id}. Cleared text fields are sent as '' (the
 * server stores null); the ID number is sent only when retyped or removed,
 * because the form never holds the full number on record.
 */
export function toUpdateBody(v: ItemFormValues): UpdateItemBody {
  const body: UpdateItemBody = {
    problemTypeCode: v.problemTypeCode,
    description: text(v.description),
    householdName: text(v.householdName),
    remark: text(v.remark),
  };
  if (text(v.householdIdNumber)) body.householdIdNumber = normalizeResidentId(v.householdIdNumber!);
  else if (v.clearIdNumber) body.householdIdNumber = null;
  if (v.fixedOnSite && text(v.measures)) body.measures = text(v.measures);
  return body;
}

/** The SUBMIT event (排查签字); 立行立改 carries what was done on the spot. */
export function toSubmitEvent(v: ItemFormValues): Schemas['ItemEventDto'] {
  return v.fixedOnSite ? { type: 'SUBMIT', fixedOnSite: true, measures: text(v.measures) } : { type: 'SUBMIT' };
}

/** What the waiting list of the offline outbox shows for a new item. */
export function outboxLabel(v: ItemFormValues): string {
  const who = text(v.householdName);
  const what = text(v.description);
  const short = what.length > 20 ? `${what.slice(0, 20)}…` : what;
  return `登记问题：${who ? `${who} ` : ''}${short}`;
}

/** The form's starting values for an item being edited (draft or returned). */
export function itemToFormValues(item: Item): ItemFormValues {
  const household = item.household;
  const measures = item.measures ?? undefined;
  return {
    campaignId: item.campaignId,
    orgUnitId: item.orgUnit.id,
    problemTypeCode: item.problemType.code,
    householdName: household?.name ?? undefined,
    // A masked number cannot be sent back; the field starts empty and means "unchanged".
    householdIdNumber: household?.idNumber && !household.idNumberMasked ? household.idNumber : undefined,
    clearIdNumber: false,
    description: item.description,
    remark: item.remark ?? undefined,
    // Before SUBMIT the only measures an item can carry are the investigator's own (立行立改).
    fixedOnSite: item.fixedOnSite || !!measures,
    measures,
  };
}

// ------------------------------------------------------------ pickers

/** Phases in which new problems may be recorded and submitted (the service's EVENT_PHASES.SUBMIT). */
export const RECORDING_PHASES: readonly string[] = ['investigation', 'rectification', 'improvement'];

/** Why no item can be recorded in this campaign now, or null when it can. */
export function recordingClosedReason(campaign: { state: string; currentPhase: { kind: string; name: string } | null }): string | null {
  if (campaign.state === 'draft') return '该专项行动尚未启动，暂不能登记问题';
  if (campaign.state === 'archived') return '该专项行动已归档，不能再登记问题';
  if (!campaign.currentPhase || !RECORDING_PHASES.includes(campaign.currentPhase.kind)) {
    return `当前阶段（${campaign.currentPhase?.name ?? '—'}）不能登记问题；排查、整改、提升阶段可以登记`;
  }
  return null;
}

/** A node of the taxonomy by code, at any depth. */
export function findProblemType(types: ProblemType[], code: string | undefined): ProblemType | undefined {
  if (!code) return undefined;
  for (const t of types) {
    if (t.code === code) return t;
    const inner = t.children && findProblemType(t.children, code);
    if (inner) return inner;
  }
  return undefined;
}

export interface TreeNode {
  value: string;
  title: string;
  selectable: boolean;
  disabled?: boolean;
  children?: TreeNode[];
}

const RECORDABLE_KINDS = new Set(['village', 'township', 'department']);

/**
 * Where the user may record a problem, as a tree for TreeSelect: townships
 * with their villages, and the user's own department. The server refuses
 * anything else (county, supervision groups, other departments), so those are
 * left out; a county that only groups its townships stays as a closed node.
 */
export function orgUnitTree(units: OrgUnit[], ownOrgUnitId: string | undefined): TreeNode[] {
  const usable = (u: OrgUnit) => RECORDABLE_KINDS.has(u.kind) && (u.kind !== 'department' || u.id === ownOrgUnitId);
  const kept = units.filter(usable);
  const ids = new Set(kept.map((u) => u.id));
  const byParent = new Map<string | null, OrgUnit[]>();
  for (const u of kept) {
    const parent = u.parentId && ids.has(u.parentId) ? u.parentId : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), u]);
  }
  const order = (u: OrgUnit) => (u.kind === 'township' ? 0 : u.kind === 'village' ? 1 : 2);
  const build = (parent: string | null): TreeNode[] =>
    (byParent.get(parent) ?? [])
      .slice()
      .sort((a, b) => order(a) - order(b) || (a.code ?? '~').localeCompare(b.code ?? '~') || a.name.localeCompare(b.name, 'zh-CN'))
      .map((u) => {
        const children = build(u.id);
        return { value: u.id, title: u.name, selectable: true, ...(children.length ? { children } : {}) };
      });
  return build(null);
}

/** The one place a user can record at (a village cadre's village), to preselect; undefined when there is a choice. */
export function onlyOrgUnit(tree: TreeNode[]): string | undefined {
  const all: string[] = [];
  const walk = (nodes: TreeNode[]) => nodes.forEach((n) => (all.push(n.value), n.children && walk(n.children)));
  walk(tree);
  return all.length === 1 ? all[0] : undefined;
}

/** A campaign's problem-type taxonomy for TreeSelect; every node is a valid code (the server accepts inner nodes too). */
export function problemTypeTree(types: ProblemType[]): TreeNode[] {
  return types.map((t) => ({
    value: t.code,
    title: t.name,
    selectable: true,
    ...(t.children?.length ? { children: problemTypeTree(t.children) } : {}),
  }));
}

type Sector = Schemas['CampaignSectorResponse'];

/**
 * 行业排查: what a department may record for a household (at a village or a
 * township) — its sector in the campaign: the types mapped to it and
 * everything under them (as the server's campaign-sectors.ts has it). Null
 * means no limit: a village or township recorder, or a department recording
 * at itself.
 */
export function sectorTypeCodes(
  types: ProblemType[],
  sectors: Sector[],
  recorder: { orgUnitId: string; orgUnitKind: string },
  placeKind: string | undefined,
): Set<string> | null {
  if (recorder.orgUnitKind !== 'department' || (placeKind !== 'village' && placeKind !== 'township')) return null;
  const mapped = new Set(sectors.filter((s) => s.departmentIds.includes(recorder.orgUnitId)).map((s) => s.problemTypeCode));
  const codes = new Set<string>();
  const walk = (nodes: ProblemType[], inherited: boolean) =>
    nodes.forEach((n) => {
      const inSector = inherited || mapped.has(n.code);
      if (inSector) codes.add(n.code);
      if (n.children) walk(n.children, inSector);
    });
  walk(types, false);
  return codes;
}

/** problemTypeTree limited to `codes` (null: all): other types are left out unless a type of the sector lies under them, then shown but not selectable. */
export function limitedProblemTypeTree(types: ProblemType[], codes: Set<string> | null): TreeNode[] {
  if (!codes) return problemTypeTree(types);
  return types.flatMap((t): TreeNode[] => {
    const children = limitedProblemTypeTree(t.children ?? [], codes);
    if (!codes.has(t.code) && children.length === 0) return [];
    return [
      {
        value: t.code,
        title: t.name,
        selectable: codes.has(t.code),
        ...(codes.has(t.code) ? {} : { disabled: true }),
        ...(children.length ? { children } : {}),
      },
    ];
  });
}

// ------------------------------------------------------------ server errors

const API_TO_FORM: Record<string, ItemFormField> = {
  campaignId: 'campaignId',
  orgUnitId: 'orgUnitId',
  problemTypeCode: 'problemTypeCode',
  householdName: 'householdName',
  householdIdNumber: 'householdIdNumber',
  description: 'description',
  remark: 'remark',
  measures: 'measures',
  fixedOnSite: 'fixedOnSite',
};

export interface FormFieldError {
  name: ItemFormField;
  errors: string[];
}

/**
 * The server's field errors placed on the form's fields, with the API's
 * property names in the message replaced by the field's Chinese name
 * ("householdIdNumber：身份证号码校验位不正确" → "身份证号码校验位不正确").
 * Errors about fields the form does not have come back in `other`.
 */
export function placeServerErrors(details: FieldError[]): { fields: FormFieldError[]; other: string[] } {
  const fields = new Map<ItemFormField, string[]>();
  const other: string[] = [];
  for (const d of details) {
    const name = API_TO_FORM[d.field];
    if (!name) {
      other.push(d.message);
      continue;
    }
    const label = ITEM_FORM_LABELS[name];
    let msg = d.message.startsWith(`${d.field}：`) ? d.message.slice(d.field.length + 1) : d.message;
    msg = msg.split(d.field).join(label).trim();
    fields.set(name, [...(fields.get(name) ?? []), msg]);
  }
  return { fields: [...fields].map(([name, errors]) => ({ name, errors })), other };
}
