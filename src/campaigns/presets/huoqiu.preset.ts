import type { CampaignPreset } from './campaign-preset.types';

/**
 * 霍邱县 霍扶组〔2021〕5号: one-month 集中排查. Types and descriptions follow the
 * notice's 排查主要内容; aliases are the spellings of the attached 问题台账 (…方面)
 * and of the notice's headings (…情况).
 */
export const HUOQIU_PRESET: CampaignPreset = {
  key: 'huoqiu',
  name: '巩固拓展脱贫攻坚成果集中排查',
  sourceDocument: '霍扶组〔2021〕5号',
  county: '霍邱县',
  phases: [
    { kind: 'mobilization', name: '动员培训', startMonthDay: '06-05', endMonthDay: '06-09' },
    { kind: 'investigation', name: '实地排查', startMonthDay: '06-10', endMonthDay: '06-15' },
    { kind: 'rectification', name: '问题整改及动态管理', startMonthDay: '06-16', endMonthDay: '06-25' },
    { kind: 'summary', name: '工作总结', startMonthDay: '06-26', endMonthDay: '06-28' },
  ],
  problemTypes: [
    {
      code: 'HQ-01',
      name: '三保障和饮水安全',
      aliases: ['“三保障”和饮水安全方面', '“三保障”和饮水安全情况', '“三保障”和饮水安全', '三保障和饮水安全方面'],
      description:
        '脱贫人口和边缘易致贫人口的义务教育、基本医疗、住房安全和饮水安全是否有保障，今年以来发现“三保障”和饮水安全问题是否做到动态清零，控辍保学、防止因病返贫致贫风险、脱贫人口住房安全动态监测、农村供水工程长效管理四项机制是否健全。',
    },
    {
      code: 'HQ-02',
      name: '产业发展',
      aliases: ['产业发展方面', '产业发展情况'],
      description:
        '脱贫人口和监测对象的产业发展项目是否增产增收，各类经营主体、产业帮扶基地、就业帮扶车间等是否落实带贫减贫措施，利益联结机制是否健全，带动链是否稳定。光伏扶贫电站运维管理是否到位高效、综合利用是否开展全面、收益分配是否精准合规。',
    },
    {
      code: 'HQ-03',
      name: '脱贫人口就业',
      aliases: ['脱贫人口就业方面', '脱贫人口就业情况'],
      description:
        '有劳动能力和就业意愿的脱贫人口和边缘易致贫人口是否实现稳岗就业，务工就业属性状态、就业地点等数据信息是否真实、准确，乡村公益岗位开发和管理是否规范有序，薪酬待遇、补助资金等发放是否及时，各类经营主体、产业帮扶基地、就业帮扶车间是否优先吸纳脱贫人口和边缘易致贫人口就业。',
    },
    {
      code: 'HQ-04',
      name: '脱贫人口小额信贷',
      aliases: ['脱贫人口小额信贷方面', '脱贫人口小额信贷情况'],
      description: '符合贷款条件、有发展生产意愿的脱贫人口和边缘易致贫人口是否做到应贷尽贷，贷款用途是否符合规定，是否存在“户贷企用”或变相“户贷企用”等问题。',
    },
    {
      code: 'HQ-05',
      name: '消费帮扶',
      aliases: ['消费帮扶方面', '消费帮扶情况'],
      description:
        '消费帮扶重点产品认定证管理是否规范开展，经营主体带贫措施、“三专一平台”特别是专柜建设和运营管理等是否落实，脱贫户和边缘易致贫户的农产品是否存在滞销现象。',
    },
    {
      code: 'HQ-06',
      name: '资金项目管理',
      aliases: ['资金项目管理方面', '资金项目管理情况'],
      description: '2021 年财政衔接推进乡村振兴补助资金使用是否合规，项目实施是否规范，扶贫项目资产管理是否规范有效。',
    },
    {
      code: 'HQ-07',
      name: '防止返贫动态监测',
      aliases: ['防止返贫动态监测方面', '防止返贫动态监测情况'],
      description:
        '乡村基层干部、驻村工作队、帮扶责任人和联系人是否开展跟踪走访，脱贫不稳定户和边缘易致贫户的实际困难是否及时解决，脱贫不稳定户和边缘易致贫户台账资料是否规范齐全。',
    },
    {
      code: 'HQ-08',
      name: '帮扶工作',
      aliases: ['帮扶工作方面', '帮扶工作情况'],
      description:
        '脱贫户帮扶责任人和边缘易致贫户帮扶联系人是否安排到位，帮扶人、联系人是否定期持续进行走访帮扶，帮扶政策和措施是否精准落实，定点帮扶单位是否持续加强支持和帮扶，驻村帮扶工作是否持续推进。',
    },
    {
      // The notice's 排查主要内容 has no ninth item; the ledger lists 其他方面.
      code: 'HQ-09',
      name: '其他',
      aliases: ['其他方面'],
    },
  ],
};
