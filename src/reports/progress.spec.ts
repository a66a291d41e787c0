import { accumulate, emptyFigures, endOfChinaDay, figuresByGroup, finish, periodEnds, statusAt, type HistoryEvent, type ItemHistory } from './progress';

/** An event of one item at noon (China time) of `day`. */
function ev(day: string, eventType: string, stateAfter: string, extra: Partial<HistoryEvent> = {}): HistoryEvent {
  return { itemId: 'i', eventType, stateAfter, at: new Date(`${day}T12:00:00+08:00`), deadline: null, newDeadline: null, ...extra };
}

const history = (itemId: string, groupId: string, events: HistoryEvent[]): ItemHistory => ({ itemId, groupId, problemTypeCode: 'HQ-01', events });

describe('progress replay', () => {
  const lifecycle: HistoryEvent[] = [
    ev('2021-06-01', 'SUBMIT', 'pending_review'),
    ev('2021-06-02', 'CONFIRM', 'rectifying', { deadline: '2021-06-10' }),
    ev('2021-06-05', 'REQUEST_EXTENSION', 'rectifying', { newDeadline: '2021-06-20' }),
    ev('2021-06-06', 'APPROVE_EXTENSION', 'rectifying'),
    ev('2021-06-12', 'SUBMIT_RECTIFICATION', 'pending_acceptance'),
    ev('2021-06-13', 'ACCEPT', 'closed'),
    ev('2021-06-14', 'SPOT_CHECK_PASS', 'closed'),
    ev('2021-06-15', 'REOPEN', 'rectifying', { deadline: '2021-06-18' }),
  ];

  it('is nothing before the first event', () => {
    expect(statusAt(lifecycle, endOfChinaDay('2021-05-31'))).toEqual({
      state: null,
      deadline: null,
      requestedDeadline: null,
      foundAt: null,
      confirmedAt: null,
      closedAt: null,
      reopened: false,
    });
  });

  it('follows the state, the deadline and its extension day by day', () => {
    const on = (day: string) => statusAt(lifecycle, endOfChinaDay(day));
    expect(on('2021-06-01')).toMatchObject({ state: 'pending_review', foundAt: lifecycle[0].at, confirmedAt: null });
    expect(on('2021-06-02')).toMatchObject({ state: 'rectifying', deadline: '2021-06-10', confirmedAt: lifecycle[1].at });
    // Requested is not granted.
    expect(on('2021-06-05').deadline).toBe('2021-06-10');
    expect(on('2021-06-06').deadline).toBe('2021-06-20');
    expect(on('2021-06-13')).toMatchObject({ state: 'closed', closedAt: lifecycle[5].at, reopened: false });
    // A spot check keeps the day it was closed; a reopening clears it and counts.
    expect(on('2021-06-14').closedAt).toBe(lifecycle[5].at);
    expect(on('2021-06-15')).toMatchObject({ state: 'rectifying', closedAt: null, reopened: true, deadline: '2021-06-18' });
  });

  it('a withdrawn item is returned, not pending review, from the moment it was withdrawn', () => {
    const withdrawn = [ev('2021-06-01', 'SUBMIT', 'pending_review'), ev('2021-06-03', 'WITHDRAW', 'returned')];
    expect(statusAt(withdrawn, endOfChinaDay('2021-06-02')).state).toBe('pending_review');
    expect(statusAt(withdrawn, endOfChinaDay('2021-06-03')).state).toBe('returned');

    const figures = (day: string) => figuresByGroup([history('w', 'g', withdrawn)], day, () => 'g').get('g');
    expect(figures('2021-06-02')).toMatchObject({ found: 1, pendingReview: 1 });
    expect(figures('2021-06-03')).toMatchObject({ found: 1, pendingReview: 0, confirmed: 0, rectifying: 0 });

    // Submitted again: pending review again.
    const resubmitted = [...withdrawn, ev('2021-06-04', 'SUBMIT', 'pending_review')];
    expect(figuresByGroup([history('w', 'g', resubmitted)], '2021-06-04', () => 'g').get('g')).toMatchObject({ found: 1, pendingReview: 1 });
  });

  it('counts overdue as rectifying past the deadline on that day', () => {
    const confirmed = [ev('2021-06-01', 'SUBMIT', 'pending_review'), ev('2021-06-02', 'CONFIRM', 'rectifying', { deadline: '2021-06-10' })];
    const overdueOn = (day: string) => figuresByGroup([history('o', 'g', confirmed)], day, () => 'g').get('g')!.overdue;
    expect(overdueOn('2021-06-10')).toBe(0);
    expect(overdueOn('2021-06-11')).toBe(1);
  });

  it('groups, rates and averages', () => {
    const closedIn4 = [
      ev('2021-06-01', 'SUBMIT', 'pending_review'),
      ev('2021-06-02', 'CONFIRM', 'rectifying'),
      ev('2021-06-04', 'SUBMIT_RECTIFICATION', 'pending_acceptance'),
      ev('2021-06-05', 'ACCEPT', 'closed'),
    ];
    const rectifying = [ev('2021-06-01', 'SUBMIT', 'pending_review'), ev('2021-06-02', 'CONFIRM', 'rectifying', { deadline: '2021-06-30' })];
    const dismissed = [ev('2021-06-01', 'SUBMIT', 'pending_review'), ev('2021-06-02', 'DISMISS', 'dismissed')];
    const draft: HistoryEvent[] = [];
    const byGroup = figuresByGroup(
      [history('a', 'east', closedIn4), history('b', 'east', rectifying), history('c', 'east', dismissed), history('d', 'west', draft)],
      '2021-06-06',
      (h) => h.groupId,
    );
    expect(byGroup.get('east')).toEqual({
      found: 3,
      confirmed: 2,
      pendingReview: 0,
      rectifying: 1,
      pendingAcceptance: 0,
      closed: 1,
      dismissed: 1,
      overdue: 0,
      reopened: 0,
      rectificationRate: 0.5,
      avgDaysToClose: 4,
    });
    // A draft was never found.
    expect(byGroup.get('west')).toEqual(emptyFigures());
  });

  it('finish leaves rates null when nothing was confirmed or closed', () => {
    const f = emptyFigures();
    accumulate(f, statusAt([ev('2021-06-01', 'SUBMIT', 'pending_review')], endOfChinaDay('2021-06-01')), '2021-06-01');
    expect(finish(f)).toMatchObject({ found: 1, pendingReview: 1, rectificationRate: null, avgDaysToClose: null });
  });

  it('period ends: every day, or every Friday and the last day', () => {
    expect(periodEnds('2021-06-01', '2021-06-03', 'day')).toEqual(['2021-06-01', '2021-06-02', '2021-06-03']);
    expect(periodEnds('2021-06-01', '2021-06-15', 'week')).toEqual(['2021-06-04', '2021-06-11', '2021-06-15']);
    expect(periodEnds('2021-06-01', '2021-06-11', 'week')).toEqual(['2021-06-04', '2021-06-11']);
  });

  it('ends half-months on the 15th and the month’s last day, months on the last day (leap February included), and closes on `to`', () => {
    expect(periodEnds('2021-06-01', '2021-07-20', 'half_month')).toEqual(['2021-06-15', '2021-06-30', '2021-07-15', '2021-07-20']);
    expect(periodEnds('2024-02-10', '2024-03-31', 'half_month')).toEqual(['2024-02-15', '2024-02-29', '2024-03-15', '2024-03-31']);
    expect(periodEnds('2021-06-16', '2021-08-31', 'month')).toEqual(['2021-06-30', '2021-07-31', '2021-08-31']);
    expect(periodEnds('2021-06-05', '2021-06-09', 'month')).toEqual(['2021-06-09']);
  });
});
