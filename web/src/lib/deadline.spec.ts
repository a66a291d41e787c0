import { beijingToday, daysBetween, daysOverdue, deadlineStatus, deadlineText } from './deadline';

describe('beijingToday', () => {
  it('rolls over at midnight Beijing time, not UTC', () => {
    expect(beijingToday(new Date('2021-06-24T15:59:59Z'))).toBe('2021-06-24');
    expect(beijingToday(new Date('2021-06-24T16:00:00Z'))).toBe('2021-06-25');
  });
});

describe('daysOverdue', () => {
  const now = new Date('2021-06-25T02:00:00Z'); // 10:00 in Beijing on 6-25

  it('counts whole days past the deadline', () => {
    expect(daysOverdue('2021-06-24', now)).toBe(1);
    expect(daysOverdue('2021-06-15', now)).toBe(10);
    expect(daysOverdue('2021-05-31', now)).toBe(25);
  });

  it('is 0 on the deadline itself, before it, or without one', () => {
    expect(daysOverdue('2021-06-25', now)).toBe(0);
    expect(daysOverdue('2021-07-01', now)).toBe(0);
    expect(daysOverdue(null, now)).toBe(0);
  });

  it('uses the Beijing date late in the UTC day', () => {
    // 2021-06-25T17:00Z is already 6-26 01:00 in Beijing.
    expect(daysOverdue('2021-06-24', new Date('2021-06-25T17:00:00Z'))).toBe(2);
  });
});

describe('daysBetween', () => {
  it('crosses month and leap-year boundaries', () => {
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2021-03-01', '2021-02-28')).toBe(-1);
  });
});

describe('deadlineStatus', () => {
  const now = new Date('2021-06-25T02:00:00Z');

  it('reports overdue days only when the service says overdue', () => {
    expect(deadlineStatus({ deadline: '2021-06-20', overdue: true }, now)).toEqual({ kind: 'overdue', days: 5 });
    expect(deadlineText(deadlineStatus({ deadline: '2021-06-20', overdue: true }, now))).toBe('超期 5 天');
    // A closed item past its old deadline is not overdue.
    expect(deadlineStatus({ deadline: '2021-06-20', overdue: false }, now)).toEqual({ kind: 'none' });
  });

  it('counts the days left', () => {
    expect(deadlineStatus({ deadline: '2021-06-25', overdue: false }, now)).toEqual({ kind: 'today' });
    expect(deadlineText(deadlineStatus({ deadline: '2021-06-28', overdue: false }, now))).toBe('剩余 3 天');
    expect(deadlineText(deadlineStatus({ deadline: null, overdue: false }, now))).toBeNull();
  });
});
