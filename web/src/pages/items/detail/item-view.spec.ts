import { itemResponse } from '../../../lib/item-response.fixture';
import { chainVerdict, checklist, payloadLines } from './item-view';

const item = itemResponse;

describe('四项清单', () => {
  it('shows the ledger plan as 计划 until the reviewer confirms', () => {
    const c = checklist(item({ plannedRectifierName: '王五', plannedDeadline: '2024-07-01', measures: null }));
    expect(c.problem).toBe('住房漏雨');
    expect(c.rectifier).toEqual({ value: '王五', planned: true });
    expect(c.deadline).toEqual({ value: '2024-07-01', planned: true });
    expect(c.measures).toEqual({ value: null, planned: false });
  });

  it('marks the investigator’s measures as 计划 before review', () => {
    expect(checklist(item({ state: 'draft', measures: '当场修补' })).measures).toEqual({ value: '当场修补', planned: true });
    expect(checklist(item({ state: 'pending_review', fixedOnSite: true, measures: '当场修补' })).measures.planned).toBe(false);
  });

  it('shows the confirmed values, not the plan, once reviewed', () => {
    const c = checklist(
      item({
        state: 'rectifying',
        measures: '修缮屋顶',
        rectifier: { id: 'u2', name: '孙丽' },
        responsibleOrgUnit: { id: 'd1', kind: 'department', name: '住建局' },
        deadline: '2024-06-30',
        plannedRectifierName: '王五',
        plannedDeadline: '2024-07-01',
      }),
    );
    expect(c.measures).toEqual({ value: '修缮屋顶', planned: false });
    expect(c.rectifier).toEqual({ value: '孙丽（住建局）', planned: false });
    expect(c.deadline).toEqual({ value: '2024-06-30', planned: false });
  });
});

describe('签字链校验', () => {
  it('reports an intact chain with its length', () => {
    expect(chainVerdict({ valid: true, length: 5, firstBroken: null })).toEqual({ ok: true, text: expect.stringContaining('签字链完整') });
  });

  it('names the first broken link and why', () => {
    const v = chainVerdict({ valid: false, length: 5, firstBroken: { seq: 3, signatureId: 's3', reason: 'prev_hash_mismatch' } });
    expect(v.ok).toBe(false);
    expect(v.text).toBe('签字链在第 3 个环节断开：与上一环节的哈希不衔接');
  });

  it('says when links are missing from the end, or the state does not match the chain', () => {
    expect(chainVerdict({ valid: false, length: 2, firstBroken: { seq: 3, signatureId: 's2', reason: 'head_mismatch' } }).text).toBe(
      '签字链在第 3 个环节处缺失：签字链比问题记录的链头短，末尾的签字可能被删除',
    );
    expect(chainVerdict({ valid: false, length: 0, firstBroken: { seq: 0, signatureId: null, reason: 'state_mismatch' } }).text).toBe(
      '签字链与问题状态不符：问题当前状态与最后一个签字不符，状态可能被改动',
    );
  });
});

describe('signed payload', () => {
  it('lists what the signer decided, with names resolved where known', () => {
    expect(payloadLines({ measures: '修缮屋顶', rectifierId: 'u2', deadline: '2024-06-30' }, { rectifier: '孙丽' })).toEqual([
      ['整改措施', '修缮屋顶'],
      ['整改责任人', '孙丽'],
      ['整改时限', '2024-06-30'],
    ]);
    expect(payloadLines({ reason: '  ', fixedOnSite: true })).toEqual([['立行立改', '是']]);
  });
});
