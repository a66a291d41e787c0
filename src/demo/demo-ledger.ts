import type { AttachmentsService } from '../attachments/attachments.service';
import type { AuthUser } from '../auth/auth-user';
import type { CampaignsService } from '../campaigns/campaigns.service';
import { DAY_MS, type Clock } from '../common/clock';
import type { IdempotentRequest } from '../idempotency/idempotency.service';
import type { ItemEventPayload } from '../items/dto/item-event.payloads';
import type { ItemWriteService } from '../items/item-write.service';
import type { DemoCounty } from './demo-seed.service';

export interface DemoLedgerDeps {
  campaigns: CampaignsService;
  items: ItemWriteService;
  attachments: AttachmentsService;
  clock: Clock;
  user: (username: string) => Promise<AuthUser>;
}

const NO_KEY: IdempotentRequest = { key: undefined, method: 'POST', route: 'demo', body: null };

/** A one-page PDF stand-in for a photo of the finished work. */
const EVIDENCE_PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

/**
 * The 霍邱 campaign in its rectification phase with a dozen items spread over
 * the lifecycle, written through the real services with the clock set back
 * three weeks, so signatures carry a plausible history and some deadlines
 * have passed (overdue) by the time the service starts.
 */
export async function seedDemoLedger(demo: DemoCounty, deps: DemoLedgerDeps): Promise<void> {
  const { clock } = deps;
  const u = deps.user;
  const day = (n: number) => new Date(clock.now().getTime() + n * DAY_MS).toISOString().slice(0, 10);
  clock.travel(-21 * DAY_MS);
  try {
    const county = await u('county');
    const campaign = await deps.campaigns.create(
      county,
      {
        preset: 'huoqiu',
        title: '霍邱县巩固拓展脱贫攻坚成果集中排查',
        docNumber: '霍扶组〔2021〕5号',
        // 行业排查: the notice has the “三保障”和饮水安全 departments check their own sector (education, health, housing, water).
        sectors: [{ problemTypeCode: 'HQ-01', departmentIds: ['zhujian', 'jiaoyu', 'weijian', 'shuili'].map((k) => demo.orgUnits[k].id) }],
      },
      NO_KEY,
    );
    await deps.campaigns.advance(county, campaign.id, { comment: '召开动员培训会议' }, NO_KEY);
    clock.travel(2 * DAY_MS);
    await deps.campaigns.advance(county, campaign.id, { comment: '开始实地排查' }, NO_KEY);

    const evidence = async (who: AuthUser) =>
      (await deps.attachments.upload(who, { originalname: '整改照片.pdf', buffer: EVIDENCE_PDF, size: EVIDENCE_PDF.length })).id;
    const event = (who: AuthUser, id: string, dto: ItemEventPayload) => deps.items.applyEvent(who, id, dto, NO_KEY);
    const record = async (who: string, village: string, type: string, description: string, household?: [string, string]) => {
      const item = await deps.items.create(
        await u(who),
        {
          campaignId: campaign.id,
          orgUnitId: demo.orgUnits[village].id,
          problemTypeCode: type,
          description,
          ...(household ? { householdName: household[0], householdIdNumber: household[1] } : {}),
        },
        NO_KEY,
      );
      return item.id;
    };

    const [cadre, cadre2, cadre3, leader, leader2, inspector, dept] = await Promise.all(
      ['cadre', 'cadre2', 'cadre3', 'leader', 'leader2', 'inspector', 'dept'].map(u),
    );

    clock.travel(1 * DAY_MS); // day -18: 实地排查
    await record('cadre', 'datong', 'HQ-08', '帮扶责任人近两个月未入户走访，走访记录缺失');
    const pending = await record('cadre', 'datong', 'HQ-07', '边缘易致贫户收入骤减，尚未纳入监测', ['李秀英', '341522196505120027']);
    await event(cadre, pending, { type: 'SUBMIT' });
    const returned = await record('cadre2', 'qilimiao', 'HQ-03', '公益岗位人员在岗情况不清');
    await event(cadre2, returned, { type: 'SUBMIT' });
    await event(leader, returned, { type: 'RETURN', reason: '请写明涉及的岗位和人员姓名' });

    const overdue = await record('cadre', 'datong', 'HQ-01', '危房改造后屋顶漏雨，存在住房安全隐患', ['王德福', '341522195803150019']);
    await event(cadre, overdue, { type: 'SUBMIT' });
    await event(leader, overdue, { type: 'CONFIRM', measures: '联系住建部门鉴定并维修屋面', rectifierId: cadre.id, deadline: day(5) });

    const longRun = await record('cadre2', 'qilimiao', 'HQ-02', '村集体光伏电站收益分配未公示');
    await event(cadre2, longRun, { type: 'SUBMIT' });
    await event(leader, longRun, { type: 'CONFIRM', measures: '制定收益分配方案并张榜公示', rectifierId: cadre2.id, deadline: day(30) });

    const awaiting = await record('cadre', 'datong', 'HQ-04', '脱贫户有贷款意愿但未获小额信贷', ['陈桂兰', '341522197109230042']);
    await event(cadre, awaiting, { type: 'SUBMIT' });
    await event(leader, awaiting, { type: 'CONFIRM', measures: '协调农商行入户评级授信', rectifierId: cadre.id, deadline: day(25) });

    const onSpot = await record('cadre2', 'qilimiao', 'HQ-01', '饮水设施水龙头损坏', ['刘长青', '341522196211070036']);
    await event(cadre2, onSpot, { type: 'SUBMIT', fixedOnSite: true, measures: '当场更换水龙头，恢复供水' });
    await event(leader, onSpot, { type: 'CONFIRM' });

    const checked = await record('cadre', 'datong', 'HQ-05', '脱贫户农产品滞销');
    await event(cadre, checked, { type: 'SUBMIT' });
    await event(leader, checked, { type: 'CONFIRM', measures: '对接消费帮扶专柜代销', rectifierId: cadre.id, deadline: day(10) });

    const reopened = await record('cadre', 'datong', 'HQ-06', '村级扶贫项目资产未登记入账');
    await event(cadre, reopened, { type: 'SUBMIT' });
    await event(leader, reopened, { type: 'CONFIRM', measures: '完成资产确权登记并建立台账', rectifierId: cadre.id, deadline: day(10) });

    const dismissed = await record('cadre2', 'qilimiao', 'HQ-09', '村民反映道路照明不足');
    await event(cadre2, dismissed, { type: 'SUBMIT' });
    await event(leader, dismissed, { type: 'DISMISS', reason: '不属于本次集中排查范围，转村级议事解决' });

    const hekouPending = await record('cadre3', 'hekou_a', 'HQ-07', '监测户风险消除材料不全');
    await event(cadre3, hekouPending, { type: 'SUBMIT' });
    const extension = await record('cadre3', 'hekou_a', 'HQ-01', '适龄儿童辍学，劝返未果', ['周玉梅', '341522198802140023']);
    await event(cadre3, extension, { type: 'SUBMIT' });
    await event(leader2, extension, { type: 'CONFIRM', measures: '联合学校、教育部门入户劝返', rectifierId: cadre3.id, deadline: day(12) });

    const escalated = await record('cadre', 'datong', 'HQ-01', 'C级危房，农户无力自行改造', ['赵大山', '341522195001010014']);
    await event(cadre, escalated, { type: 'SUBMIT' });
    await event(leader, escalated, { type: 'CONFIRM', measures: '申请危房改造补助', rectifierId: cadre.id, deadline: day(20) });

    clock.travel(7 * DAY_MS); // day -11: 问题整改及动态管理
    await deps.campaigns.advance(county, campaign.id, { comment: '转入问题整改及动态管理阶段' }, NO_KEY);
    await event(cadre, awaiting, { type: 'SUBMIT_RECTIFICATION', comment: '已完成授信，贷款 3 万元已发放', evidence: [await evidence(cadre)] });
    await event(leader, onSpot, { type: 'ACCEPT', comment: '现场核实已修复' });
    await event(cadre, checked, { type: 'SUBMIT_RECTIFICATION', comment: '已通过专柜售出', evidence: [await evidence(cadre)] });
    await event(leader, checked, { type: 'ACCEPT' });
    await event(cadre, reopened, { type: 'SUBMIT_RECTIFICATION', comment: '已登记', evidence: [await evidence(cadre)] });
    await event(leader, reopened, { type: 'ACCEPT' });
    await event(cadre3, extension, { type: 'REQUEST_EXTENSION', reason: '学生在外省务工的父母处，需协调当地', newDeadline: day(30) });
    await event(leader, escalated, { type: 'ESCALATE', toOrgUnitId: demo.orgUnits.zhujian.id, reason: '改造资金镇村无力解决', rectifierId: dept.id });

    clock.travel(4 * DAY_MS); // day -7: 抽查复核
    await event(inspector, checked, { type: 'SPOT_CHECK_PASS', comment: '入户核实属实' });
    await event(inspector, reopened, { type: 'REOPEN', reason: '台账与实物不符，两处资产漏登', deadline: day(14) });
  } finally {
    clock.reset();
  }
}
