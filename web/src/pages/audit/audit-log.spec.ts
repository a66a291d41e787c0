import { auditQuery, beforeForTo, chinaDate, nextBefore, type AuditEvent } from './audit-log';

const ev = (id: string, action: string, actorId: string | null, createdAt: string): AuditEvent => ({
  id,
  action,
  actorId,
  createdAt,
  subjectType: 'user',
  subjectId: null,
  details: {},
  requestId: null,
});

const events = [
  ev('1', 'user.create', 'aaaa-1111', '2021-06-10T17:00:00.000Z'), // 2021-06-11 in China
  ev('2', 'item.view_full_id', 'bbbb-2222', '2021-06-10T15:00:00.000Z'), // 2021-06-10 23:00 in China
  ev('3', 'user.create', null, '2021-06-09T01:00:00.000Z'),
];

describe('auditQuery', () => {
  it('sends the filters to the server, China dates as instants, `to` inclusive', () => {
    expect(auditQuery({}, 200)).toEqual({ limit: 200 });
    expect(auditQuery({ action: 'item.', actorId: 'u1', from: '2021-06-10', to: '2021-06-10' }, 50)).toEqual({
      limit: 50,
      action: 'item.',
      actorId: 'u1',
      from: '2021-06-09T16:00:00.000Z',
      before: '2021-06-10T16:00:00.000Z',
    });
    expect(auditQuery({ to: '2021-06-10' }, 50, '2021-06-01T00:00:00.000Z').before).toBe('2021-06-01T00:00:00.000Z');
  });
});

describe('dates', () => {
  it('reads instants in China time', () => {
    expect(chinaDate('2021-06-10T16:00:00.000Z')).toBe('2021-06-11');
    expect(chinaDate('2021-06-10T15:59:59.000Z')).toBe('2021-06-10');
  });
  it('pages from the end of the `to` day in China', () => {
    expect(beforeForTo('2021-06-10')).toBe('2021-06-10T16:00:00.000Z');
  });
});

describe('nextBefore', () => {
  it('pages back from the oldest event only after a full page', () => {
    expect(nextBefore(events, 3)).toBe(events[2].createdAt);
    expect(nextBefore(events, 4)).toBeUndefined();
  });
});
