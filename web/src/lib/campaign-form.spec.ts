import {
  countProblemTypes,
  formatPhaseWindow,
  phaseStatuses,
  presetPhaseDates,
  toCreateCampaignPayload,
  toNamePath,
  validateCampaignForm,
  type CampaignFormValues,
} from './campaign-form';

describe('toCreateCampaignPayload', () => {
  it('sends only the preset, title, 文号 and year for a preset plan', () => {
    const v: CampaignFormValues = {
      mode: 'preset',
      preset: 'huoqiu',
      title: '  霍邱县集中排查 ',
      docNumber: '霍扶组〔2021〕5号',
      year: 2021,
      phases: [{ kind: 'summary', name: '残留' }],
      problemTypes: [{ code: 'X', name: '残留' }],
    };
    expect(toCreateCampaignPayload(v)).toEqual({ preset: 'huoqiu', title: '霍邱县集中排查', docNumber: '霍扶组〔2021〕5号', year: 2021 });
  });

  it('leaves the year out when none is given', () => {
    expect(toCreateCampaignPayload({ mode: 'preset', preset: 'shenqiu', title: 'a', docNumber: 'b', year: null })).toEqual({
      preset: 'shenqiu',
      title: 'a',
      docNumber: 'b',
    });
  });

  it('sends phases and problem types of a custom plan without a preset, omitting blank dates', () => {
    const v: CampaignFormValues = {
      mode: 'custom',
      preset: 'huoqiu',
      year: 2022,
      title: '专项',
      docNumber: '文1',
      phases: [
        { kind: 'investigation', name: ' 排查 ', startDate: '2022-03-01', endDate: '2022-03-10' },
        { kind: 'summary', name: '总结', startDate: null, endDate: undefined },
      ],
      problemTypes: [{ code: ' A-1 ', name: ' 住房 ' }],
    };
    expect(toCreateCampaignPayload(v)).toEqual({
      title: '专项',
      docNumber: '文1',
      phases: [
        { kind: 'investigation', name: '排查', startDate: '2022-03-01', endDate: '2022-03-10' },
        { kind: 'summary', name: '总结' },
      ],
      problemTypes: [{ code: 'A-1', name: '住房' }],
    });
  });
});

describe('validateCampaignForm', () => {
  it('accepts a complete preset form', () => {
    expect(validateCampaignForm({ mode: 'preset', preset: 'huoqiu', title: 't', docNumber: 'd', year: 2021 })).toEqual([]);
  });

  it('requires a preset, title and 文号, and a sane year', () => {
    const names = validateCampaignForm({ mode: 'preset', title: ' ', docNumber: '', year: 1999 }).map((e) => e.name.join('.'));
    expect(names).toEqual(['title', 'docNumber', 'preset', 'year']);
  });

  it('points at the row of a custom plan that is wrong', () => {
    const errors = validateCampaignForm({
      mode: 'custom',
      title: 't',
      docNumber: 'd',
      phases: [{ kind: 'investigation', name: '排查', startDate: '2022-03-10', endDate: '2022-03-01' }, { name: '整改' }],
      problemTypes: [
        { code: 'A', name: '一' },
        { code: 'A', name: '二' },
        { code: '中文', name: '三' },
        { code: 'B', name: '' },
      ],
    });
    expect(errors).toEqual([
      { name: ['phases', 0, 'endDate'], message: '结束日期早于开始日期' },
      { name: ['phases', 1, 'kind'], message: '请选择阶段类型' },
      { name: ['problemTypes', 1, 'code'], message: '编码 A 重复' },
      { name: ['problemTypes', 2, 'code'], message: '编码只能由 1–32 位字母、数字、点、横线或下划线组成' },
      { name: ['problemTypes', 3, 'name'], message: '请填写问题类型名称' },
    ]);
  });

  it('needs at least one phase and one problem type', () => {
    const names = validateCampaignForm({ mode: 'custom', title: 't', docNumber: 'd', phases: [], problemTypes: [] }).map((e) => e.name.join('.'));
    expect(names).toEqual(['phases', 'problemTypes']);
  });
});

describe('presetPhaseDates', () => {
  it('puts the windows in the given year', () => {
    const out = presetPhaseDates([{ kind: 'investigation', name: '排查', startMonthDay: '06-10', endMonthDay: '06-15' }], 2021);
    expect(out).toEqual([{ kind: 'investigation', name: '排查', startDate: '2021-06-10', endDate: '2021-06-15' }]);
  });

  it('rolls a window over the year end into the next year, and keeps open ends open', () => {
    const out = presetPhaseDates(
      [
        { kind: 'investigation', name: '排查问题', startMonthDay: '12-01', endMonthDay: '01-01' },
        { kind: 'rectification', name: '整改落实', startMonthDay: '01-11', endMonthDay: '06-30' },
        { kind: 'summary', name: '总结', startMonthDay: null, endMonthDay: null },
      ],
      2019,
    );
    expect(out.map((p) => [p.startDate, p.endDate])).toEqual([
      ['2019-12-01', '2020-01-01'],
      ['2020-01-11', '2020-06-30'],
      [null, null],
    ]);
  });
});

describe('phaseStatuses', () => {
  it('marks earlier phases done and the current one in progress', () => {
    expect(phaseStatuses(4, 2, 'running')).toEqual(['finish', 'finish', 'process', 'wait']);
  });
  it('has nothing in progress for a draft', () => {
    expect(phaseStatuses(3, -1, 'draft')).toEqual(['wait', 'wait', 'wait']);
  });
  it('has every phase done once archived', () => {
    expect(phaseStatuses(2, 1, 'archived')).toEqual(['finish', 'finish']);
  });
});

describe('formatting helpers', () => {
  it('formats a phase window', () => {
    expect(formatPhaseWindow('2021-06-05', '2021-06-09')).toBe('2021年 6/5–6/9');
    expect(formatPhaseWindow('2019-12-01', '2020-01-01')).toBe('2019-12-01–2020-01-01');
    expect(formatPhaseWindow(null, '2021-04-12')).toBe('至 2021-04-12');
    expect(formatPhaseWindow(null, null)).toBe('时间未定');
  });
  it('turns server field paths into form name paths', () => {
    expect(toNamePath('phases.0.endDate')).toEqual(['phases', 0, 'endDate']);
    expect(toNamePath('title')).toEqual(['title']);
  });
  it('counts nested problem types', () => {
    expect(
      countProblemTypes([
        {
          code: 'a',
          name: 'a',
          children: [
            { code: 'b', name: 'b' },
            { code: 'c', name: 'c' },
          ],
        },
        { code: 'd', name: 'd' },
      ]),
    ).toBe(4);
  });
});
