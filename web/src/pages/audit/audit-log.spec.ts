import { auditActionLabel, beforeForTo, chinaDate, filterAuditEvents, mayHaveOlder, type AuditEvent } from './audit-log';

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

describe('filterAuditEvents', () => {
  it('filters by action and actor id prefix', () => {
    expect(filterAuditEvents(events, { action: 'user.create' }).map((e) => e.id)).toEqual(['1', '3']);
    expect(filterAuditEvents(events, { actor: ' BBBB' }).map((e) => e.id)).toEqual(['2']);
  });
  it('filters by China calendar dates, both ends inclusive', () => {
    expect(filterAuditEvents(events, { from: '2021-06-10', to: '2021-06-10' }).map((e) => e.id)).toEqual(['2']);
    expect(filterAuditEvents(events, { from: '2021-06-11' }).map((e) => e.id)).toEqual(['1']);
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

describe('mayHaveOlder', () => {
  it('stops at a short page or once past `from`', () => {
    expect(mayHaveOlder(events, 3)).toBe(true);
    expect(mayHaveOlder(events, 4)).toBe(false);
    expect(mayHaveOlder(events, 3, '2021-06-10')).toBe(false);
    expect(mayHaveOlder(events, 3, '2021-06-09')).toBe(true);
  });
});

it('labels known actions and leaves others as they are', () => {
  expect(auditActionLabel('user.reset_password')).toBe('重置密码');
  expect(auditActionLabel('x.y')).toBe('x.y');
});
