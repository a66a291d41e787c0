import type { Schemas } from '../api/client';
import { itemResponse } from './item-response.fixture';
import {
  findProblemType,
  itemToFormValues,
  recordingClosedReason,
  onlyOrgUnit,
  orgUnitTree,
  outboxLabel,
  placeServerErrors,
  problemTypeTree,
  limitedProblemTypeTree,
  sectorTypeCodes,
  toCreateBody,
  toSubmitEvent,
  toUpdateBody,
  type ItemFormValues,
} from './item-form';

const unit = (
  id: string,
  kind: Schemas['OrgUnitResponse']['kind'],
  parentId: string | null,
  name: string,
  code: string | null = null,
): Schemas['OrgUnitResponse'] => ({
  id,
  kind,
  parentId,
  name,
  code,
  countyId: 'county',
  kindLabel: kind,
});

const filled: ItemFormValues = {
  campaignId: 'c1',
  orgUnitId: 'v1',
  problemTypeCode: 'HQ-01',
  householdName: ' 张三 ',
  householdIdNumber: ' 11010519491231002x ',
  description: '  住房漏雨 ',
  remark: '',
  fixedOnSite: false,
};

function item(over: Partial<Schemas['ItemResponse']> = {}): Schemas['ItemResponse'] {
  return itemResponse({
    household: { name: '张三', idNumber: '110105********002X', idNumberMasked: true },
    state: 'draft',
    stateLabel: '草稿',
    ...over,
  });
}

describe('登记问题 form → API', () => {
  it('builds the create body with trimmed text, a normalized ID number and no blank optional fields', () => {
    expect(toCreateBody(filled)).toEqual({
      campaignId: 'c1',
      orgUnitId: 'v1',
      problemTypeCode: 'HQ-01',
      description: '住房漏雨',
      householdName: '张三',
      householdIdNumber: '11010519491231002X',
    });
    expect(toCreateBody({ ...filled, householdName: '  ', householdIdNumber: '', remark: ' 已走访 ' })).toEqual({
      campaignId: 'c1',
      orgUnitId: 'v1',
      problemTypeCode: 'HQ-01',
      description: '住房漏雨',
      remark: '已走访',
    });
  });

  it('never puts measures or fixedOnSite into the create body (the API refuses unknown fields)', () => {
    const body = toCreateBody({ ...filled, fixedOnSite: true, measures: '当场修补' });
    expect(body).not.toHaveProperty('measures');
    expect(body).not.toHaveProperty('fixedOnSite');
  });

  it('keeps the ID number on record when editing unless it is retyped or removed', () => {
    expect(toUpdateBody({ ...filled, householdIdNumber: '' })).not.toHaveProperty('householdIdNumber');
    expect(toUpdateBody({ ...filled, householdIdNumber: '', clearIdNumber: true }).householdIdNumber).toBeNull();
    expect(toUpdateBody(filled).householdIdNumber).toBe('11010519491231002X');
  });

  it('sends cleared text fields as empty strings when editing, and measures only for 立行立改', () => {
    const body = toUpdateBody({ ...filled, householdName: ' ', remark: undefined, measures: '当场修补' });
    expect(body).toMatchObject({ householdName: '', remark: '', description: '住房漏雨', problemTypeCode: 'HQ-01' });
    expect(body).not.toHaveProperty('measures');
    expect(toUpdateBody({ ...filled, fixedOnSite: true, measures: ' 当场修补 ' }).measures).toBe('当场修补');
    expect(body).not.toHaveProperty('campaignId');
    expect(body).not.toHaveProperty('orgUnitId');
  });

  it('signs a plain SUBMIT, or a 立行立改 SUBMIT with what was done', () => {
    expect(toSubmitEvent(filled)).toEqual({ type: 'SUBMIT' });
    expect(toSubmitEvent({ ...filled, fixedOnSite: true, measures: ' 已当场修补屋顶 ' })).toEqual({
      type: 'SUBMIT',
      fixedOnSite: true,
      measures: '已当场修补屋顶',
    });
  });

  it('labels the queued job with household and a shortened description', () => {
    expect(outboxLabel(filled)).toBe('登记问题：张三 住房漏雨');
    expect(outboxLabel({ description: '一二三四五六七八九十一二三四五六七八九十一二三' })).toBe('登记问题：一二三四五六七八九十一二三四五六七八九十…');
  });
});

describe('editing an item', () => {
  it('starts with an empty ID field when the API only gave the masked number', () => {
    const v = itemToFormValues(item());
    expect(v.householdIdNumber).toBeUndefined();
    expect(v).toMatchObject({ campaignId: 'c1', orgUnitId: 'v1', problemTypeCode: 'HQ-01', householdName: '张三', fixedOnSite: false });
  });

  it('keeps a full number and turns the investigator’s own measures into 立行立改', () => {
    const v = itemToFormValues(item({ household: { name: '张三', idNumber: '11010519491231002X', idNumberMasked: false }, measures: '当场修补' }));
    expect(v.householdIdNumber).toBe('11010519491231002X');
    expect(v.fixedOnSite).toBe(true);
    expect(v.measures).toBe('当场修补');
  });
});

describe('pickers', () => {
  const scope = [
    unit('county', 'county', null, '霍邱县', '341522'),
    unit('t2', 'township', 'county', '河口镇', '341522101000'),
    unit('t1', 'township', 'county', '城关镇', '341522100000'),
    unit('v2', 'village', 't1', '七里庙村'),
    unit('v1', 'village', 't1', '大同村'),
    unit('d1', 'department', 'county', '住建局'),
    unit('d2', 'department', 'county', '教育局'),
    unit('g1', 'supervision_group', 'county', '第一督查组'),
  ];

  it('lists townships with their villages, and only the user’s own department', () => {
    const tree = orgUnitTree(scope, 'd1');
    expect(tree.map((n) => n.title)).toEqual(['城关镇', '河口镇', '住建局']);
    expect(tree[0].children?.map((n) => n.title)).toEqual(['大同村', '七里庙村']); // pinyin order
    expect(JSON.stringify(tree)).not.toContain('教育局');
    expect(JSON.stringify(tree)).not.toContain('督查组');
    expect(JSON.stringify(tree)).not.toContain('霍邱县');
  });

  it('preselects the one village of a village cadre, and nothing when there is a choice', () => {
    const cadre = orgUnitTree([unit('v1', 'village', 't1', '大同村')], 'v1');
    expect(cadre).toEqual([{ value: 'v1', title: '大同村', selectable: true }]);
    expect(onlyOrgUnit(cadre)).toBe('v1');
    expect(onlyOrgUnit(orgUnitTree(scope, 'd1'))).toBeUndefined();
  });

  it('turns the taxonomy into a tree of codes', () => {
    const tree = problemTypeTree([
      { code: 'SQ-1', name: '“三保障”方面', children: [{ code: 'SQ-1.1', name: '义务教育' }] },
      { code: 'SQ-2', name: '产业发展' },
    ]);
    expect(tree).toEqual([
      { value: 'SQ-1', title: '“三保障”方面', selectable: true, children: [{ value: 'SQ-1.1', title: '义务教育', selectable: true }] },
      { value: 'SQ-2', title: '产业发展', selectable: true },
    ]);
  });
});

describe('行业排查: a department records its own sector for households', () => {
  const types = [
    {
      code: 'A',
      name: '三保障',
      children: [
        { code: 'A.1', name: '住房' },
        { code: 'A.2', name: '教育' },
      ],
    },
    { code: 'B', name: '产业发展' },
  ];
  const dept = { orgUnitId: 'housing', orgUnitKind: 'department' };

  it('limits a department at a village or township to the types mapped to it and their subtrees; nobody else', () => {
    const sectors = [{ problemTypeCode: 'A', departmentIds: ['housing', 'edu'] }];
    expect([...(sectorTypeCodes(types, sectors, dept, 'village') ?? [])]).toEqual(['A', 'A.1', 'A.2']);
    expect(sectorTypeCodes(types, sectors, { orgUnitId: 'water', orgUnitKind: 'department' }, 'township')?.size).toBe(0);
    expect(sectorTypeCodes(types, sectors, dept, 'department')).toBeNull();
    expect(sectorTypeCodes(types, sectors, { orgUnitId: 'datong', orgUnitKind: 'village' }, 'village')).toBeNull();
  });

  it('shows the sector only: a parent outside it stays as a disabled node over its sector children', () => {
    const tree = limitedProblemTypeTree(types, new Set(['A.1']));
    expect(tree).toEqual([{ value: 'A', title: '三保障', selectable: false, disabled: true, children: [{ value: 'A.1', title: '住房', selectable: true }] }]);
    expect(limitedProblemTypeTree(types, null)).toEqual(problemTypeTree(types));
  });
});

describe('whether the campaign takes new items', () => {
  const phase = (kind: string, name: string) => ({ kind, name });
  it('takes them in the 排查, 整改 and 提升 phases only', () => {
    expect(recordingClosedReason({ state: 'running', currentPhase: phase('investigation', '实地排查') })).toBeNull();
    expect(recordingClosedReason({ state: 'running', currentPhase: phase('improvement', '巩固提升') })).toBeNull();
    expect(recordingClosedReason({ state: 'running', currentPhase: phase('mobilization', '动员培训') })).toContain('动员培训');
    expect(recordingClosedReason({ state: 'running', currentPhase: phase('summary', '工作总结') })).toContain('不能登记');
    expect(recordingClosedReason({ state: 'archived', currentPhase: null })).toContain('已归档');
    expect(recordingClosedReason({ state: 'draft', currentPhase: null })).toContain('尚未启动');
  });

  it('finds a problem type at any depth', () => {
    const types = [{ code: 'SQ-1', name: '三保障', children: [{ code: 'SQ-1.2', name: '基本医疗' }] }];
    expect(findProblemType(types, 'SQ-1.2')?.name).toBe('基本医疗');
    expect(findProblemType(types, 'SQ-9')).toBeUndefined();
  });
});

describe('server field errors', () => {
  it('puts each error beside its field in Chinese and keeps the rest apart', () => {
    const { fields, other } = placeServerErrors([
      { field: 'householdIdNumber', message: 'householdIdNumber：身份证号码校验位不正确' },
      { field: 'description', message: 'description不能为空' },
      { field: 'orgUnitId', message: 'orgUnitId 不在您的排查范围内' },
      { field: 'foo', message: '不允许的字段：foo' },
    ]);
    expect(fields).toEqual([
      { name: 'householdIdNumber', errors: ['身份证号码校验位不正确'] },
      { name: 'description', errors: ['具体问题不能为空'] },
      { name: 'orgUnitId', errors: ['所在村（乡镇、部门） 不在您的排查范围内'] },
    ]);
    expect(other).toEqual(['不允许的字段：foo']);
  });
});
