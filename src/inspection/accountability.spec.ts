import type { HistoryEvent } from '../reports/progress';
import { aftermath, stepOf } from './accountability';

/** An event of one item at noon (China time) of `day`. */
function ev(day: string, eventType: string, stateAfter: string, extra: Partial<HistoryEvent> = {}): HistoryEvent {
  return { itemId: 'i', eventType, stateAfter, at: new Date(`${day}T12:00:00+08:00`), deadline: null, newDeadline: null, ...extra };
}

describe('accountability arithmetic', () => {
  const closedThenReopened = [
    ev('2021-06-01', 'SUBMIT', 'pending_review'),
    ev('2021-06-02', 'CONFIRM', 'rectifying', { deadline: '2021-06-10' }),
    ev('2021-06-05', 'SUBMIT_RECTIFICATION', 'pending_acceptance'),
    ev('2021-06-06', 'ACCEPT', 'closed'),
    ev('2021-06-20', 'REOPEN', 'rectifying', { deadline: '2021-06-30' }),
  ];

  it('counts a reopen against every signature before it, and not against the reopen itself', () => {
    expect([0, 1, 2, 3, 4].map((i) => aftermath(closedThenReopened, i, '2021-06-21').reopened)).toEqual([true, true, true, true, false]);
  });

  it('finds an item overdue after a signature when it was rectifying past its deadline later on', () => {
    // Rectified before the deadline; reopened with a new deadline that has not passed by 06-21.
    expect(aftermath(closedThenReopened, 0, '2021-06-21').overdue).toBe(false);
    // …but has by 07-01: overdue after every signature, the reopen included.
    expect([0, 3, 4].map((i) => aftermath(closedThenReopened, i, '2021-07-01').overdue)).toEqual([true, true, true]);
  });

  it('does not blame a signature for an overdue stretch that ended before it', () => {
    const late = [
      ev('2021-06-01', 'SUBMIT', 'pending_review'),
      ev('2021-06-02', 'CONFIRM', 'rectifying', { deadline: '2021-06-03' }),
      // Rectified on the 8th: overdue from the 4th to the 8th.
      ev('2021-06-08', 'SUBMIT_RECTIFICATION', 'pending_acceptance'),
      ev('2021-06-09', 'ACCEPT', 'closed'),
    ];
    expect(aftermath(late, 1, '2021-06-30').overdue).toBe(true);
    expect(aftermath(late, 0, '2021-06-30').overdue).toBe(true);
    expect(aftermath(late, 2, '2021-06-30').overdue).toBe(false);
    expect(aftermath(late, 3, '2021-06-30').overdue).toBe(false);
    // Not overdue on the deadline day itself.
    const onTime = late.slice(0, 2).concat(ev('2021-06-03', 'SUBMIT_RECTIFICATION', 'pending_acceptance'));
    expect(aftermath(onTime, 1, '2021-06-30').overdue).toBe(false);
  });

  it('maps signature kinds onto the five steps', () => {
    expect(['investigation', 'review', 'dismissal', 'rectification', 'acceptance', 'inspection', 'reopen', 'return', 'escalation'].map(stepOf)).toEqual([
      'investigation',
      'review',
      'review',
      'rectification',
      'acceptance',
      'inspection',
      'inspection',
      null,
      null,
    ]);
  });
});
