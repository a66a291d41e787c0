import { CAMPAIGN_PRESETS, findPreset, flattenProblemTypes, matchProblemType, type CampaignPreset, type PhaseKind } from './index';

function presetOrFail(key: string): CampaignPreset {
  const preset = findPreset(key);
  if (!preset) throw new Error(`preset ${key} missing`);
  return preset;
}

const MONTH_DAY = /^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

describe('campaign presets', () => {
  it('ships the four seed plans, found by key', () => {
    expect(CAMPAIGN_PRESETS.map((p) => p.key)).toEqual(['huoqiu', 'shenqiu', 'zhanggong', 'ganchahe']);
    expect(findPreset('huoqiu')?.sourceDocument).toBe('霍扶组〔2021〕5号');
    expect(findPreset('nowhere')).toBeUndefined();
  });

  describe.each(CAMPAIGN_PRESETS.map((p) => [p.key, p] as const))('%s', (_key, preset) => {
    it('has codes unique within the preset', () => {
      const codes = flattenProblemTypes(preset.problemTypes).map((f) => f.code);
      expect(new Set(codes).size).toBe(codes.length);
    });

    it('has non-empty names, and month-days that are MM-DD or null', () => {
      for (const flat of flattenProblemTypes(preset.problemTypes)) expect(flat.name.trim()).not.toBe('');
      for (const phase of preset.phases) {
        expect(phase.name.trim()).not.toBe('');
        for (const md of [phase.startMonthDay, phase.endMonthDay]) if (md !== null) expect(md).toMatch(MONTH_DAY);
      }
    });

    it('is frozen, so no caller can change the shipped defaults', () => {
      expect(() => {
        (preset.problemTypes as unknown[]).push({});
      }).toThrow(TypeError);
      expect(Object.isFrozen(preset.phases[0])).toBe(true);
    });

    it('gives no alias that matches another type', () => {
      for (const flat of flattenProblemTypes(preset.problemTypes)) {
        for (const alias of flat.node.aliases ?? []) {
          expect(matchProblemType(preset.problemTypes, alias)?.code).toBe(flat.code);
        }
      }
    });
  });

  describe('霍邱', () => {
    const preset = presetOrFail('huoqiu');

    it('has the four phases in order with their date windows', () => {
      expect(preset.phases).toEqual([
        { kind: 'mobilization', name: '动员培训', startMonthDay: '06-05', endMonthDay: '06-09' },
        { kind: 'investigation', name: '实地排查', startMonthDay: '06-10', endMonthDay: '06-15' },
        { kind: 'rectification', name: '问题整改及动态管理', startMonthDay: '06-16', endMonthDay: '06-25' },
        { kind: 'summary', name: '工作总结', startMonthDay: '06-26', endMonthDay: '06-28' },
      ]);
    });

    it('has the nine flat problem types of the ledger', () => {
      expect(preset.problemTypes.map((t) => t.name)).toEqual([
        '三保障和饮水安全',
        '产业发展',
        '脱贫人口就业',
        '脱贫人口小额信贷',
        '消费帮扶',
        '资金项目管理',
        '防止返贫动态监测',
        '帮扶工作',
        '其他',
      ]);
      expect(preset.problemTypes.every((t) => !t.children)).toBe(true);
      expect(preset.problemTypes.slice(0, 8).every((t) => (t.description ?? '') !== '')).toBe(true);
    });

    it('matches the ledger spellings (…方面) to the types', () => {
      const ledgerSpellings = [
        '“三保障”和饮水安全方面',
        '产业发展方面',
        '脱贫人口就业方面',
        '脱贫人口小额信贷方面',
        '消费帮扶方面',
        '资金项目管理方面',
        '防止返贫动态监测方面',
        '帮扶工作方面',
        '其他方面',
      ];
      expect(ledgerSpellings.map((s) => matchProblemType(preset.problemTypes, s)?.code)).toEqual(preset.problemTypes.map((t) => t.code));
      expect(matchProblemType(preset.problemTypes, ' "三保障"和饮水安全方面 ')?.code).toBe('HQ-01');
      expect(matchProblemType(preset.problemTypes, 'HQ-05')?.name).toBe('消费帮扶');
      expect(matchProblemType(preset.problemTypes, '教育')).toBeUndefined();
      expect(matchProblemType(preset.problemTypes, '  ')).toBeUndefined();
    });
  });

  describe('沈丘', () => {
    const preset = presetOrFail('shenqiu');

    it('has 排查 → 集中整改 → 提升', () => {
      expect(preset.phases.map((p) => [p.kind, p.name, p.startMonthDay, p.endMonthDay])).toEqual([
        ['investigation', '排查', '09-15', '09-25'],
        ['rectification', '集中整改', '09-26', '10-15'],
        ['improvement', '提升', '10-16', '12-31'],
      ]);
    });

    it('has the four areas with 5, 5, 7 and 5 numbered sub-items', () => {
      expect(preset.problemTypes.map((a) => [a.name, a.children?.length])).toEqual([
        ['责任落实', 5],
        ['政策落实', 5],
        ['工作落实', 7],
        ['巩固成效', 5],
      ]);
      expect(preset.problemTypes[1].children?.map((c) => c.name)).toEqual(['教育扶持政策', '健康扶持政策', '住房安全政策', '饮水安全政策', '社会保障相关政策']);
    });

    it('numbers sub-items SQ-<area>.<item> as the document does', () => {
      preset.problemTypes.forEach((areaNode, a) => {
        expect(areaNode.code).toBe(`SQ-${a + 1}`);
        areaNode.children!.forEach((item, i) => expect(item.code).toBe(`SQ-${a + 1}.${i + 1}`));
      });
    });
  });

  describe('章贡', () => {
    const preset = presetOrFail('zhanggong');

    it('has 全面排查 → 抽查复核 → 集中整改, the first open-started (即日起)', () => {
      expect(preset.phases.map((p) => [p.kind, p.name, p.startMonthDay, p.endMonthDay])).toEqual([
        ['investigation', '全面排查', null, '04-12'],
        ['rectification', '抽查复核', '04-13', '04-22'],
        ['rectification', '集中整改', '04-23', '04-30'],
      ]);
    });

    it('has the two 回头看 areas of its two problem lists', () => {
      expect(preset.problemTypes.map((a) => a.code)).toEqual(['ZG-1', 'ZG-2']);
      expect(preset.problemTypes.every((a) => (a.children?.length ?? 0) > 0)).toBe(true);
    });
  });

  describe('干汊河', () => {
    const preset = presetOrFail('ganchahe');
    const flat = flattenProblemTypes(preset.problemTypes);
    const leaves = flat.filter((f) => f.isLeaf);

    it('has 排查问题 → 整改落实', () => {
      expect(preset.phases.map((p) => [p.kind, p.name, p.startMonthDay, p.endMonthDay])).toEqual([
        ['investigation', '排查问题', '12-01', '01-01'],
        ['rectification', '整改落实', '01-11', '06-30'],
      ]);
    });

    it('has 34 numbered items in nine areas, numbered 1 … 34 in order', () => {
      expect(preset.problemTypes).toHaveLength(9);
      expect(preset.problemTypes.map((a) => a.children?.length)).toEqual([4, 4, 3, 4, 4, 8, 2, 2, 3]);
      expect(leaves).toHaveLength(34);
      expect(leaves.map((l) => l.code)).toEqual(Array.from({ length: 34 }, (_, i) => `GCH-${String(i + 1).padStart(2, '0')}`));
      expect(leaves.every((l) => l.depth === 1)).toBe(true);
    });

    it('gives every item the 责任单位 of its area, non-empty and without repeats', () => {
      for (const leaf of leaves) {
        const units = leaf.node.responsibleUnits ?? [];
        expect(units.length).toBeGreaterThan(0);
        expect(new Set(units).size).toBe(units.length);
        const areaNode = preset.problemTypes.find((a) => a.code === leaf.parentCode);
        expect(units).toEqual(areaNode?.responsibleUnits);
      }
      expect(flat.find((f) => f.code === 'GCH-01')?.node.responsibleUnits).toEqual(['干汊河中心校', '舒城县中医院干汊河分院', '集镇办', '水利站', '各村']);
      expect(flat.find((f) => f.code === 'GCH-34')?.node.responsibleUnits).toEqual(['扶贫工作站']);
    });
  });

  it('keeps phase kinds in lifecycle order in every plan', () => {
    const order: PhaseKind[] = ['mobilization', 'investigation', 'rectification', 'improvement', 'summary'];
    for (const preset of CAMPAIGN_PRESETS) {
      const ranks = preset.phases.map((p) => order.indexOf(p.kind));
      expect(ranks.every((r) => r >= 0)).toBe(true);
      expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    }
  });
});

describe('flattenProblemTypes', () => {
  it('returns inner nodes before their children, with paths from the root', () => {
    const flat = flattenProblemTypes([
      { code: 'A', name: '甲', children: [{ code: 'A.1', name: '甲一', children: [{ code: 'A.1.1', name: '甲一一' }] }] },
      { code: 'B', name: '乙', children: [] },
    ]);
    expect(flat.map((f) => [f.code, f.path, f.codePath, f.depth, f.parentCode, f.isLeaf])).toEqual([
      ['A', ['甲'], ['A'], 0, null, false],
      ['A.1', ['甲', '甲一'], ['A', 'A.1'], 1, 'A', false],
      ['A.1.1', ['甲', '甲一', '甲一一'], ['A', 'A.1', 'A.1.1'], 2, 'A.1', true],
      ['B', ['乙'], ['B'], 0, null, true],
    ]);
  });
});
