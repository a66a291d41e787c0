import dayjs from 'dayjs';
import { actionSpec, buildPayload, dateProblem, isInboxActionable, missingFields, visibleActions } from './item-actions';

const pending = { state: 'pending_review', fixedOnSite: false, measures: null, deadline: null };

describe('visibleActions', () => {
  it('orders forward steps first and drops unknown names', () => {
    expect(visibleActions(['RETURN', 'DISMISS', 'CONFIRM', 'SOMETHING_NEW'])).toEqual(['CONFIRM', 'RETURN', 'DISMISS']);
    expect(visibleActions(['DISCARD', 'EDIT', 'SUBMIT'])).toEqual(['SUBMIT', 'EDIT', 'DISCARD']);
    expect(visibleActions([])).toEqual([]);
  });
});

describe('actionSpec', () => {
  it('CONFIRM asks for the four-item list, but nothing for a fixed-on-site item', () => {
    const normal = actionSpec('CONFIRM', pending);
    expect(normal.fields.map((f) => [f.name, f.required])).toEqual([
      ['measures', true],
      ['rectifierId', true],
      ['deadline', true],
    ]);
    expect(actionSpec('CONFIRM', { ...pending, fixedOnSite: true }).fields).toEqual([]);
    expect(normal).toMatchObject({ label: '审核确认', signature: true, primary: true, danger: false });
  });

  it('REOPEN needs a new deadline only for a closed item', () => {
    const closed = actionSpec('REOPEN', { ...pending, state: 'closed' });
    expect(closed.fields.filter((f) => f.required).map((f) => f.name)).toEqual(['reason', 'deadline']);
    const dismissed = actionSpec('REOPEN', { ...pending, state: 'dismissed' });
    expect(dismissed.fields.map((f) => f.name)).toEqual(['reason']);
    expect(closed.danger).toBe(true);
  });

  it('marks signatures, unsigned steps and the offline action', () => {
    expect(actionSpec('ACCEPT', pending)).toMatchObject({ signature: true, okText: '确认签字' });
    expect(actionSpec('SPOT_CHECK_PASS', pending).signature).toBe(true);
    expect(actionSpec('REPORT_PROGRESS', pending).signature).toBe(false);
    expect(actionSpec('WITHDRAW', pending)).toMatchObject({ signature: false, fields: [] });
    expect(actionSpec('DISCARD', pending)).toMatchObject({ signature: false, danger: true, okText: '确认作废' });
    expect(actionSpec('SUBMIT_RECTIFICATION', pending)).toMatchObject({ offline: true, signature: true });
    expect(actionSpec('ACCEPT', pending).offline).toBe(false);
    expect(actionSpec('EDIT', pending).route?.('abc')).toBe('/items/abc/edit');
    expect(actionSpec('CONFIRM', pending).doneText).toBe('已审核确认（已签字）');
    expect(actionSpec('WITHDRAW', pending).doneText).toBe('已撤回');
  });

  it('shows the pending extension request to the one deciding it', () => {
    const item = { ...pending, state: 'rectifying', deadline: '2021-06-30', extension: { requestedDeadline: '2021-07-15', reason: '雨季无法施工' } };
    expect(actionSpec('APPROVE_EXTENSION', item).note).toBe('申请由 2021-06-30 延至 2021-07-15，理由：雨季无法施工');
    expect(actionSpec('DENY_EXTENSION', item).note).toContain('雨季无法施工');
  });

  it('requires what the service requires', () => {
    const req = (t: Parameters<typeof actionSpec>[0]) =>
      actionSpec(t, pending)
        .fields.filter((f) => f.required)
        .map((f) => f.name);
    expect(req('RETURN')).toEqual(['reason']);
    expect(req('DENY_EXTENSION')).toEqual(['reason']);
    expect(req('APPROVE_EXTENSION')).toEqual([]);
    expect(req('SUBMIT_RECTIFICATION')).toEqual(['comment', 'evidence']);
    expect(req('REQUEST_EXTENSION')).toEqual(['reason', 'newDeadline']);
    expect(req('ESCALATE')).toEqual(['toOrgUnitId', 'reason']);
    expect(req('MARK_LONG_TERM')).toEqual(['plan']);
    expect(req('REPORT_PROGRESS')).toEqual(['comment']);
    expect(req('REJECT_RECTIFICATION')).toEqual(['reason']);
  });
});

describe('missingFields', () => {
  it('treats whitespace as blank and empty photo lists as missing', () => {
    const spec = actionSpec('SUBMIT_RECTIFICATION', pending);
    expect(missingFields(spec, { comment: '   ', evidence: [] })).toEqual(['comment', 'evidence']);
    expect(missingFields(spec, { comment: '已修缮', evidence: [{}] })).toEqual([]);
  });

  it('SUBMIT needs measures only when fixed on the spot and the draft has none', () => {
    const draft = { state: 'draft', fixedOnSite: false, measures: null };
    expect(missingFields(actionSpec('SUBMIT', draft), { fixedOnSite: false })).toEqual([]);
    expect(missingFields(actionSpec('SUBMIT', draft), { fixedOnSite: true })).toEqual(['measures']);
    expect(missingFields(actionSpec('SUBMIT', { ...draft, measures: '已修好屋顶' }), { fixedOnSite: true })).toEqual([]);
  });
});

describe('buildPayload', () => {
  it('formats dates, trims text and drops empty optionals', () => {
    const spec = actionSpec('ESCALATE', pending);
    const body = buildPayload(spec, {
      toOrgUnitId: 'dept-1',
      reason: '  镇村无力解决  ',
      rectifierId: undefined,
      deadline: dayjs('2021-07-15T10:00:00'),
      comment: 'not a field of ESCALATE',
    });
    expect(body).toEqual({ type: 'ESCALATE', toOrgUnitId: 'dept-1', reason: '镇村无力解决', deadline: '2021-07-15' });
  });

  it('leaves the photos to the outbox', () => {
    const body = buildPayload(actionSpec('SUBMIT_RECTIFICATION', pending), { comment: '完成', evidence: [{ name: 'a.jpg' }] });
    expect(body).toEqual({ type: 'SUBMIT_RECTIFICATION', comment: '完成' });
  });

  it('sends no fields for a fixed-on-site CONFIRM', () => {
    const spec = actionSpec('CONFIRM', { ...pending, fixedOnSite: true });
    expect(buildPayload(spec, { measures: 'x', deadline: dayjs('2030-01-01') })).toEqual({ type: 'CONFIRM' });
  });

  it('sends SUBMIT measures only with 立行立改', () => {
    const spec = actionSpec('SUBMIT', { state: 'draft', fixedOnSite: false });
    expect(buildPayload(spec, { fixedOnSite: false, measures: '已修' })).toEqual({ type: 'SUBMIT', fixedOnSite: false });
    expect(buildPayload(spec, { fixedOnSite: true, measures: ' 已修 ' })).toEqual({ type: 'SUBMIT', fixedOnSite: true, measures: '已修' });
  });
});

describe('dateProblem', () => {
  const spec = actionSpec('REQUEST_EXTENSION', { ...pending, state: 'rectifying', deadline: '2021-07-01' });
  const newDeadline = spec.fields.find((f) => f.name === 'newDeadline')!;

  it('wants a date after today and, for an extension, after the current deadline', () => {
    expect(dateProblem(newDeadline, '2021-06-25', '2021-06-25', '2021-07-01')).toBe('申请延至必须晚于今天');
    expect(dateProblem(newDeadline, '2021-07-01', '2021-06-25', '2021-07-01')).toBe('申请延至必须晚于当前整改时限（2021-07-01）');
    expect(dateProblem(newDeadline, '2021-07-02', '2021-06-25', '2021-07-01')).toBeNull();
  });
});

describe('isInboxActionable', () => {
  it('keeps items waiting on me, not ones I could merely escalate or note progress on', () => {
    expect(isInboxActionable(['CONFIRM', 'RETURN', 'DISMISS'])).toBe(true);
    expect(isInboxActionable(['ESCALATE', 'MARK_LONG_TERM'])).toBe(false);
    expect(isInboxActionable(['REPORT_PROGRESS', 'SUBMIT_RECTIFICATION'])).toBe(true);
    expect(isInboxActionable(['EDIT'])).toBe(false);
    expect(isInboxActionable([])).toBe(false);
  });
});
