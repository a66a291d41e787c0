import type { CampaignPreset } from './campaign-preset.types';

/**
 * 章贡区 区精扶办字〔2021〕9号: “回头看” 大排查. The two areas are the notice's
 * 工作内容 (一) and (二), matching its two 问题清单 (附件3, 附件4); the sub-items
 * are the checks each area lists. 全面排查 runs 即日起, so it has no start date.
 * 抽查复核 is an inspection window (54 villages) and counts as rectification.
 */
export const ZHANGGONG_PRESET: CampaignPreset = {
  key: 'zhanggong',
  name: '建档立卡脱贫户、边缘易致贫户“两不愁三保障”和防止致贫返贫动态监测帮扶“回头看”大排查行动',
  sourceDocument: '区精扶办字〔2021〕9号',
  county: '章贡区',
  phases: [
    { kind: 'investigation', name: '全面排查', startMonthDay: null, endMonthDay: '04-12' },
    { kind: 'rectification', name: '抽查复核', startMonthDay: '04-13', endMonthDay: '04-22' },
    { kind: 'rectification', name: '集中整改', startMonthDay: '04-23', endMonthDay: '04-30' },
  ],
  problemTypes: [
    {
      code: 'ZG-1',
      name: '“两不愁三保障”“回头看”',
      aliases: ['两不愁三保障', '“两不愁三保障”'],
      description: '对照“两不愁三保障”标准，全面排查建档立卡脱贫户、边缘易致贫户产业、就业、收入及饮水、住房、医保、教育保障等情况。',
      children: [
        { code: 'ZG-1.1', name: '产业就业', description: '是否有产业或就业。' },
        {
          code: 'ZG-1.2',
          name: '收入',
          description: '家庭主要收入来源，是否稳定可持续，是否为疑似收入较低或支出型困难家庭。',
        },
        { code: 'ZG-1.3', name: '饮水', description: '饮用水是否水量充足，无异味和明显杂质。' },
        { code: 'ZG-1.4', name: '住房', description: '住房是否存在裂缝、透风漏雨现象。' },
        {
          code: 'ZG-1.5',
          name: '医保',
          description: '是否代缴（购买）医疗保险，慢性病人是否办理慢性病证明，除防贫保险赔付外，住院自付费用是否高于10%。',
        },
        { code: 'ZG-1.6', name: '教育保障', description: '义务教育阶段学生是否有辍学学生。' },
        {
          code: 'ZG-1.7',
          name: '其他帮扶政策',
          description: '是否有技能技术培训需求，是否有小额贷款意愿，是否参加励志超市积分评比兑换物质，是否存在其他帮扶政策“应享未享”情况。',
        },
      ],
    },
    {
      code: 'ZG-2',
      name: '防止致贫返贫动态监测帮扶“回头看”',
      aliases: ['防止致贫返贫动态监测帮扶'],
      description: '全面梳理相对贫困监测摸排、识别、落实帮扶措施、致贫返贫风险因素消除等过程情况。',
      children: [
        { code: 'ZG-2.1', name: '监测摸排', description: '是否按照10种典型特征开展监测摸排。' },
        { code: 'ZG-2.2', name: '识别程序资料', description: '2020年以来新增对象是否建立识别程序资料。' },
        { code: 'ZG-2.3', name: '比对数据核实', description: '是否对行业主管部门比对数据进行核实。' },
        { code: 'ZG-2.4', name: '识别研判', description: '是否对监测摸排对象、比对信息核实疑似对象开展识别研判。' },
        // Named among the process stages of (二) without a check of its own.
        { code: 'ZG-2.5', name: '落实帮扶措施', description: '监测对象帮扶措施落实情况。' },
        { code: 'ZG-2.6', name: '风险因素消除研判', description: '是否开展致贫返贫风险因素消除研判。' },
        { code: 'ZG-2.7', name: '消除程序资料', description: '已致贫返贫风险因素消除对象是否建立消除程序资料。' },
      ],
    },
  ],
};
