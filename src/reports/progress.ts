import { CLOSED_STATE, CONFIRMED_STATES, isOverdue, type ProblemItemStateName } from '../../workflows';

/**
 * Pure progress arithmetic shared by statistics, series, ranking and summary
 * reports. An item's history is rebuilt from its signature chain and the
 * records of its unsigned changes of state (WITHDRAW), so figures "as of" a
 * past day are what they were then, not what they are now.
 */

/** One change in an item's history: a signature, or an unsigned change of state recorded beside the chain. */
export interface HistoryEvent {
  itemId: string;
  eventType: string;
  stateAfter: string;
  at: Date;
  /** The deadline the event set (CONFIRM, ESCALATE, REJECT_RECTIFICATION, REOPEN), as YYYY-MM-DD. */
  deadline: string | null;
  /** The deadline a REQUEST_EXTENSION asked for. */
  newDeadline: string | null;
}

export interface ItemHistory {
  itemId: string;
  groupId: string;
  problemTypeCode: string;
  /** In the order they happened. */
  events: HistoryEvent[];
}

export interface ItemStatus {
  /** State after the last event at or before the instant; null when nothing was recorded yet (a draft). */
  state: string | null;
  deadline: string | null;
  /** The deadline the last REQUEST_EXTENSION asked for, which an APPROVE_EXTENSION grants. */
  requestedDeadline: string | null;
  foundAt: Date | null;
  confirmedAt: Date | null;
  closedAt: Date | null;
  reopened: boolean;
}

/** Figures of one group of items. */
export interface Figures {
  found: number;
  confirmed: number;
  pendingReview: number;
  rectifying: number;
  pendingAcceptance: number;
  closed: number;
  dismissed: number;
  overdue: number;
  reopened: number;
  /** closed / confirmed, 0–1, null when nothing was confirmed. */
  rectificationRate: number | null;
  /** Mean days from being found to being closed, over closed items; null when none closed. */
  avgDaysToClose: number | null;
}

/** The figure each state counts in, besides `found` (and `confirmed`, `overdue`). */
const FIGURE_OF_STATE: Partial<Record<ProblemItemStateName, 'pendingReview' | 'rectifying' | 'pendingAcceptance' | 'closed' | 'dismissed'>> = {
  pending_review: 'pendingReview',
  rectifying: 'rectifying',
  pending_acceptance: 'pendingAcceptance',
  closed: 'closed',
  dismissed: 'dismissed',
};

const isConfirmed = (state: string): boolean => (CONFIRMED_STATES as readonly string[]).includes(state);

/** China's calendar date (UTC+8) of an instant. */
export function chinaDay(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** The end of a China calendar day as an instant. */
export function endOfChinaDay(day: string): Date {
  return new Date(Date.parse(`${day}T23:59:59.999+08:00`));
}

/**
 * Replays an item's history up to `at`. Deadlines follow the events that
 * set them: CONFIRM, ESCALATE, REJECT_RECTIFICATION and REOPEN carry one;
 * APPROVE_EXTENSION grants the last requested one.
 */
export function statusAt(events: HistoryEvent[], at: Date): ItemStatus {
  let s = initialStatus();
  for (const e of events) {
    if (e.at > at) break;
    s = foldEvent(s, e);
  }
  return s;
}

/** An item's status before anything was recorded (a draft). */
export function initialStatus(): ItemStatus {
  return { state: null, deadline: null, requestedDeadline: null, foundAt: null, confirmedAt: null, closedAt: null, reopened: false };
}

/**
 * One step of the replay: the status after `e`. The report tallies fold the
 * same step inside each transition (report-tally.ts), so the tallies and the
 * replay cannot disagree on what an event does to the figures.
 */
export function foldEvent(before: ItemStatus, e: Pick<HistoryEvent, 'eventType' | 'stateAfter' | 'at' | 'deadline' | 'newDeadline'>): ItemStatus {
  const s = { ...before };
  const closedBefore = s.state === CLOSED_STATE;
  s.state = e.stateAfter;
  if (e.eventType === 'SUBMIT' && !s.foundAt) s.foundAt = e.at;
  if (isConfirmed(e.stateAfter) && !s.confirmedAt) s.confirmedAt = e.at;
  if (e.eventType === 'REOPEN') s.reopened = true;
  if (e.deadline) s.deadline = e.deadline;
  if (e.eventType === 'REQUEST_EXTENSION') s.requestedDeadline = e.newDeadline;
  if (e.eventType === 'APPROVE_EXTENSION' && s.requestedDeadline) s.deadline = s.requestedDeadline;
  // Closed since the first event that closed it; a spot check keeps the date, a reopening clears it.
  s.closedAt = e.stateAfter === CLOSED_STATE ? (closedBefore && s.closedAt ? s.closedAt : e.at) : null;
  return s;
}

/** Figures being added up: the closed items' found-to-closed times in whole milliseconds, summed. */
export type RunningFigures = Figures & { _closeMs?: number };

export function emptyFigures(): Figures {
  return {
    found: 0,
    confirmed: 0,
    pendingReview: 0,
    rectifying: 0,
    pendingAcceptance: 0,
    closed: 0,
    dismissed: 0,
    overdue: 0,
    reopened: 0,
    rectificationRate: null,
    avgDaysToClose: null,
  };
}

/** Adds one item's status on `day` to running figures (call `finish` once all are added). */
export function accumulate(f: RunningFigures, s: ItemStatus, day: string): void {
  if (!s.state || !s.foundAt) return;
  f.found++;
  if (s.confirmedAt && isConfirmed(s.state)) f.confirmed++;
  const figure = FIGURE_OF_STATE[s.state as ProblemItemStateName];
  if (figure) f[figure]++;
  if (isOverdue(s, day)) f.overdue++;
  if (s.reopened) f.reopened++;
  if (s.state === CLOSED_STATE && s.closedAt) f._closeMs = (f._closeMs ?? 0) + (s.closedAt.getTime() - s.foundAt.getTime());
}

export function finish(f: RunningFigures): Figures {
  const { _closeMs, ...out } = f;
  out.rectificationRate = out.confirmed ? round(out.closed / out.confirmed, 4) : null;
  // Whole milliseconds summed, divided once: the tallies sum the same integers in another order and get the same mean.
  out.avgDaysToClose = out.closed && _closeMs !== undefined ? round(_closeMs / out.closed / 86_400_000, 1) : null;
  return out;
}

function round(n: number, digits: number): number {
  const k = 10 ** digits;
  return Math.round(n * k) / k;
}

/** Figures of each group as of the end of `day`. */
export function figuresByGroup(histories: ItemHistory[], day: string, key: (h: ItemHistory) => string): Map<string, Figures> {
  const at = endOfChinaDay(day);
  const acc = new Map<string, RunningFigures>();
  for (const h of histories) {
    const k = key(h);
    if (!acc.has(k)) acc.set(k, emptyFigures());
    accumulate(acc.get(k)!, statusAt(h.events, at), day);
  }
  return new Map([...acc].map(([k, f]) => [k, finish(f)]));
}

/** Series intervals: 每天, 每周五, 半月报 (1st–15th, 16th–end), 月报. */
export type SeriesInterval = 'day' | 'week' | 'half_month' | 'month';

/**
 * Period ends from `from` to `to` inclusive: every day, every Friday (每周五上报),
 * every 15th and last day of a month (半月报), or every last day of a month
 * (月报); `to` always closes the series.
 */
export function periodEnds(from: string, to: string, interval: SeriesInterval, max = 400): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`) && out.length < max; t += 86_400_000) {
    const d = new Date(t);
    const lastOfMonth = new Date(t + 86_400_000).getUTCDate() === 1;
    const end =
      interval === 'day' ||
      (interval === 'week' && d.getUTCDay() === 5) ||
      (interval === 'half_month' && (d.getUTCDate() === 15 || lastOfMonth)) ||
      (interval === 'month' && lastOfMonth);
    if (end) out.push(d.toISOString().slice(0, 10));
  }
  if (out[out.length - 1] !== to && out.length < max) out.push(to);
  return out;
}
