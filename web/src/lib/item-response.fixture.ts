import type { Schemas } from '../api/client';

/** An item as the API answers it, for the console's unit specs; `over` changes what a spec is about. */
export function itemResponse(over: Partial<Schemas['ItemResponse']> = {}): Schemas['ItemResponse'] {
  return {
    id: 'i1',
    number: 3,
    campaignId: 'c1',
    orgUnit: { id: 'v1', kind: 'village', name: '大同村' },
    township: { id: 't1', kind: 'township', name: '城关镇' },
    problemType: { code: 'HQ-01', name: '三保障和饮水安全' },
    description: '住房漏雨',
    household: null,
    remark: null,
    state: 'pending_review',
    stateLabel: '待审核',
    reviewLevel: 'township',
    measures: null,
    rectifier: null,
    responsibleOrgUnit: null,
    deadline: null,
    plannedDeadline: null,
    plannedRectifierName: null,
    overdue: false,
    fixedOnSite: false,
    extension: null,
    reopenCount: 0,
    inspected: false,
    longTerm: false,
    longTermPlan: null,
    investigator: { id: 'u1', name: '张伟' },
    workflow: { id: 'problem-item', version: 1 },
    version: 1,
    createdAt: '2024-06-01T00:00:00Z',
    updatedAt: '2024-06-01T00:00:00Z',
    closedAt: null,
    ...over,
  };
}
