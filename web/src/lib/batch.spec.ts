import dayjs from 'dayjs';
import { ITEM_BATCH_EVENT_TYPES } from '../../../src/items/dto/item-batch-events';
import {
  batchActionsFor,
  batchOutcome,
  batchSpec,
  batchSummary,
  buildBatchRequest,
  CONSOLE_BATCH_ACTIONS,
  inboxAfterBatch,
  isBatchable,
  type BatchRow,
} from './batch';

const row = (id: string, availableActions: string[], extra: Partial<BatchRow> = {}): BatchRow => ({
  id,
  number: Number(id.replace(/\D/g, '')) || 0,
  state: 'pending_review',
  fixedOnSite: false,
  measures: null,
  deadline: null,
  availableActions,
  ...extra,
});

const review = ['CONFIRM', 'RETURN', 'DISMISS'];

describe('batch actions for a selection', () => {
  it('offers only what the service takes in batch', () => {
    for (const a of CONSOLE_BATCH_ACTIONS) expect(ITEM_BATCH_EVENT_TYPES).toContain(a);
  });

  it('offers the actions every selected row offers, forward steps only', () => {
    expect(batchActionsFor([row('a1', review), row('a2', review)])).toEqual(['CONFIRM']);
    expect(batchActionsFor([row('a1', ['ACCEPT', 'REJECT_RECTIFICATION']), row('a2', ['ACCEPT'])])).toEqual(['ACCEPT']);
    expect(batchActionsFor([row('a1', ['SPOT_CHECK_PASS', 'REOPEN'])])).toEqual(['SPOT_CHECK_PASS']);
    // Rows that share no batch action: nothing to offer.
    expect(batchActionsFor([row('a1', review), row('a2', ['ACCEPT'])])).toEqual([]);
    expect(batchActionsFor([])).toEqual([]);
  });

  it('does not mix items fixed on the spot with others in one CONFIRM (their forms differ)', () => {
    expect(batchActionsFor([row('a1', review, { fixedOnSite: true }), row('a2', review)])).toEqual([]);
    expect(batchActionsFor([row('a1', review, { fixedOnSite: true }), row('a2', review, { fixedOnSite: true })])).toEqual(['CONFIRM']);
  });

  it('offers nothing beyond 200 rows', () => {
    const many = Array.from({ length: 201 }, (_, i) => row(`r${i}`, ['ACCEPT']));
    expect(batchActionsFor(many)).toEqual([]);
    expect(batchActionsFor(many.slice(0, 200))).toEqual(['ACCEPT']);
  });

  it("enables a row's checkbox only when it has a batch action", () => {
    expect(isBatchable(row('a1', review))).toBe(true);
    expect(isBatchable(row('a1', ['SUBMIT_RECTIFICATION', 'REQUEST_EXTENSION']))).toBe(false);
    expect(isBatchable(row('a1', ['APPROVE_EXTENSION', 'DENY_EXTENSION']))).toBe(false);
  });
});

describe('the batch form and request', () => {
  it("uses the single action's fields, as a signature, named for the batch", () => {
    const rows = [row('a1', review), row('a2', review)];
    const spec = batchSpec('CONFIRM', rows);
    expect(spec.fields.map((f) => f.name)).toEqual(['measures', 'rectifierId', 'deadline']);
    expect(spec).toMatchObject({ type: 'CONFIRM', label: '批量审核确认', signature: true, okText: '确认签字（2 项）' });
    expect(batchSpec('CONFIRM', [row('a1', review, { fixedOnSite: true })]).fields).toEqual([]);
    expect(batchSpec('ACCEPT', rows).label).toBe('批量验收销号');
    expect(batchSpec('SPOT_CHECK_PASS', rows).label).toBe('批量督查通过');
  });

  it('builds the request from the form values and the rows in table order', () => {
    const rows = [row('a2', review), row('a1', review)];
    const spec = batchSpec('CONFIRM', rows);
    const body = buildBatchRequest(spec, { measures: '  维修屋顶 ', rectifierId: 'u1', deadline: dayjs('2031-05-01'), comment: 'ignored' }, rows);
    expect(body).toEqual({ type: 'CONFIRM', measures: '维修屋顶', rectifierId: 'u1', deadline: '2031-05-01', itemIds: ['a2', 'a1'] });
    expect(buildBatchRequest(batchSpec('ACCEPT', rows), { comment: ' ' }, rows)).toEqual({ type: 'ACCEPT', itemIds: ['a2', 'a1'] });
  });
});

describe('the answer', () => {
  type Item = { id: string; availableActions: string[]; state: string };
  const rows = [row('a1', review), row('a2', review), row('a3', review)];

  it("splits the results into applied items and refused rows with the server's message", () => {
    const applied: Item = { id: 'a1', availableActions: ['ESCALATE', 'MARK_LONG_TERM'], state: 'rectifying' };
    const outcome = batchOutcome<Item>(rows, [
      { itemId: 'a1', status: 200, item: applied },
      { itemId: 'a2', status: 404, error: { code: 'NOT_FOUND', message: '问题不存在' } },
      { itemId: 'a3', status: 409, error: { code: 'TRANSITION_REFUSED', message: '当前状态不能执行该操作' } },
    ]);
    expect(outcome.done).toEqual([applied]);
    expect(outcome.failed).toEqual([
      { itemId: 'a2', number: 2, code: 'NOT_FOUND', message: '问题不存在' },
      { itemId: 'a3', number: 3, code: 'TRANSITION_REFUSED', message: '当前状态不能执行该操作' },
    ]);
    expect(batchSummary('批量审核确认', outcome)).toBe('批量审核确认：1 项已完成（已签字），2 项未完成，原因见各行');
    expect(batchSummary('批量验收销号', { done: [applied], failed: [] })).toBe('批量验收销号：1 项已完成（已签字）');
  });

  it('takes applied rows out of the inbox unless they still wait on me; refused rows stay', () => {
    const inbox: Item[] = [
      { id: 'a1', availableActions: review, state: 'pending_review' },
      { id: 'a2', availableActions: review, state: 'pending_review' },
      { id: 'a3', availableActions: ['ACCEPT'], state: 'pending_acceptance' },
    ];
    const a1 = { id: 'a1', availableActions: ['ESCALATE'], state: 'rectifying' };
    const a3 = { id: 'a3', availableActions: ['SPOT_CHECK_PASS'], state: 'closed' };
    expect(inboxAfterBatch(inbox, [a1, a3])).toEqual([inbox[1], a3]);
  });
});
