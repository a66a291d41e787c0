import { defaultSectors, sectorTypeCodes } from './campaign-sectors';
import { GANCHAHE_PRESET, HUOQIU_PRESET, SHENQIU_PRESET } from './presets';

describe('campaign sectors (行业排查)', () => {
  it('a mapped type covers its whole subtree; unmapped types and other departments get nothing', () => {
    const area = SHENQIU_PRESET.problemTypes[1];
    const sectors = [{ problemTypeCode: area.code, departmentIds: ['edu'] }];
    const codes = sectorTypeCodes(SHENQIU_PRESET.problemTypes, sectors, 'edu');
    expect([...codes].sort()).toEqual([area.code, ...(area.children ?? []).map((c) => c.code)].sort());
    expect(sectorTypeCodes(SHENQIU_PRESET.problemTypes, sectors, 'health').size).toBe(0);
  });

  it('several departments may share a type', () => {
    const sectors = [{ problemTypeCode: 'HQ-01', departmentIds: ['housing', 'edu'] }];
    for (const d of ['housing', 'edu']) expect([...sectorTypeCodes(HUOQIU_PRESET.problemTypes, sectors, d)]).toEqual(['HQ-01']);
  });

  it('defaults: a type goes to the departments whose full or short name its 责任单位 lists', () => {
    const tree = [
      { code: 'A', name: '住房', responsibleUnits: ['住建局', '县水利局'] },
      { code: 'B', name: '教育', responsibleUnits: ['教育体育局'] },
      { code: 'C', name: '其他' },
    ];
    const departments = [
      { id: 'housing', name: '县住房和城乡建设局（住建局）' },
      { id: 'water', name: '县水利局' },
      { id: 'edu', name: '县教育体育局（教育局）' },
    ];
    expect(defaultSectors(tree, departments)).toEqual([
      { problemTypeCode: 'A', departmentIds: ['housing', 'water'] },
      { problemTypeCode: 'B', departmentIds: ['edu'] },
    ]);
    // 干汊河's 责任单位 are the township's own stations: no county department matches.
    expect(defaultSectors(GANCHAHE_PRESET.problemTypes, departments)).toEqual([]);
  });
});
