import ExcelJS from 'exceljs';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Response } from 'supertest';
import { createTestApp, TestApp } from './app';
import { bearer, rectificationCampaign, binaryBody } from './factories';

/**
 * 问题台账 as townships really fill the 霍邱 template, written by another
 * program (openpyxl, test/fixtures/township-ledgers.py, which also writes
 * expected.json): each ledger of the corpus is imported on real PostgreSQL and
 * must create exactly the items the script says, match the rows it says, or
 * refuse with the errors it says. Then who may import (乡镇干部 for every village
 * of the township, the township leader and the county office on their behalf,
 * a village cadre for their village only), and re-importing the service's own
 * export.
 */

const CORPUS = resolve(__dirname, 'fixtures/ledgers');

interface ExpectedItem {
  sheet: string | null;
  row: number;
  unit: string;
  household: string | null;
  idNumber: string | null;
  problemType: string;
  description: string;
  measures: string | null;
  rectifier: string | null;
  deadline: string | null;
  remark: string | null;
}

interface ExpectedLedger {
  importer: string;
  submit: boolean;
  items: ExpectedItem[];
  matched: Array<{ row: number; number: number; edited: boolean }>;
  errors: Array<{ sheet: string; row: number; column: string }> | null;
  before: string | null;
}

const expected: Record<string, ExpectedLedger> = JSON.parse(readFileSync(resolve(CORPUS, 'expected.json'), 'utf8'));
const ledgerFiles = readdirSync(CORPUS)
  .filter((f) => f.endsWith('.xlsx'))
  .sort();

describe('问题台账 corpus: ledgers as townships fill them', () => {
  let t: TestApp;
  const auth = (u: string) => bearer(t, u);

  const importAs = async (u: string, campaignId: string, data: Buffer, submit = false): Promise<Response> =>
    t.http
      .post(`/api/campaigns/${campaignId}/ledger${submit ? '?submit=true' : ''}`)
      .set('authorization', await auth(u))
      .attach('file', data, '台账.xlsx');
  const itemsOf = async (campaignId: string): Promise<Array<Record<string, any>>> => {
    const res = await t.http.get(`/api/items?campaignId=${campaignId}&limit=200`).set('authorization', await auth('county'));
    expect(res.status).toBe(200);
    return (res.body.items as Array<Record<string, any>>).sort((a, b) => a.number - b.number);
  };
  const corpusFile = (name: string) => readFileSync(resolve(CORPUS, name));
  const asExpected = (i: Record<string, any>): Omit<ExpectedItem, 'sheet' | 'row'> => ({
    unit: i.orgUnit.name,
    household: i.household?.name ?? null,
    idNumber: i.household?.idNumber ?? null,
    problemType: i.problemType.code,
    description: i.description,
    measures: i.measures,
    rectifier: i.plannedRectifierName,
    deadline: i.plannedDeadline,
    remark: i.remark,
  });

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('holds at least ten ledgers, each described in expected.json', () => {
    expect(ledgerFiles.length).toBeGreaterThanOrEqual(10);
    expect(Object.keys(expected).sort()).toEqual(ledgerFiles);
  });

  it.each(ledgerFiles)('imports %s as the script says, and nothing else', async (name) => {
    const spec = expected[name];
    const campaign = await rectificationCampaign(t, `台账 ${name}`);
    if (spec.before) expect((await importAs(spec.importer, campaign, corpusFile(spec.before))).status).toBe(200);
    const before = await itemsOf(campaign);

    const res = await importAs(spec.importer, campaign, corpusFile(name), spec.submit);
    if (spec.errors) {
      expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(res.body.errors.map((e: { sheet: string; row: number; column: string }) => ({ sheet: e.sheet, row: e.row, column: e.column }))).toEqual(
        spec.errors,
      );
      // Several sheets: each error names its sheet.
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(spec.errors.map((e) => `工作表「${e.sheet}」第${e.row}行·${e.column}`));
      expect(await itemsOf(campaign)).toEqual(before);
      return;
    }
    expect([res.status, res.body.code, res.body.details]).toEqual([200, undefined, undefined]);
    expect([res.body.created, res.body.skipped, res.body.rows]).toEqual([spec.items.length, spec.matched.length, spec.items.length + spec.matched.length]);
    const state = spec.submit ? 'pending_review' : 'draft';
    expect(res.body.items.map((i: { row: number; state: string }) => [i.row, i.state])).toEqual(spec.items.map((i) => [i.row, state]));
    if (spec.items.some((i) => i.sheet)) {
      expect(res.body.items.map((i: { sheet: string }) => i.sheet)).toEqual(spec.items.map((i) => i.sheet));
    }

    // Rows that named an item by 问题编号 created nothing and say which item they are.
    const byNumber = new Map(before.map((i) => [i.number as number, i.id as string]));
    expect(
      res.body.matched.map((m: { row: number; number: number; id: string; by: string; edited: boolean }) => [m.row, m.number, m.id, m.by, m.edited]),
    ).toEqual(spec.matched.map((m) => [m.row, m.number, byNumber.get(m.number), 'number', m.edited]));

    // Exactly the expected items were created, each with every column as the township wrote it.
    const after = await itemsOf(campaign);
    const created = after.filter((i) => !before.some((b) => b.id === i.id));
    expect(created.map((i) => i.id)).toEqual(res.body.items.map((i: { id: string }) => i.id));
    expect(created.map(asExpected)).toEqual(spec.items.map(({ sheet: _s, row: _r, ...rest }) => rest));
    expect(after).toHaveLength(before.length + spec.items.length);
    // Matched items are left as they were, edited rows included.
    expect(after.filter((i) => before.some((b) => b.id === i.id))).toEqual(before);
  });

  it('records a township leader’s import as theirs, the 排查签字 saying it was on behalf of the ledger’s 填报人', async () => {
    const campaign = await rectificationCampaign(t, '代为导入');
    const res = await importAs('leader2', campaign, corpusFile('10-leader-on-behalf.xlsx'), true);
    expect(res.status).toBe(200);
    for (const { id } of res.body.items as Array<{ id: string }>) {
      const item = await t.http.get(`/api/items/${id}`).set('authorization', await auth('leader2'));
      expect(item.body.investigator.name).toBe('陈刚（河口镇分管负责人）');
      const chain = await t.http.get(`/api/items/${id}/signatures`).set('authorization', await auth('county'));
      expect(chain.body.map((s: { kind: string; signer: { name: string }; comment: string | null }) => [s.kind, s.signer.name, s.comment])).toEqual([
        ['investigation', '陈刚（河口镇分管负责人）', '代为导入台账（填报人：赵磊）'],
      ]);
      const verified = await t.http.get(`/api/items/${id}/signatures/verify`).set('authorization', await auth('county'));
      expect(verified.body.valid).toBe(true);
    }
    // The same ledger is outside 城关镇's leader's township, row by row.
    const other = await importAs('leader', await rectificationCampaign(t, '他乡镇'), corpusFile('10-leader-on-behalf.xlsx'));
    expect([other.status, other.body.errors.map((e: { row: number; column: string }) => [e.row, e.column])]).toEqual([
      400,
      [
        [4, '行政村'],
        [5, '行政村'],
      ],
    ]);
    expect(other.body.errors[0].message).toBe('河口镇东岗村：不在您的排查范围内');
  });

  it('lets the county office import any township’s ledger, and a village cadre only their own village', async () => {
    const campaign = await rectificationCampaign(t, '县级导入');
    const county = await importAs('county', campaign, corpusFile('01-template.xlsx'));
    expect([county.status, county.body.created]).toEqual([200, 4]);
    const cadre = await importAs('cadre', await rectificationCampaign(t, '村级导入'), corpusFile('01-template.xlsx'));
    expect([cadre.status, cadre.body.errors.map((e: { row: number; column: string }) => [e.row, e.column])]).toEqual([
      400,
      [
        [6, '行政村'],
        [7, '乡镇'],
      ],
    ]);
  });

  it('lets 乡镇干部 file a single item at any village of the township, and at none elsewhere', async () => {
    const campaign = await rectificationCampaign(t, '乡镇干部登记');
    const post = async (orgUnitId: string) =>
      t.http
        .post('/api/items')
        .set('authorization', await auth('towncadre'))
        .send({ campaignId: campaign, orgUnitId, problemTypeCode: 'HQ-09', description: '村内道路破损' });
    const { datong, qilimiao, chengguan, hekou_a } = t.demo.orgUnits;
    for (const unit of [datong, qilimiao, chengguan]) {
      const res = await post(unit.id);
      expect([res.status, res.body.orgUnit.name, res.body.investigator.name]).toEqual([201, unit.name, '吴杰（城关镇）']);
    }
    const elsewhere = await post(hekou_a.id);
    expect([elsewhere.status, elsewhere.body.details[0].field]).toEqual([400, 'orgUnitId']);
    const village = await t.http
      .post('/api/items')
      .set('authorization', await auth('cadre'))
      .send({ campaignId: campaign, orgUnitId: qilimiao.id, problemTypeCode: 'HQ-09', description: '不是本村' });
    expect([village.status, village.body.details[0].field]).toEqual([400, 'orgUnitId']);
  });

  it('creates nothing when the service’s own export is imported again, and reports each row’s item', async () => {
    const campaign = await rectificationCampaign(t, '导出再导入');
    const first = await importAs('towncadre', campaign, corpusFile('02-merged-cells.xlsx'));
    expect(first.body.created).toBe(5);
    const exported = await t.http
      .get(`/api/campaigns/${campaign}/ledger.xlsx`)
      .set('authorization', await auth('towncadre'))
      .buffer(true)
      .parse(binaryBody);
    expect(exported.status).toBe(200);
    // The township's export masks 身份证号码: rows matched by 问题编号 are not read further.
    const again = await importAs('towncadre', campaign, exported.body as Buffer);
    expect([again.status, again.body.created, again.body.skipped]).toEqual([200, 0, 5]);
    expect(
      again.body.matched.map((m: { row: number; id: string; number: number; by: string; edited: boolean }) => [m.row, m.id, m.number, m.by, m.edited]),
    ).toEqual(first.body.items.map((i: { id: string; number: number }, n: number) => [4 + n, i.id, i.number, 'number', false]));
    expect(await itemsOf(campaign)).toHaveLength(5);

    // A number that names no item the importer sees refuses the file.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(exported.body as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('问题台账')!;
    ws.getCell('A4').value = 999;
    const res = await importAs('towncadre', campaign, Buffer.from(await wb.xlsx.writeBuffer()));
    expect([res.status, res.body.details]).toEqual([400, [{ field: '第4行·问题编号', message: '问题编号 999 在该专项行动中不存在，或不在您的范围内' }]]);
    ws.getCell('A4').value = 1e15;
    const huge = await importAs('towncadre', campaign, Buffer.from(await wb.xlsx.writeBuffer()));
    expect([huge.status, huge.body.details]).toEqual([400, [{ field: '第4行·问题编号', message: '问题编号「1000000000000000」不是有效的编号' }]]);
    // Rows repeated by content are reported with the item they repeat.
    const repeat = await importAs('towncadre', campaign, corpusFile('02-merged-cells.xlsx'));
    expect([repeat.body.created, repeat.body.matched.map((m: { by: string }) => m.by)]).toEqual([0, ['content', 'content', 'content', 'content', 'content']]);
    expect(repeat.body.matched.map((m: { id: string }) => m.id)).toEqual(first.body.items.map((i: { id: string }) => i.id));
  });
});
