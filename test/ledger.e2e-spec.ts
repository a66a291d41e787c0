import ExcelJS from 'exceljs';
import type { Response } from 'supertest';
import { residentIdCheckChar } from '../src/common/validation/resident-id';
import { createTestApp, TestApp } from './app';
import { bearer, chinaDay, createUser, rectificationCampaign, binaryBody } from './factories';

/**
 * 问题台账 through HTTP on the real app: the 霍邱 layout exported and read
 * back, import all or nothing with errors by row and column, no duplicates on
 * re-import, 身份证号码 masking by role, the template's drop-down, and files
 * that are not ledgers.
 */

const LEDGER_HEADERS = ['乡镇', '行政村', '户主姓名', '身份证号码', '问题类型', '具体问题', '整改措施', '整改责任人', '整改时限', '备注'];
const HQ_TYPES = ['三保障和饮水安全', '产业发展', '脱贫人口就业', '脱贫人口小额信贷', '消费帮扶', '资金项目管理', '防止返贫动态监测', '帮扶工作', '其他'];

const residentId = (body17: string) => body17 + residentIdCheckChar(body17);
const ID_ZHANG = '11010519491231002X';
const ID_LI = residentId('34152219800101123');
const ID_WANG = residentId('34152219750615002');

function text(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((r) => r.text).join('');
  return String(v);
}

interface ReadLedger {
  wb: ExcelJS.Workbook;
  title: string;
  meta: string[];
  header: string[];
  /** Data rows as texts, all columns. */
  rows: string[][];
  /** The lines under the table. */
  footer: string[];
}

async function readLedger(data: Buffer): Promise<ReadLedger> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  const rowTexts = (r: number) => {
    const row = ws.getRow(r);
    return Array.from({ length: row.cellCount }, (_, i) => text(row.getCell(i + 1)));
  };
  const header = rowTexts(3);
  const rows: string[][] = [];
  const footer: string[] = [];
  let r = 4;
  for (; r <= ws.rowCount; r++) {
    const cells = rowTexts(r);
    if (cells.every((c) => c === '')) break;
    rows.push(cells);
  }
  for (; r <= ws.rowCount; r++) {
    const first = text(ws.getRow(r).getCell(1));
    if (first) footer.push(first);
  }
  // Merged cells read as their first cell's value: 乡镇 and 时间 each span half the row.
  return { wb, title: text(ws.getCell('A1')), meta: [...new Set(rowTexts(2).filter(Boolean))], header, rows, footer };
}

/** A ledger file as a cadre would fill it: title, 乡镇/时间, header on row 3, rows from row 4. */
async function ledgerFile(rows: Array<Array<string | Date | number | null>>, headers = LEDGER_HEADERS): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('台账');
  ws.addRow(['霍邱县巩固拓展脱贫攻坚成果集中排查台账']);
  ws.addRow(['乡镇：城关镇', '', '', '', '', '时间：2021年6月']);
  ws.addRow(headers);
  for (const r of rows) ws.addRow(r);
  ws.addRow([]);
  ws.addRow(['填报人：']);
  ws.addRow(['乡镇分管负责人：']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('问题台账 ledger export and import', () => {
  let t: TestApp;
  let campaignA: string;
  let D1: string;
  let D2: string;
  const auth = (u: string) => bearer(t, u);

  const get = async (u: string, path: string): Promise<Response> =>
    t.http
      .get(path)
      .set('authorization', await auth(u))
      .buffer(true)
      .parse(binaryBody);
  const exportOf = async (u: string, campaignId: string, query = ''): Promise<ReadLedger> => {
    const res = await get(u, `/api/campaigns/${campaignId}/ledger.xlsx${query}`);
    expect([res.status, res.headers['content-type'], res.headers['cache-control']]).toEqual([
      200,
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'no-store',
    ]);
    return readLedger(res.body as Buffer);
  };
  const importAs = async (u: string, campaignId: string, data: Buffer, name = '台账.xlsx', query = ''): Promise<Response> =>
    t.http
      .post(`/api/campaigns/${campaignId}/ledger${query}`)
      .set('authorization', await auth(u))
      .attach('file', data, name);
  const itemsOf = async (campaignId: string): Promise<Array<Record<string, any>>> => {
    const res = await t.http.get(`/api/items?campaignId=${campaignId}&limit=200`).set('authorization', await auth('county'));
    expect(res.status).toBe(200);
    return res.body.items;
  };
  const event = async (u: string, id: string, body: object) => {
    const res = await t.http
      .post(`/api/items/${id}/events`)
      .set('authorization', await auth(u))
      .send(body);
    expect([res.status, res.body.code]).toEqual([200, undefined]);
    return res.body;
  };
  const create = async (u: string, campaignId: string, body: object) => {
    const res = await t.http
      .post('/api/items')
      .set('authorization', await auth(u))
      .send({ campaignId, ...body });
    expect(res.status).toBe(201);
    return res.body;
  };

  beforeAll(async () => {
    t = await createTestApp();
    D1 = chinaDay(10);
    D2 = chinaDay(20);
    // A township investigator: may record at 城关镇 and at its villages.
    await createUser(t, { username: 'tcadre', displayName: '周敏（城关镇排查员）', orgUnitId: t.demo.orgUnits.chengguan.id, roles: ['investigator'] });
    campaignA = await rectificationCampaign(t, '集中排查');
    const { datong, qilimiao, chengguan } = t.demo.orgUnits;
    // 1: a household at 大同村, confirmed with the 四项清单.
    const a = await create('tcadre', campaignA, {
      orgUnitId: datong.id,
      problemTypeCode: 'HQ-01',
      description: '住房漏雨，屋顶破损',
      householdName: '张三',
      householdIdNumber: ID_ZHANG,
      remark: '雨季前完成',
    });
    await event('tcadre', a.id, { type: 'SUBMIT' });
    await event('leader', a.id, { type: 'CONFIRM', measures: '维修屋顶，更换瓦片', rectifierId: t.demo.userIds.cadre2, deadline: D1 });
    // 2: a township-level problem, no household.
    const b = await create('tcadre', campaignA, { orgUnitId: chengguan.id, problemTypeCode: 'HQ-06', description: '光伏电站收益分配台账不全' });
    await event('tcadre', b.id, { type: 'SUBMIT' });
    await event('leader', b.id, { type: 'CONFIRM', measures: '补齐收益分配台账', rectifierId: t.demo.userIds.cadre, deadline: D2 });
    // 3: a household at 七里庙村 still in draft, with measures.
    const c = await create('tcadre', campaignA, {
      orgUnitId: qilimiao.id,
      problemTypeCode: 'HQ-04',
      description: '小额信贷户贷企用',
      householdName: '李四',
      householdIdNumber: ID_LI,
    });
    const edited = await t.http
      .patch(`/api/items/${c.id}`)
      .set('authorization', await auth('tcadre'))
      .send({ measures: '收回贷款，重新评估' });
    expect(edited.status).toBe(200);
    // 4: a 河口镇 item, outside 城关镇 users' scope.
    await create('cadre3', campaignA, {
      orgUnitId: t.demo.orgUnits.hekou_a.id,
      problemTypeCode: 'HQ-02',
      description: '产业项目未带贫',
      householdName: '王五',
      householdIdNumber: ID_WANG,
    });
  });
  afterAll(() => t.close());

  it('exports the 霍邱 layout: title, 乡镇/时间, columns with 问题编号 and 状态, 填报人 and 乡镇分管负责人 from the signatures', async () => {
    const ledger = await exportOf('county', campaignA);
    expect(ledger.title).toBe('霍邱县集中排查台账');
    expect(ledger.meta).toEqual([
      '乡镇：全县',
      `时间：${Number(chinaDay(0).slice(0, 4))}年${Number(chinaDay(0).slice(5, 7))}月${Number(chinaDay(0).slice(8, 10))}日`,
    ]);
    expect(ledger.header).toEqual(['问题编号', ...LEDGER_HEADERS, '状态']);
    expect(ledger.rows).toEqual([
      [
        '1',
        '城关镇',
        '大同村',
        '张三',
        ID_ZHANG,
        '三保障和饮水安全',
        '住房漏雨，屋顶破损',
        '维修屋顶，更换瓦片',
        '刘芳（七里庙村）',
        D1,
        '雨季前完成',
        '整改中',
      ],
      ['2', '城关镇', '', '', '', '资金项目管理', '光伏电站收益分配台账不全', '补齐收益分配台账', '张伟（大同村）', D2, '', '整改中'],
      ['3', '城关镇', '七里庙村', '李四', ID_LI, '脱贫人口小额信贷', '小额信贷户贷企用', '收回贷款，重新评估', '', '', '', '草稿'],
      ['4', '河口镇', '河口镇东岗村', '王五', ID_WANG, '产业发展', '产业项目未带贫', '', '', '', '', '草稿'],
    ]);
    expect(ledger.footer).toEqual(['填报人：周敏（城关镇排查员）', '乡镇分管负责人：李明（城关镇分管负责人）']);
    // 整改时限 is a real date cell, not text.
    expect(ledger.wb.worksheets[0].getCell('J4').value).toEqual(new Date(`${D1}T00:00:00Z`));
    expect(ledger.wb.worksheets[0].getCell('J4').numFmt).toBe('yyyy-mm-dd');
    // A hidden sheet names the campaign whose items 问题编号 numbers.
    const info = ledger.wb.getWorksheet('导出信息')!;
    expect([info.state, text(info.getCell('A1')), text(info.getCell('B1'))]).toEqual(['hidden', '专项行动', campaignA]);
  });

  it('applies the item list filters and the caller’s scope', async () => {
    const byState = await exportOf('county', campaignA, '?state=draft');
    expect(byState.rows.map((r) => r[0])).toEqual(['3', '4']);
    const byUnit = await exportOf('county', campaignA, `?orgUnitId=${t.demo.orgUnits.qilimiao.id}`);
    expect([byUnit.meta[0], byUnit.rows.map((r) => r[0])]).toEqual(['乡镇：城关镇 七里庙村', ['3']]);
    const byType = await exportOf('county', campaignA, '?problemType=HQ-06');
    expect(byType.rows.map((r) => r[0])).toEqual(['2']);
    const hekou = await exportOf('leader2', campaignA);
    expect([hekou.meta[0], hekou.rows.map((r) => r[0])]).toEqual(['乡镇：河口镇', ['4']]);
    expect(hekou.footer).toEqual(['填报人：', '乡镇分管负责人：']);
    const bad = await get('county', `/api/campaigns/${campaignA}/ledger.xlsx?state=nonsense`);
    expect(bad.status).toBe(400);
    const elsewhere = await get('county', '/api/campaigns/00000000-0000-4000-8000-000000000000/ledger.xlsx');
    expect(elsewhere.status).toBe(404);
  });

  it('masks 身份证号码 except for the county office, and audits full exports', async () => {
    const leader = await exportOf('leader', campaignA);
    expect(leader.rows.map((r) => r[4])).toEqual(['110105********002X', '', '341522********' + ID_LI.slice(-4)]);
    expect(JSON.stringify(leader.rows)).not.toContain(ID_ZHANG.slice(6, 14));
    const county = await exportOf('county', campaignA);
    expect(county.rows[0][4]).toBe(ID_ZHANG);
    const audit = await t.http.get('/api/audit-events?limit=200').set('authorization', await auth('auditor'));
    const fullExports = audit.body.filter((e: { action: string; subjectId: string }) => e.action === 'ledger.export_full_id' && e.subjectId === campaignA);
    expect(fullExports.length).toBeGreaterThanOrEqual(1);
    const before = fullExports.length;
    await exportOf('leader', campaignA);
    const after = await t.http.get('/api/audit-events?limit=200').set('authorization', await auth('auditor'));
    expect(after.body.filter((e: { action: string; subjectId: string }) => e.action === 'ledger.export_full_id' && e.subjectId === campaignA)).toHaveLength(
      before,
    );
  });

  it('round-trips every column: export, re-import into another campaign, export again', async () => {
    const source = await exportOf('county', campaignA, `?orgUnitId=${t.demo.orgUnits.chengguan.id}`);
    expect(source.rows).toHaveLength(3);
    const campaignB = await rectificationCampaign(t, '集中排查B');
    const file = (await get('county', `/api/campaigns/${campaignA}/ledger.xlsx?orgUnitId=${t.demo.orgUnits.chengguan.id}`)).body as Buffer;

    const res = await importAs('tcadre', campaignB, file, '城关镇台账.xlsx', '?submit=true');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ rows: 3, created: 3, skipped: 0, submitted: true });
    expect(res.body.items.map((i: { row: number; number: number; state: string }) => [i.row, i.number, i.state])).toEqual([
      [4, 1, 'pending_review'],
      [5, 2, 'pending_review'],
      [6, 3, 'pending_review'],
    ]);

    const copy = await exportOf('county', campaignB);
    const ledgerColumns = (rows: string[][]) => rows.map((r) => r.slice(1, 11));
    expect(ledgerColumns(copy.rows)).toEqual(ledgerColumns(source.rows));
    expect(copy.rows.map((r) => r[11])).toEqual(['待审核', '待审核', '待审核']);
    expect(copy.footer).toEqual(['填报人：周敏（城关镇排查员）', '乡镇分管负责人：']);

    // The planned 整改责任人/时限 and the measures are on the items, and each was signed by the importer.
    const items = (await itemsOf(campaignB)).sort((x, y) => x.number - y.number);
    expect(
      items.map((i) => [i.orgUnit.name, i.household?.idNumber ?? null, i.measures, i.plannedRectifierName, i.plannedDeadline, i.investigator.name]),
    ).toEqual([
      ['大同村', ID_ZHANG, '维修屋顶，更换瓦片', '刘芳（七里庙村）', D1, '周敏（城关镇排查员）'],
      ['城关镇', null, '补齐收益分配台账', '张伟（大同村）', D2, '周敏（城关镇排查员）'],
      ['七里庙村', ID_LI, '收回贷款，重新评估', null, null, '周敏（城关镇排查员）'],
    ]);
    const chain = await t.http.get(`/api/items/${items[0].id}/signatures`).set('authorization', await auth('county'));
    expect(chain.body.map((s: { kind: string; signer: { name: string } }) => [s.kind, s.signer.name])).toEqual([['investigation', '周敏（城关镇排查员）']]);
    // The leader reviews an imported item like any other.
    await event('leader', items[0].id, { type: 'CONFIRM', measures: '维修屋顶', rectifierId: t.demo.userIds.cadre2, deadline: D1 });
  });

  it('submits imported rows as a single SUBMIT does: the same signature link (seq 1), a chain that verifies, the same item, the reviewer told', async () => {
    const campaign = await rectificationCampaign(t, '批量提交');
    const file = await ledgerFile([
      ['城关镇', '大同村', '张三', ID_ZHANG, '三保障和饮水安全', '住房漏雨，屋顶破损', '维修屋顶，更换瓦片', '', '', ''],
      ['城关镇', '', '', '', '产业发展', '光伏电站收益分配台账不全', '', '', '', ''],
      ['城关镇', '七里庙村', '李四', ID_LI, '脱贫人口小额信贷', '小额信贷户贷企用', '收回贷款，重新评估', '刘芳', D1, ''],
    ]);
    const res = await importAs('tcadre', campaign, file, '台账.xlsx', '?submit=true');
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { number: number; state: string }) => [i.number, i.state])).toEqual([
      [1, 'pending_review'],
      [2, 'pending_review'],
      [3, 'pending_review'],
    ]);
    const imported: string[] = res.body.items.map((i: { id: string }) => i.id);

    // The same problem as row 1, recorded and submitted one request at a time.
    const single = await create('tcadre', campaign, {
      orgUnitId: t.demo.orgUnits.datong.id,
      problemTypeCode: 'HQ-01',
      description: '住房漏雨，屋顶破损（单条）',
    });
    expect(
      (
        await t.http
          .patch(`/api/items/${single.id}`)
          .set('authorization', await auth('tcadre'))
          .send({ measures: '维修屋顶，更换瓦片' })
      ).status,
    ).toBe(200);
    await event('tcadre', single.id, { type: 'SUBMIT' });

    const linkShape = async (id: string) => {
      const chain = await t.http.get(`/api/items/${id}/signatures`).set('authorization', await auth('county'));
      expect(chain.status).toBe(200);
      return chain.body.map(({ id: _id, hash, signedAt, ...rest }: Record<string, unknown>) => ({ ...rest, hash: typeof hash, signedAt: typeof signedAt }));
    };
    const expected = await linkShape(single.id);
    expect(expected).toEqual([
      expect.objectContaining({ seq: 1, kind: 'investigation', eventType: 'SUBMIT', stateBefore: 'draft', stateAfter: 'pending_review', prevHash: null }),
    ]);
    for (const id of imported) {
      expect(await linkShape(id)).toEqual(expected);
      const verified = await t.http.get(`/api/items/${id}/signatures/verify`).set('authorization', await auth('county'));
      expect(verified.body).toEqual({ valid: true, length: 1, firstBroken: null });
    }

    // The item as the engine left it: same version (created, edited, submitted), projections and actions as the single one.
    const detail = async (id: string) => (await t.http.get(`/api/items/${id}`).set('authorization', await auth('leader'))).body;
    const [first, one] = [await detail(imported[0]), await detail(single.id)];
    const pick = (i: Record<string, unknown>) => [i.version, i.state, i.measures, i.reviewLevel, i.availableActions];
    expect(pick(first)).toEqual(pick(one));

    // SUBMIT's effect: the township leader is told of each imported item, as of the single one.
    const notes = await t.http.get('/api/notifications').set('authorization', await auth('leader'));
    const about = (id: string) => notes.body.filter((n: { itemId: string }) => n.itemId === id).map((n: { kind: string }) => n.kind);
    for (const id of [...imported, single.id]) expect(about(id)).toEqual(['notifyReviewer']);
  });

  it('imports drafts of the importer by default, and a re-import of the same file creates nothing', async () => {
    const campaign = await rectificationCampaign(t, '重复导入');
    const file = await ledgerFile([
      ['城关镇', '大同村', '赵六', ID_LI.toLowerCase(), '“三保障”和饮水安全方面', '饮水不安全', '', '刘芳', '2030/6/25', ''],
      ['城关镇', '七里庙村', '', '', '产业发展方面', '村集体产业无收益', '引进合作社', '', '', '村级问题'],
    ]);
    const first = await importAs('tcadre', campaign, file);
    expect([first.status, first.body.created, first.body.skipped]).toEqual([200, 2, 0]);
    expect(first.body.items.map((i: { state: string }) => i.state)).toEqual(['draft', 'draft']);
    const drafts = (await itemsOf(campaign)).sort((x, y) => x.number - y.number);
    expect(drafts.map((i) => [i.problemType.code, i.household?.idNumber ?? null, i.plannedDeadline, i.plannedRectifierName, i.remark])).toEqual([
      ['HQ-01', ID_LI, '2030-06-25', '刘芳', null],
      ['HQ-02', null, null, null, '村级问题'],
    ]);

    const again = await importAs('tcadre', campaign, file);
    expect([again.status, again.body.created, again.body.skipped, again.body.skippedRows]).toEqual([200, 0, 2, [4, 5]]);
    expect(await itemsOf(campaign)).toHaveLength(2);

    // Only the new row of a grown file is added; a row repeated within a file counts once.
    const grown = await ledgerFile([
      ['城关镇', '大同村', '赵六', ID_LI, '三保障和饮水安全', '饮水不安全', '', '刘芳', '2030-06-25', ''],
      ['城关镇', '七里庙村', '', '', '产业发展', '村集体产业无收益', '', '', '', ''],
      ['城关镇', '', '', '', '帮扶工作', '帮扶责任人走访记录缺失', '', '', '', ''],
      ['城关镇', '', '', '', '帮扶工作', '帮扶责任人走访记录缺失', '', '', '', ''],
    ]);
    const third = await importAs('tcadre', campaign, grown);
    expect([third.status, third.body.created, third.body.skippedRows]).toEqual([200, 1, [4, 5, 7]]);
    expect(await itemsOf(campaign)).toHaveLength(3);
  });

  it('replays a retried import with the same Idempotency-Key, and refuses the key for another file', async () => {
    const campaign = await rectificationCampaign(t, '幂等导入');
    const file = await ledgerFile([['城关镇', '大同村', '', '', '其他', '村内道路破损', '', '', '', '']]);
    const send = async (data: Buffer) =>
      t.http
        .post(`/api/campaigns/${campaign}/ledger`)
        .set('authorization', await auth('tcadre'))
        .set('Idempotency-Key', 'ledger-import-0001')
        .attach('file', data, '台账.xlsx');
    const first = await send(file);
    const retry = await send(file);
    expect([first.status, first.body.created, retry.status]).toEqual([200, 1, 200]);
    expect(retry.body).toEqual(first.body);
    const other = await send(await ledgerFile([['城关镇', '大同村', '', '', '其他', '另一个问题', '', '', '', '']]));
    expect([other.status, other.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    expect(await itemsOf(campaign)).toHaveLength(1);
  });

  it('refuses the whole file when any row is bad, naming each row and column, and writes nothing', async () => {
    const campaign = await rectificationCampaign(t, '错误台账');
    const good = ['城关镇', '大同村', '张三', ID_ZHANG, '其他', '这一行本身没有问题', '', '', '', ''];
    const badId = ID_ZHANG.slice(0, 17) + (ID_ZHANG[17] === '1' ? '2' : '1');
    const file = await ledgerFile([
      good,
      ['城关镇', '大同村', '张三', badId, '其他', '校验位错误', '', '', '', ''],
      ['城关镇', '不存在村', '', '', '其他', '未知行政村', '', '', '', ''],
      ['不存在镇', '', '', '', '其他', '未知乡镇', '', '', '', ''],
      ['城关镇', '', '', '', '不存在的类型', '未知问题类型', '', '', '', ''],
      ['城关镇', '', '', '', '其他', '', '', '', '', ''],
      ['城关镇', '', '', '', '其他', '时限不是日期', '', '', '6月底前', ''],
      ['河口镇', '', '', '', '其他', '不在排查范围', '', '', '', ''],
      [...good.slice(0, 5), '最后一行也没有问题', '', '', '', ''],
    ]);
    const res = await importAs('tcadre', campaign, file);
    expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(res.body.details.map((d: { field: string }) => d.field)).toEqual([
      '第5行·身份证号码',
      '第6行·行政村',
      '第7行·乡镇',
      '第8行·问题类型',
      '第9行·具体问题',
      '第10行·整改时限',
      '第11行·乡镇',
    ]);
    expect(res.body.errors[0]).toEqual({ sheet: '台账', row: 5, column: '身份证号码', message: '身份证号码校验码不正确，请核对' });
    expect(res.body.errors[6].message).toBe('河口镇：不在您的排查范围内');
    expect(res.body.message).toContain('未导入任何问题');
    expect(await itemsOf(campaign)).toHaveLength(0);

    // One bad row among good ones is enough to write nothing.
    const oneBad = await ledgerFile([good, ['城关镇', '大同村', '张三', badId, '其他', '校验位错误', '', '', '', '']]);
    const refused = await importAs('tcadre', campaign, oneBad);
    expect([refused.status, refused.body.details]).toEqual([400, [{ field: '第5行·身份证号码', message: '身份证号码校验码不正确，请核对' }]]);
    expect(await itemsOf(campaign)).toHaveLength(0);
    const fixed = await ledgerFile([good]);
    expect((await importAs('tcadre', campaign, fixed)).body.created).toBe(1);
  });

  it('finds the header by its names, not its position, and reads blank household cells as a village-level problem', async () => {
    const campaign = await rectificationCampaign(t, '表头位置');
    const shuffled = ['备注', '具体问题', '问题类型', '乡镇', '行政村', '整改时限', '整改责任人', '整改措施', '户主姓名', '身份证号'];
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('说明');
    ws.addRow(['这一页不是台账']);
    const sheet = wb.addWorksheet('城关镇');
    sheet.addRow([]);
    sheet.addRow(['', '霍邱县台账']);
    sheet.addRow([]);
    sheet.addRow(['', ...shuffled]);
    sheet.addRow(['', '已通知', '道路未硬化', '其他', '城关镇', '大同村', new Date('2030-07-01T00:00:00Z'), '张伟', '硬化道路', '', '']);
    const res = await importAs('tcadre', campaign, Buffer.from(await wb.xlsx.writeBuffer()));
    expect([res.status, res.body.sheet, res.body.created, res.body.items[0].row]).toEqual([200, '城关镇', 1, 5]);
    const [item] = await itemsOf(campaign);
    expect([item.orgUnit.name, item.description, item.remark, item.measures, item.plannedRectifierName, item.plannedDeadline, item.household]).toEqual([
      '大同村',
      '道路未硬化',
      '已通知',
      '硬化道路',
      '张伟',
      '2030-07-01',
      null,
    ]);
  });

  it('answers files that are not ledgers with a clear 4xx', async () => {
    const csv = await importAs('tcadre', campaignA, Buffer.from('乡镇,行政村\n城关镇,大同村\n'), '台账.csv');
    expect([csv.status, csv.body.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const xls = await importAs('tcadre', campaignA, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0]), '台账.xls');
    expect([xls.status, xls.body.message]).toEqual([415, '这是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 后再导入']);
    const garbage = await importAs('tcadre', campaignA, Buffer.from('this is not a spreadsheet at all'), '台账.xlsx');
    expect([garbage.status, garbage.body.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const brokenZip = await importAs('tcadre', campaignA, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 7)]), '台账.xlsx');
    expect([brokenZip.status, brokenZip.body.code]).toEqual([422, 'UNPROCESSABLE']);
    const noHeader = await ledgerFile(
      [['城关镇', '', '', '', '其他', '缺少身份证号码列']],
      ['乡镇', '行政村', '户主姓名', '身份证', '问题类型', '具体问题', '整改措施', '整改责任人', '整改时限', '备注'],
    );
    const missing = await importAs('tcadre', campaignA, noHeader);
    expect([missing.status, missing.body.code]).toEqual([422, 'UNPROCESSABLE']);
    expect(missing.body.message).toContain('缺少：身份证号码');
    const hidden = await ledgerFile([
      ['城关镇', '', '', '', '其他', '签名行之上', '', '', '', ''],
      ['填报人：周敏'],
      ['城关镇', '', '', '', '其他', '签名行之下', '', '', '', ''],
    ]);
    const underFooter = await importAs('tcadre', campaignA, hidden);
    expect([underFooter.status, underFooter.body.details]).toEqual([422, [{ field: '第6行', message: expect.stringContaining('第5行的签名行') }]]);
    const empty = await importAs('tcadre', campaignA, await ledgerFile([]));
    expect([empty.status, empty.body.code]).toEqual([422, 'UNPROCESSABLE']);
    const noFile = await t.http
      .post(`/api/campaigns/${campaignA}/ledger`)
      .set('authorization', await auth('tcadre'))
      .send({});
    expect([noFile.status, noFile.body.details[0].field]).toEqual([400, 'file']);
    // Inspectors, administrators and auditors record nothing.
    for (const u of ['inspector', 'admin', 'auditor']) expect((await importAs(u, campaignA, await ledgerFile([]))).status).toBe(403);
  });

  it('serves a template with the campaign’s problem types as a drop-down, which imports once filled', async () => {
    const res = await get('cadre', `/api/campaigns/${campaignA}/ledger-template.xlsx`);
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('问题台账')!;
    expect(text(ws.getCell('A1'))).toBe('霍邱县集中排查台账');
    expect(LEDGER_HEADERS.map((_, i) => text(ws.getRow(3).getCell(i + 1)))).toEqual(LEDGER_HEADERS);
    const types = wb.getWorksheet('问题类型')!;
    expect(types.state).toBe('hidden');
    expect(HQ_TYPES.map((_, i) => text(types.getCell(i + 1, 1)))).toEqual(HQ_TYPES);
    for (const address of ['E4', 'E500']) {
      expect(ws.getCell(address).dataValidation).toMatchObject({ type: 'list', formulae: [`'问题类型'!$A$1:$A$${HQ_TYPES.length}`] });
    }
    expect(ws.getCell('F4').dataValidation).toBeUndefined();

    // Filled in as a cadre would: the first blank row, the type picked from the list.
    const campaign = await rectificationCampaign(t, '模板导入');
    ws.getRow(4).values = ['城关镇', '七里庙村', '李四', ID_LI, HQ_TYPES[6], '监测户未及时纳入', '', '', '', ''];
    const filled = Buffer.from(await wb.xlsx.writeBuffer());
    const imported = await importAs('cadre2', campaign, filled, '模板.xlsx', '?submit=true');
    expect([imported.status, imported.body.created, imported.body.items[0].state]).toEqual([200, 1, 'pending_review']);
  });
});

describe('问题台账 import size limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ LEDGER_IMPORT_MAX_MB: '1' });
  });
  afterAll(() => t.close());

  it('answers 413 beyond LEDGER_IMPORT_MAX_MB and writes nothing', async () => {
    const campaign = await rectificationCampaign(t);
    const big = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(1024 * 1024 + 10, 1)]);
    const res = await t.http
      .post(`/api/campaigns/${campaign}/ledger`)
      .set('authorization', await bearer(t, 'cadre'))
      .attach('file', big, '台账.xlsx');
    expect([res.status, res.body.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    const list = await t.http.get(`/api/items?campaignId=${campaign}`).set('authorization', await bearer(t, 'county'));
    expect(list.body.items).toHaveLength(0);
  });
});
