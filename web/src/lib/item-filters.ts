/**
 * 问题台账 filters: one shape, kept in the page URL (so a link or a reload
 * keeps them) and sent as the query of GET /api/items and of the ledger export
 * (GET /api/campaigns/:id/ledger.xlsx), which take the same parameters.
 * URL parameter names are the API's own.
 */
import { ITEM_STATE_LABELS, type ItemState } from './labels';

/** Item states in lifecycle order, for the state filter. */
export const ITEM_STATES = (Object.keys(ITEM_STATE_LABELS) as ItemState[]).map((value) => ({ value, label: ITEM_STATE_LABELS[value] }));

const STATE_VALUES = new Set<string>(ITEM_STATES.map((s) => s.value));

export interface ItemFilters {
  /** Items at this org unit or below it (township, village or department). */
  orgUnitId?: string;
  states: ItemState[];
  /** Problem-type code; the API includes its sub-types. */
  problemType?: string;
  overdue: boolean;
  reopened: boolean;
  rectifierId?: string;
  q?: string;
}

export const NO_FILTERS: ItemFilters = { states: [], overdue: false, reopened: false };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_Q = 100;

const uuidOrUndefined = (v: string | null) => (v && UUID.test(v.trim()) ? v.trim() : undefined);
const flag = (v: string | null) => v === 'true' || v === '1';

/**
 * Reads the filters from the page's search params. Anything the API would
 * refuse (unknown state, malformed id, over-long text) is dropped rather than
 * turned into a 400 for a hand-edited or stale link.
 */
export function parseItemFilters(search: URLSearchParams): ItemFilters {
  const states = (search.get('state') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s): s is ItemState => STATE_VALUES.has(s));
  const problemType = search.get('problemType')?.trim();
  const q = search.get('q')?.trim().slice(0, MAX_Q);
  return {
    orgUnitId: uuidOrUndefined(search.get('orgUnitId')),
    states: [...new Set(states)],
    problemType: problemType && problemType.length <= 32 ? problemType : undefined,
    overdue: flag(search.get('overdue')),
    reopened: flag(search.get('reopened')),
    rectifierId: uuidOrUndefined(search.get('rectifierId')),
    q: q || undefined,
  };
}

const orderedStates = (states: ItemState[]): ItemState[] => ITEM_STATES.map((s) => s.value).filter((s) => states.includes(s));

/** Filter name → value as strings, only the filters that are set, in a fixed order (so equal filters give equal URLs). */
function entries(f: ItemFilters): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (f.orgUnitId) out.push(['orgUnitId', f.orgUnitId]);
  if (f.states.length) out.push(['state', orderedStates(f.states).join(',')]);
  if (f.problemType) out.push(['problemType', f.problemType]);
  if (f.overdue) out.push(['overdue', 'true']);
  if (f.reopened) out.push(['reopened', 'true']);
  if (f.rectifierId) out.push(['rectifierId', f.rectifierId]);
  const q = f.q?.trim();
  if (q) out.push(['q', q.slice(0, MAX_Q)]);
  return out;
}

/** The search params of the page for these filters (unset filters leave no parameter). */
export function itemFiltersToSearch(f: ItemFilters): URLSearchParams {
  return new URLSearchParams(entries(f));
}

/** The query of GET /api/items for one page (the typed client sends `state` as repeated parameters, which the API accepts like a comma list). */
export function toItemsQuery(campaignId: string, f: ItemFilters, cursor?: string | null, limit = 50) {
  return {
    campaignId,
    ...(f.orgUnitId ? { orgUnitId: f.orgUnitId } : {}),
    ...(f.states.length ? { state: orderedStates(f.states) } : {}),
    ...(f.problemType ? { problemType: f.problemType } : {}),
    ...(f.overdue ? { overdue: true } : {}),
    ...(f.reopened ? { reopened: true } : {}),
    ...(f.rectifierId ? { rectifierId: f.rectifierId } : {}),
    ...(f.q?.trim() ? { q: f.q.trim().slice(0, MAX_Q) } : {}),
    limit,
    ...(cursor ? { cursor } : {}),
  };
}

/** Path of the ledger export with the same filters (the campaign is the path's). */
export function ledgerExportPath(campaignId: string, f: ItemFilters): string {
  const qs = itemFiltersToSearch(f).toString();
  return `/api/campaigns/${encodeURIComponent(campaignId)}/ledger.xlsx${qs ? `?${qs}` : ''}`;
}

/** How many filters are set (the search text counts as one). */
export function activeFilterCount(f: ItemFilters): number {
  return entries(f).length;
}

// ----------------------------------------------------------- problem types

export interface ProblemTypeLike {
  code: string;
  name: string;
  children?: ProblemTypeLike[];
}

export interface ProblemTypeNode {
  value: string;
  title: string;
  children?: ProblemTypeNode[];
}

/** A campaign's problem-type taxonomy as TreeSelect data (a parent selects its sub-types too, as the API does). */
export function problemTypeTree(types: ProblemTypeLike[] | undefined): ProblemTypeNode[] {
  return (types ?? []).map((t) => ({
    value: t.code,
    title: t.name,
    ...(t.children?.length ? { children: problemTypeTree(t.children) } : {}),
  }));
}

/** Whether `code` names a type anywhere in the taxonomy. */
export function hasProblemType(types: ProblemTypeLike[] | undefined, code: string): boolean {
  return (types ?? []).some((t) => t.code === code || hasProblemType(t.children, code));
}

// ------------------------------------------------------------ ledger cells

export interface LedgerItemLike {
  orgUnit: { name: string; kind?: string } | null;
  township: { name: string } | null;
  rectifier: { name: string } | null;
  plannedRectifierName: string | null;
  deadline: string | null;
  plannedDeadline: string | null;
}

/**
 * 乡镇 / 行政村 / 整改责任人 / 整改时限 as the exported ledger writes them:
 * a department's item shows the department as 乡镇; the reviewer's rectifier
 * and deadline, else what the imported ledger planned.
 */
export function ledgerCells(i: LedgerItemLike): { township: string; village: string; rectifier: string; deadline: string; planned: boolean } {
  const kind = i.orgUnit?.kind;
  return {
    township: i.township?.name ?? (kind === 'department' || kind === 'township' ? (i.orgUnit?.name ?? '') : ''),
    village: kind === 'village' ? (i.orgUnit?.name ?? '') : '',
    rectifier: i.rectifier?.name ?? i.plannedRectifierName ?? '',
    deadline: i.deadline ?? i.plannedDeadline ?? '',
    planned: !i.deadline && !i.rectifier && !!(i.plannedDeadline || i.plannedRectifierName),
  };
}
