/**
 * Pure progress arithmetic shared by statistics, series, ranking and summary
 * reports. An item's history is rebuilt from its signature chain, so figures
 * "as of" a past day are what they were then, not what they are now.
 */

/** The signature fields the history needs. */
export interface SignatureEvent {
  itemId: string;
  eventType: string;
  stateAfter: string;
  signedAt: Date;
  deadline: string | null;
  newDeadline: string | null;
}

export interface ItemHistory {
  itemId: string;
  groupId: string;
  problemTypeCode: string;
  events: SignatureEvent[];
}

export interface ItemStatus {
  /** State after the last signature at or before the instant; null when not yet found (no signature). */
  state: string | null;
  deadline: string | null;
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

const CONFIRMED_STATES = new Set(['rectifying', 'pending_acceptance', 'closed']);

/** China's calendar date (UTC+8) of an instant. */
export function chinaDay(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** The end of a China calendar day as an instant. */
export function endOfChinaDay(day: string): Date {
  return new Date(Date.parse(`${day}T23:59:59.999+08:00`));
}

/**
 * Replays an item's signatures up to `at`. Deadlines follow the events that
 * set them: CONFIRM, ESCALATE, REJECT_RECTIFICATION and REOPEN carry one;
 * APPROVE_EXTENSION grants the last requested one.
 */
export function statusAt(events: SignatureEvent[], at: Date): ItemStatus {
  const s: ItemStatus = { state: null, deadline: null, foundAt: null, confirmedAt: null, closedAt: null, reopened: false };
  let requested: string | null = null;
  for (const e of events) {
    if (e.signedAt > at) break;
    s.state = e.stateAfter;
    if (e.eventType === 'SUBMIT' && !s.foundAt) s.foundAt = e.signedAt;
    if (CONFIRMED_STATES.has(e.stateAfter) && !s.confirmedAt) s.confirmedAt = e.signedAt;
    if (e.eventType === 'REOPEN') s.reopened = true;
    if (e.deadline) s.deadline = e.deadline;
    if (e.eventType === 'REQUEST_EXTENSION') requested = e.newDeadline;
    if (e.eventType === 'APPROVE_EXTENSION' && requested) s.deadline = requested;
    s.closedAt = e.stateAfter === 'closed' ? (s.state === 'closed' && s.closedAt ? s.closedAt : e.signedAt) : null;
  }
  return s;
}

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
export function accumulate(f: Figures & { _daysSum?: number }, s: ItemStatus, day: string): void {
  if (!s.state || !s.foundAt) return;
  f.found++;
  if (s.confirmedAt && CONFIRMED_STATES.has(s.state)) f.confirmed++;
  if (s.state === 'pending_review') f.pendingReview++;
  if (s.state === 'rectifying') f.rectifying++;
  if (s.state === 'pending_acceptance') f.pendingAcceptance++;
  if (s.state === 'dismissed') f.dismissed++;
  if (s.state === 'rectifying' && s.deadline && s.deadline < day) f.overdue++;
  if (s.reopened) f.reopened++;
  if (s.state === 'closed') {
    f.closed++;
    if (s.closedAt) f._daysSum = (f._daysSum ?? 0) + (s.closedAt.getTime() - s.foundAt.getTime()) / 86_400_000;
  }
}

export function finish(f: Figures & { _daysSum?: number }): Figures {
  const { _daysSum, ...out } = f;
  out.rectificationRate = out.confirmed ? round(out.closed / out.confirmed, 4) : null;
  out.avgDaysToClose = out.closed && _daysSum !== undefined ? round(_daysSum / out.closed, 1) : null;
  return out;
}

function round(n: number, digits: number): number {
  const k = 10 ** digits;
  return Math.round(n * k) / k;
}

/** Figures of each group as of the end of `day`. */
export function figuresByGroup(histories: ItemHistory[], day: string, key: (h: ItemHistory) => string): Map<string, Figures> {
  const at = endOfChinaDay(day);
  const acc = new Map<string, Figures & { _daysSum?: number }>();
  for (const h of histories) {
    const k = key(h);
    if (!acc.has(k)) acc.set(k, emptyFigures());
    accumulate(acc.get(k)!, statusAt(h.events, at), day);
  }
  return new Map([...acc].map(([k, f]) => [k, finish(f)]));
}

/** Period ends: every day, or every Friday (每周五上报), from `from` to `to` inclusive; `to` always closes the series. */
export function periodEnds(from: string, to: string, interval: 'day' | 'week', max = 400): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`) && out.length < max; t += 86_400_000) {
    const d = new Date(t);
    if (interval === 'day' || d.getUTCDay() === 5) out.push(d.toISOString().slice(0, 10));
  }
  if (interval === 'week' && out[out.length - 1] !== to && out.length < max) out.push(to);
  return out;
}
