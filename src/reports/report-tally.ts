import { OVERDUE_STATE } from '../../workflows';
import { addDays } from '../common/clock';
import type { Params } from '../database/entity-sql';
import {
  accumulate,
  chinaDay,
  emptyFigures,
  finish,
  foldEvent,
  initialStatus,
  type Figures,
  type HistoryEvent,
  type ItemStatus,
  type RunningFigures,
} from './progress';

/**
 * Report tallies (统计汇总): what each item adds to the figures, kept per
 * campaign × group (township, or the item's own unit for county and
 * department items) × problem type × China day, as the change of that day.
 * The figures as of a day are the sum of every row up to it. An item
 * rectifying with deadline X is overdue from the day after X: entering that
 * state on day d adds one to `overdue` on max(d, X + 1) (a day that may lie
 * ahead), leaving it (or a new deadline) on day e takes it away on
 * max(e, X + 1) — before X + 1 the two cancel. Each transition folds its event into the item's stored status
 * with the replay's own step (`foldEvent`) and adds the difference of the
 * item's contribution, in the transition's own statement; so the sum equals
 * the replay of the signatures (proven by test/report-tallies.e2e-spec.ts and
 * checked by `npm run verify`).
 */

/** What an item adds to its group's figures. */
export interface TallyCounts {
  found: number;
  confirmed: number;
  pendingReview: number;
  rectifying: number;
  pendingAcceptance: number;
  closed: number;
  dismissed: number;
  reopened: number;
  /** Found-to-closed time of closed items, whole milliseconds. */
  closeMs: number;
  /** Rectifying past the deadline (dated from the day after it). */
  overdue: number;
}

export const TALLY_COUNTS: ReadonlyArray<keyof TallyCounts> = [
  'found',
  'confirmed',
  'pendingReview',
  'rectifying',
  'pendingAcceptance',
  'closed',
  'dismissed',
  'reopened',
  'closeMs',
  'overdue',
];

/** Where an item's contribution is kept. */
export interface TallyOwner {
  campaignId: string;
  countyId: string;
  /** The township, or the item's own unit when it has none (the replay's group). */
  groupId: string;
  problemTypeCode: string;
}

/** One row of report_tallies: the change of one day under one key. */
export interface TallyRow extends TallyOwner, TallyCounts {
  day: string;
}

export function tallyOwner(item: { campaignId: string; countyId: string; townshipId: string | null; orgUnitId: string; problemTypeCode: string }): TallyOwner {
  return { campaignId: item.campaignId, countyId: item.countyId, groupId: item.townshipId ?? item.orgUnitId, problemTypeCode: item.problemTypeCode };
}

/** A date a signature's payload carries, as the replay reads it (payload->>'deadline', the first ten characters). */
export function payloadDate(v: unknown): string | null {
  return typeof v === 'string' && v ? v.slice(0, 10) : null;
}

/** The figures one item adds (overdue aside), and the day from which it is overdue; null for a draft (nothing found yet). */
export function contribution(s: ItemStatus): { counts: TallyCounts; overdueFrom: string | null } | null {
  if (!s.state || !s.foundAt) return null;
  // The replay's own accumulation of this one item, so the two cannot count differently.
  const f: RunningFigures = emptyFigures();
  accumulate(f, s, '0000-01-01');
  return {
    counts: {
      found: f.found,
      confirmed: f.confirmed,
      pendingReview: f.pendingReview,
      rectifying: f.rectifying,
      pendingAcceptance: f.pendingAcceptance,
      closed: f.closed,
      dismissed: f.dismissed,
      reopened: f.reopened,
      closeMs: f._closeMs ?? 0,
      overdue: 0,
    },
    // isOverdue: rectifying and the deadline before the day asked.
    overdueFrom: s.state === OVERDUE_STATE && s.deadline ? addDays(s.deadline, 1) : null,
  };
}

function row(owner: TallyOwner, day: string, c: Partial<TallyCounts>, sign: 1 | -1): TallyRow {
  // A literal of one shape (a rebuild makes millions of them).
  return {
    campaignId: owner.campaignId,
    countyId: owner.countyId,
    groupId: owner.groupId,
    problemTypeCode: owner.problemTypeCode,
    day,
    found: sign * (c.found ?? 0),
    confirmed: sign * (c.confirmed ?? 0),
    pendingReview: sign * (c.pendingReview ?? 0),
    rectifying: sign * (c.rectifying ?? 0),
    pendingAcceptance: sign * (c.pendingAcceptance ?? 0),
    closed: sign * (c.closed ?? 0),
    dismissed: sign * (c.dismissed ?? 0),
    reopened: sign * (c.reopened ?? 0),
    closeMs: sign * (c.closeMs ?? 0),
    overdue: sign * (c.overdue ?? 0),
  };
}

/**
 * What moving an item from `before` to `after` on `day` adds, as calls of
 * `add(day, counts, sign)`: the old contribution taken away and the new one
 * added on `day`, and each one's overdue count on the day it is overdue from
 * (or `day`, if that is later).
 */
function changeOf(before: ItemStatus, after: ItemStatus, day: string, add: (day: string, counts: Partial<TallyCounts>, sign: 1 | -1) => void): void {
  for (const [status, sign] of [
    [before, -1],
    [after, 1],
  ] as const) {
    const c = contribution(status);
    if (!c) continue;
    add(day, c.counts, sign);
    if (c.overdueFrom) add(c.overdueFrom > day ? c.overdueFrom : day, { overdue: 1 }, sign);
  }
}

/** The rows that move an item's contribution from `before` to `after` on `day` (none when nothing changes). */
export function tallyChange(owner: TallyOwner, before: ItemStatus, after: ItemStatus, day: string): TallyRow[] {
  const rows: TallyRow[] = [];
  changeOf(before, after, day, (d, counts, sign) => rows.push(row(owner, d, counts, sign)));
  return mergeTallies(rows);
}

/** Every row of the item's history under `owner`, and its status after the last event: what the backfill and a regrouping write. */
export function historyTallies(owner: TallyOwner, events: readonly HistoryEvent[]): { status: ItemStatus; rows: TallyRow[] } {
  let status = initialStatus();
  // One owner: rows by day, added up in place (a rebuild folds millions of events).
  const byDay = new Map<string, TallyRow>();
  const add = (day: string, counts: Partial<TallyCounts>, sign: 1 | -1) => {
    let r = byDay.get(day);
    if (!r) byDay.set(day, (r = row(owner, day, {}, 1)));
    for (const k of TALLY_COUNTS) r[k] += sign * (counts[k] ?? 0);
  };
  for (const e of events) {
    const next = foldEvent(status, e);
    changeOf(status, next, chinaDay(e.at), add);
    status = next;
  }
  return { status, rows: mergeTallies([...byDay.values()]) };
}

/** `rows` under `owner` taken away (a returned item whose problem type is edited moves its whole history). */
export function negated(rows: readonly TallyRow[]): TallyRow[] {
  return rows.map((r) => {
    const out = { ...r };
    for (const k of TALLY_COUNTS) out[k] = -r[k];
    return out;
  });
}

const keyOf = (r: TallyRow): string => `${r.campaignId}|${r.groupId}|${r.problemTypeCode}|${r.day}`;

/**
 * Rows of the same key summed, rows that sum to nothing dropped, in key
 * order: one upsert never touches a row twice, and every writer locks the
 * rows it shares with another in the same order (no deadlock).
 */
export function mergeTallies(rows: readonly TallyRow[]): TallyRow[] {
  return sortedTallies(addTallies(new Map(), rows));
}

/** Adds `rows` into `sums` (by key), in place: a running total over many writers' rows. */
export function addTallies(sums: Map<string, TallyRow>, rows: readonly TallyRow[]): Map<string, TallyRow> {
  for (const r of rows) {
    const k = keyOf(r);
    const acc = sums.get(k);
    if (!acc) sums.set(k, { ...r });
    else for (const c of TALLY_COUNTS) acc[c] += r[c];
  }
  return sums;
}

/** The rows of `sums` that do not sum to nothing, in key order. */
export function sortedTallies(sums: Map<string, TallyRow>): TallyRow[] {
  return [...sums.entries()]
    .filter(([, r]) => TALLY_COUNTS.some((c) => r[c] !== 0))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, r]) => r);
}

// ------------------------------------------------------------ stored status

/** The item's status as stored with the row (problem_items.report_status), for the next transition to fold from. */
export interface StoredStatus {
  state: string | null;
  deadline: string | null;
  requestedDeadline: string | null;
  foundAt: string | null;
  confirmedAt: string | null;
  closedAt: string | null;
  reopened: boolean;
}

export function toStoredStatus(s: ItemStatus): StoredStatus {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return { ...s, foundAt: iso(s.foundAt), confirmedAt: iso(s.confirmedAt), closedAt: iso(s.closedAt) };
}

export function fromStoredStatus(s: StoredStatus | null): ItemStatus {
  if (!s) return initialStatus();
  const date = (v: string | null) => (v ? new Date(v) : null);
  return { ...s, foundAt: date(s.foundAt), confirmedAt: date(s.confirmedAt), closedAt: date(s.closedAt) };
}

// --------------------------------------------------------------------- SQL

/** The columns of report_tallies, in the order the upsert writes them. */
const KEY_COLUMNS = [
  ['campaignId', 'campaign_id', 'uuid'],
  ['countyId', 'county_id', 'uuid'],
  ['groupId', 'group_id', 'uuid'],
  ['problemTypeCode', 'problem_type_code', 'varchar'],
  ['day', 'day', 'date'],
] as const;

const COUNT_COLUMNS: ReadonlyArray<readonly [keyof TallyCounts, string, string]> = TALLY_COUNTS.map((k) => [
  k,
  k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
  k === 'closeMs' ? 'bigint' : 'integer',
]);

/** The sums of the count columns, each named as its property (for reads). */
export const TALLY_SUMS = COUNT_COLUMNS.map(([k, column]) => `sum(${column})::float8 AS "${k}"`).join(', ');

/** The count columns as they are, each named as its property. */
export const TALLY_COUNT_COLUMNS = COUNT_COLUMNS.map(([k, column]) => `${column}::float8 AS "${k}"`).join(', ');

/**
 * `INSERT … ON CONFLICT DO UPDATE` adding `rows` to report_tallies, only
 * when `condition` holds (the transition's row was moved). The rows must be
 * merged (`mergeTallies`): one statement may not touch a row twice.
 */
export function tallyUpsertSql(rows: readonly TallyRow[], params: Params, condition = 'true'): string {
  const columns = [...KEY_COLUMNS, ...COUNT_COLUMNS];
  const tuples = rows.map((r) => `(${columns.map(([k, , type]) => `${params.add(r[k])}::${type}`).join(', ')})`);
  const names = columns.map(([, c]) => c).join(', ');
  return (
    `INSERT INTO report_tallies (${names}) SELECT * FROM (VALUES ${tuples.join(', ')}) AS v(${names}) WHERE ${condition} ` +
    `ON CONFLICT (campaign_id, group_id, problem_type_code, day) DO UPDATE SET ` +
    COUNT_COLUMNS.map(([, c]) => `${c} = report_tallies.${c} + EXCLUDED.${c}`).join(', ')
  );
}

/** Rows per upsert of a set-based writer (ledger import, backfill): 15 parameters a row. */
export const TALLY_ROWS_PER_UPSERT = 2000;

// ------------------------------------------------------------------- reads

/** Figures before the rates and means are worked out: counts that add and subtract. */
export type RawFigures = TallyCounts;

export function emptyRaw(): RawFigures {
  const raw = {} as RawFigures;
  for (const k of TALLY_COUNTS) raw[k] = 0;
  return raw;
}

/** What one item's status adds to the figures of `day`. */
export function itemRaw(s: ItemStatus, day: string): RawFigures {
  const c = contribution(s);
  if (!c) return emptyRaw();
  return { ...c.counts, overdue: c.overdueFrom !== null && c.overdueFrom <= day ? 1 : 0 };
}

/** `into` plus `sign` × `raw`, in place. */
export function addRaw(into: RawFigures, raw: Partial<RawFigures>, sign: 1 | -1 = 1): RawFigures {
  for (const k of TALLY_COUNTS) into[k] += sign * (raw[k] ?? 0);
  return into;
}

/** The figures the API answers (rates and means) from raw ones. */
export function figuresOfRaw(raw: RawFigures): Figures {
  const { closeMs, ...counts } = raw;
  const f: RunningFigures = { ...emptyFigures(), ...counts };
  if (raw.closed) f._closeMs = closeMs;
  return finish(f);
}
