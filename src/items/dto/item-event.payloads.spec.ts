import type { ProblemItemContext } from '../../../workflows';
import { ITEM_EVENT_PAYLOADS, itemEventProblems, readItemEventPayload, type ItemEventPayload, type PayloadTarget } from './item-event.payloads';

const TODAY = '2021-06-25';
const fields = (r: { problems: Array<{ field: string }> }) => r.problems.map((p) => p.field);
const item = (state: string, context: Partial<ProblemItemContext> = {}, deadline: string | null = null): PayloadTarget => ({
  state,
  deadline,
  context: { fixedOnSite: false, measures: null, ...context } as ProblemItemContext,
});

describe('item event payloads', () => {
  it('a payload carries only its event’s fields', () => {
    expect(readItemEventPayload({ type: 'RETURN', reason: '补充材料' }, TODAY)).toEqual({ payload: { type: 'RETURN', reason: '补充材料' }, problems: [] });
    const foreign = readItemEventPayload({ type: 'RETURN', reason: '补充材料', plan: '长期' }, TODAY);
    expect(foreign.payload).toBeUndefined();
    expect(foreign.problems).toEqual([{ field: 'plan', message: 'RETURN 不接受字段 长期整改计划（plan）' }]);
  });

  it('names each missing required field in Chinese, blank text counting as missing', () => {
    expect(readItemEventPayload({ type: 'SUBMIT_RECTIFICATION', comment: '  ' }, TODAY).problems).toEqual([
      { field: 'comment', message: '说明不能为空' },
      { field: 'evidence', message: '佐证材料不能为空' },
    ]);
    expect(fields(readItemEventPayload({ type: 'SUBMIT_RECTIFICATION', comment: '已修', evidence: [] }, TODAY))).toEqual(['evidence']);
    expect(fields(readItemEventPayload({ type: 'ESCALATE' }, TODAY))).toEqual(['toOrgUnitId', 'reason']);
  });

  it('dates lie after today', () => {
    const confirm = (deadline: string) => readItemEventPayload({ type: 'CONFIRM', measures: '修', rectifierId: 'u', deadline }, TODAY);
    expect(confirm(TODAY).problems).toEqual([{ field: 'deadline', message: `整改时限必须晚于今天（${TODAY}）` }]);
    expect(confirm('2021-06-26').problems).toEqual([]);
    expect(fields(readItemEventPayload({ type: 'REQUEST_EXTENSION', reason: '雨季', newDeadline: '2021-06-01' }, TODAY))).toEqual(['newDeadline']);
  });

  it('what the item requires: the 四项清单 unless fixed on the spot, a deadline to reopen a closed item, measures for 立行立改', () => {
    const confirm: ItemEventPayload = { type: 'CONFIRM' };
    expect(itemEventProblems(confirm, item('pending_review')).map((p) => p.field)).toEqual(['measures', 'rectifierId', 'deadline']);
    expect(itemEventProblems(confirm, item('pending_review', { fixedOnSite: true }))).toEqual([]);
    expect(itemEventProblems({ type: 'REOPEN', reason: '未整改' }, item('closed')).map((p) => p.field)).toEqual(['deadline']);
    expect(itemEventProblems({ type: 'REOPEN', reason: '重新认定' }, item('dismissed'))).toEqual([]);
    expect(itemEventProblems({ type: 'SUBMIT', fixedOnSite: true }, item('draft')).map((p) => p.field)).toEqual(['measures']);
    expect(itemEventProblems({ type: 'SUBMIT', fixedOnSite: true }, item('draft', { measures: '当场修复' }))).toEqual([]);
    expect(itemEventProblems({ type: 'SUBMIT', fixedOnSite: true, measures: '当场修复' }, item('draft'))).toEqual([]);
  });

  it('an extension must go beyond the current deadline', () => {
    const ask = (newDeadline: string) => itemEventProblems({ type: 'REQUEST_EXTENSION', reason: '雨季', newDeadline }, item('rectifying', {}, '2021-07-01'));
    expect(ask('2021-07-01')).toEqual([{ field: 'newDeadline', message: '申请延长至的整改时限必须晚于当前整改时限（2021-07-01）' }]);
    expect(ask('2021-07-02')).toEqual([]);
  });

  it('covers every event sent through the API', () => {
    expect(Object.keys(ITEM_EVENT_PAYLOADS)).toHaveLength(17);
  });
});
