import { OVERDUE_STATE } from '../../workflows';
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
 * department items) × problem type × China day × overdue deadline, as the
 * change of that day. The figures as of a day are the sum of every row up to
 * it; the overdue count on a day is the rectifying items whose deadline lies
 * before it. Each transition folds its event into the item's stored status
 * with the replay's own step (`foldEvent`) and adds the difference of the
 * item's contribution, in the transition's own statement; so the sum equals
 * the replay of the signatures (proven by test/report-tallies.e2e-spec.ts and
 * checked by `npm run verify`).
 */

/** The overdue deadline of a row that holds no rectifying item with a deadline: never before any day. */
export const NO_DEADLINE = '9999-12-31';

/** What an item adds to its group's figures (overdue aside, which depends on the day asked). */
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
  overdueDeadline: string;
}

export function tallyOwner(item: { campaignId: string; countyId: string; townshipId: string | null; orgUnitId: string; problemTypeCode: string }): TallyOwner {
  return { campaignId: item.campaignId, countyId: item.countyId, groupId: item.townshipId ?? item.orgUnitId, problemTypeCode: item.problemTypeCode };
}

/** The figures one item adds, and the deadline that makes it overdue; null for a draft (nothing found yet). */
export function contribution(s: ItemStatus): { counts: TallyCounts; overdueDeadline: string } | null {
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
    },
    overdueDeadline: s.state === OVERDUE_STATE && s.deadline ? s.deadline : NO_DEADLINE,
  };
}

function row(owner: TallyOwner, day: string, overdueDeadline: string, counts: TallyCounts, sign: 1 | -1): TallyRow {
  const out = { ...owner, day, overdueDeadline } as TallyRow;
  for (const k of TALLY_COUNTS) out[k] = sign * counts[k];
  return out;
}

/** The rows that move an item's contribution from `before` to `after` on `day` (none when nothing changes). */
export function tallyChange(owner: TallyOwner, before: ItemStatus, after: ItemStatus, day: string): TallyRow[] {
  const was = contribution(before);
  const is = contribution(after);
  const rows: TallyRow[] = [];
  if (was) rows.push(row(owner, day, was.overdueDeadline, was.counts, -1));
  if (is) rows.push(row(owner, day, is.overdueDeadline, is.counts, 1));
  return mergeTallies(rows);
}

/** Every row of the item's history under `owner`, and its status after the last event: what the backfill and a regrouping write. */
export function historyTallies(owner: TallyOwner, events: readonly HistoryEvent[]): { status: ItemStatus; rows: TallyRow[] } {
  let status = initialStatus();
  const rows: TallyRow[] = [];
  for (const e of events) {
    const next = foldEvent(status, e);
    rows.push(...tallyChange(owner, status, next, chinaDay(e.at)));
    status = next;
  }
  return { status, rows: mergeTallies(rows) };
}

/** `rows` under `owner` taken away (a returned item whose problem type is edited moves its whole history). */
export function negated(rows: readonly TallyRow[]): TallyRow[] {
  return rows.map((r) => {
    const out = { ...r };
    for (const k of TALLY_COUNTS) out[k] = -r[k];
    return out;
  });
}

const keyOf = (r: TallyRow): string => `${r.campaignId}|${r.groupId}|${r.problemTypeCode}|${r.day}|${r.overdueDeadline}`;

/**
 * Rows of the same key summed, rows that sum to nothing dropped, in key
 * order: one upsert never touches a row twice, and every writer locks the
 * rows it shares with another in the same order (no deadlock).
 */
export function mergeTallies(rows: readonly TallyRow[]): TallyRow[] {
  const byKey = new Map<string, TallyRow>();
  for (const r of rows) {
    const k = keyOf(r);
    const acc = byKey.get(k);
    if (!acc) byKey.set(k, { ...r });
    else for (const c of TALLY_COUNTS) acc[c] += r[c];
  }
  return [...byKey.entries()]
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
  ['overdueDeadline', 'overdue_deadline', 'date'],
] as const;

const COUNT_COLUMNS: ReadonlyArray<readonly [keyof TallyCounts, string, string]> = TALLY_COUNTS.map((k) => [
  k,
  k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
  k === 'closeMs' ? 'bigint' : 'integer',
]);

/** The sums of the count columns, each named as its property (for reads). */
export const TALLY_SUMS = COUNT_COLUMNS.map(([k, column]) => `sum(${column})::float8 AS "${k}"`).join(', ');

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
    `ON CONFLICT (campaign_id, group_id, problem_type_code, day, overdue_deadline) DO UPDATE SET ` +
    COUNT_COLUMNS.map(([, c]) => `${c} = report_tallies.${c} + EXCLUDED.${c}`).join(', ')
  );
}

/** Rows per upsert of a set-based writer (ledger import, backfill): 15 parameters a row. */
export const TALLY_ROWS_PER_UPSERT = 2000;

// ------------------------------------------------------------------- reads

/** Summed rows of one group (or of all) as of a day: counts by overdue deadline. */
export type TallySums = TallyCounts & { overdueDeadline: string };

/** Figures before the rates and means are worked out: counts that add and subtract. */
export type RawFigures = TallyCounts & { overdue: number };

export function emptyRaw(): RawFigures {
  const raw = { overdue: 0 } as RawFigures;
  for (const k of TALLY_COUNTS) raw[k] = 0;
  return raw;
}

/** Summed rows as of the end of `day`: rectifying items whose deadline lies before it are overdue. */
export function rawFigures(rows: readonly TallySums[], day: string): RawFigures {
  const raw = emptyRaw();
  for (const r of rows) {
    for (const k of TALLY_COUNTS) raw[k] += r[k];
    if (r.overdueDeadline < day) raw.overdue += r.rectifying;
  }
  return raw;
}

/** What one item's status adds to the figures of `day`. */
export function itemRaw(s: ItemStatus, day: string): RawFigures {
  const c = contribution(s);
  return c ? rawFigures([{ ...c.counts, overdueDeadline: c.overdueDeadline }], day) : emptyRaw();
}

/** `into` plus `sign` × `raw`, in place. */
export function addRaw(into: RawFigures, raw: RawFigures, sign: 1 | -1 = 1): RawFigures {
  for (const k of TALLY_COUNTS) into[k] += sign * raw[k];
  into.overdue += sign * raw.overdue;
  return into;
}

/** The figures the API answers (rates and means) from raw ones. */
export function figuresOfRaw(raw: RawFigures): Figures {
  const f: RunningFigures = { ...emptyFigures(), ...raw };
  delete (f as Partial<RawFigures>).closeMs;
  if (raw.closed) f._closeMs = raw.closeMs;
  return finish(f);
}

/** The figures of summed rows as of the end of `day`. */
export function figuresFromTallies(rows: readonly TallySums[], day: string): Figures {
  return figuresOfRaw(rawFigures(rows, day));
}
