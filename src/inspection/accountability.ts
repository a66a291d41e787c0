import { isOverdue, type SignatureKind } from '../../workflows';
import { chinaDay, statusAt, type HistoryEvent } from '../reports/progress';
import type { ACCOUNTABILITY_STEPS } from './inspection.response';

/**
 * 谁签字谁负责, as arithmetic over signature chains: for each signature at
 * one of the five steps, whether the item was reopened by inspection, or
 * overdue, at any time after it. Pure; the service loads the chains.
 */

export type Step = (typeof ACCOUNTABILITY_STEPS)[number];

/** The signature kinds each step counts. A dismissal is a review decision; a reopen is an inspection signature. */
export const STEP_KINDS: Readonly<Record<Step, readonly SignatureKind[]>> = {
  investigation: ['investigation'],
  review: ['review', 'dismissal'],
  rectification: ['rectification'],
  acceptance: ['acceptance'],
  inspection: ['inspection', 'reopen'],
};

const STEP_OF_KIND = new Map<string, Step>(Object.entries(STEP_KINDS).flatMap(([step, kinds]) => kinds.map((k) => [k, step as Step])));

/** The step a signature kind counts in, or null. */
export function stepOf(kind: string): Step | null {
  return STEP_OF_KIND.get(kind) ?? null;
}

/** A signature of an item's chain, as the report reads it. */
export interface SignedEvent extends HistoryEvent {
  seq: number;
  kind: string;
  signerId: string;
  signerName: string;
  signerOrgUnitId: string;
  signerOrgUnitName: string;
}

/** What later happened to an item after one of its signatures. */
export interface Aftermath {
  reopened: boolean;
  overdue: boolean;
}

/**
 * After the signature at `index` of `events` (the item's whole history in
 * order): reopened — a REOPEN signed later; overdue — the item was 整改中
 * past its deadline at some time after the signature (on any day up to
 * `today`, the day the report is made).
 */
export function aftermath(events: readonly HistoryEvent[], index: number, today: string): Aftermath {
  const signedAt = events[index].at;
  const reopened = events.slice(index + 1).some((e) => e.eventType === 'REOPEN');
  let overdue = false;
  // Each stretch between two events (the last one up to today) is overdue when, by its last day, the deadline had passed.
  for (let k = 0; k < events.length && !overdue; k++) {
    const end = events[k + 1]?.at ?? null;
    if (end !== null && end <= signedAt) continue;
    const status = statusAt(events as HistoryEvent[], events[k].at);
    const lastDay = end ? chinaDay(end) : today;
    // Overdue on `lastDay` means the deadline is before it (isOverdue compares with the day being read).
    if (isOverdue(status, lastDay) && (end === null || end > signedAt)) overdue = true;
  }
  return { reopened, overdue };
}
