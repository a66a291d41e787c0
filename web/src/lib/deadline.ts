/**
 * 整改时限 arithmetic on Beijing calendar dates ('YYYY-MM-DD'), as the service
 * decides 超期: the day after the deadline (China time, no DST) an item is one day overdue.
 */

const BEIJING_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** Today's date in Beijing. */
export function beijingToday(now: Date = new Date()): string {
  return new Date(now.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (both 'YYYY-MM-DD'); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** Days past the deadline (0 when not yet past it or when there is none). */
export function daysOverdue(deadline: string | null | undefined, now: Date = new Date()): number {
  if (!deadline) return 0;
  return Math.max(0, daysBetween(deadline.slice(0, 10), beijingToday(now)));
}

export type DeadlineStatus = { kind: 'none' } | { kind: 'overdue'; days: number } | { kind: 'today' } | { kind: 'left'; days: number };

/**
 * What to show next to a deadline. `overdue` is the service's flag (only
 * rectifying items can be overdue); the day count is computed here.
 */
export function deadlineStatus(item: { deadline: string | null; overdue: boolean }, now: Date = new Date()): DeadlineStatus {
  if (!item.deadline) return { kind: 'none' };
  if (item.overdue) return { kind: 'overdue', days: Math.max(1, daysOverdue(item.deadline, now)) };
  const left = daysBetween(beijingToday(now), item.deadline.slice(0, 10));
  if (left === 0) return { kind: 'today' };
  return left > 0 ? { kind: 'left', days: left } : { kind: 'none' };
}

export function deadlineText(s: DeadlineStatus): string | null {
  switch (s.kind) {
    case 'overdue':
      return `超期 ${s.days} 天`;
    case 'today':
      return '今日到期';
    case 'left':
      return `剩余 ${s.days} 天`;
    default:
      return null;
  }
}
