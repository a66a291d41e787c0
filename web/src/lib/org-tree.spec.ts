import { buildOrgTree, orgUnitPath, parentCandidates, type FlatOrgUnit } from './org-tree';

const units: FlatOrgUnit[] = [
  { id: 'c', parentId: null, kind: 'county', name: '霍邱县' },
  { id: 'g', parentId: 'c', kind: 'supervision_group', name: '第一督查组' },
  { id: 'd', parentId: 'c', kind: 'department', name: '住建局' },
  { id: 't1', parentId: 'c', kind: 'township', name: '城关镇' },
  { id: 'v1', parentId: 't1', kind: 'village', name: '大同村' },
  { id: 'v2', parentId: 't1', kind: 'village', name: '七里庙村' },
  { id: 't2', parentId: 'c', kind: 'township', name: '河口镇' },
  { id: 'v3', parentId: 't2', kind: 'village', name: '东岗村' },
];

describe('buildOrgTree', () => {
  it('nests units under their parents, townships before departments and groups', () => {
    const [county, ...rest] = buildOrgTree(units);
    expect(rest).toEqual([]);
    expect(county.unit.name).toBe('霍邱县');
    expect(county.children.map((n) => n.unit.name)).toEqual(['城关镇', '河口镇', '住建局', '第一督查组']);
    expect(county.children[0].children.map((n) => n.key)).toEqual(['v1', 'v2']);
    expect(county.children[1].children.map((n) => n.key)).toEqual(['v3']);
  });

  it('makes units whose parent is not listed into roots', () => {
    const scoped = units.filter((u) => u.id === 't1' || u.id === 'v1' || u.id === 'v2');
    const roots = buildOrgTree(scoped);
    expect(roots.map((n) => n.key)).toEqual(['t1']);
    expect(roots[0].children).toHaveLength(2);
  });

  it('orders siblings of a kind by 区划代码, uncoded ones after in list order', () => {
    const list: FlatOrgUnit[] = [
      { id: 'c', parentId: null, kind: 'county', name: '霍邱县', code: '341522' },
      { id: 'z', parentId: 'c', kind: 'township', name: '周集镇', code: '341522102000' },
      { id: 'n2', parentId: 'c', kind: 'township', name: '新店镇', code: null },
      { id: 'cg', parentId: 'c', kind: 'township', name: '城关镇', code: '341522100000' },
      { id: 'n1', parentId: 'c', kind: 'township', name: '冯井镇' },
      { id: 'hk', parentId: 'c', kind: 'township', name: '河口镇', code: '341522101000' },
    ];
    expect(buildOrgTree(list)[0].children.map((n) => n.key)).toEqual(['cg', 'hk', 'z', 'n2', 'n1']);
  });

  it('returns nothing for no units', () => {
    expect(buildOrgTree([])).toEqual([]);
  });
});

describe('parentCandidates', () => {
  it('offers townships for a village and the county for the others', () => {
    expect(parentCandidates(units, 'village').map((u) => u.id)).toEqual(['t1', 't2']);
    expect(parentCandidates(units, 'department').map((u) => u.id)).toEqual(['c']);
    expect(parentCandidates(units, 'supervision_group').map((u) => u.id)).toEqual(['c']);
  });
});

describe('orgUnitPath', () => {
  it('names a unit with its township, without the county', () => {
    expect(orgUnitPath(units, 'v2')).toBe('城关镇 / 七里庙村');
    expect(orgUnitPath(units, 'd')).toBe('住建局');
    expect(orgUnitPath(units, 'missing')).toBe('');
  });
});
