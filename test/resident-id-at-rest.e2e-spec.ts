import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { Client } from 'pg';
import { rotateCommand } from '../src/common/crypto/rotate-id-key';
import { loadResidentIdKeys } from '../src/common/crypto/resident-id-keys';
import { loadConfig } from '../src/config/app-config';
import { residentIdCheckChar } from '../src/common/validation/resident-id';
import { createTestApp, TEST_ENV, TEST_ID_KEY, TestApp } from './app';
import { bearer, createDraft, rectificationCampaign, binaryBody } from './factories';
import { serverUrl } from './db';

const residentId = (body17: string) => body17 + residentIdCheckChar(body17);
const ID_ZHANG = residentId('34152219800101123');
const ID_LI = residentId('34152219750615002');

/**
 * Resident ID numbers at rest (等保 数据保密性): encrypted (AES-256-GCM, key
 * id stored), found through a keyed index, never in the database in clear,
 * re-encrypted by `npm run rotate:id-key`; duplicates of a household's open
 * problem are reported when one is filed again.
 */
describe('resident ID numbers at rest', () => {
  let t: TestApp;
  let db: Client;
  let cid: string;
  let zhang: string;

  beforeAll(async () => {
    t = await createTestApp();
    cid = await rectificationCampaign(t, '身份证加密');
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    zhang = (await createDraft(t, cid, { householdName: '张三', householdIdNumber: ID_ZHANG, description: '住房漏雨' })).id;
    await createDraft(t, cid, { householdName: '李四', householdIdNumber: ID_LI.toLowerCase(), description: '饮水不安全', problemTypeCode: 'HQ-02' });
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  /** Every row of every table as text, the way a dump holds it. */
  const everyRow = async (): Promise<string> => {
    const tables = (await db.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`)).rows.map((r) => r.tablename as string);
    const parts: string[] = [];
    for (const table of tables) parts.push(...(await db.query(`SELECT row_to_json(x)::text AS j FROM "${table}" x`)).rows.map((r) => r.j as string));
    return parts.join('\n');
  };

  it('stores the number encrypted with the configured key id, and its keyed index, nowhere in clear', async () => {
    const row = (await db.query(`SELECT household_id_cipher AS c, household_id_index AS x FROM problem_items WHERE id = $1`, [zhang])).rows[0];
    expect(row.c).toMatch(/^id-1:[A-Za-z0-9+/]+=*$/);
    expect(row.x).toMatch(/^[0-9a-f]{64}$/);
    const all = await everyRow();
    for (const id of [ID_ZHANG, ID_LI]) {
      expect(all).not.toContain(id);
      expect(all).not.toContain(id.slice(0, 17));
    }
  });

  if (serverUrl)
    it('pg_dump of the database holds no resident ID number', async () => {
      const { stdout } = await promisify(execFile)('pg_dump', ['--no-owner', '--dbname', t.databaseUrl], { maxBuffer: 64 * 1024 * 1024 });
      expect(stdout).toContain('household_id_cipher');
      expect(stdout).not.toContain(ID_ZHANG);
      expect(stdout).not.toContain(ID_LI);
    });

  it('shows the number masked to the cadre and whole to the county office (audited), and in the county’s ledger export', async () => {
    const asCadre = await t.http.get(`/api/items/${zhang}`).set('authorization', await bearer(t, 'cadre'));
    expect(asCadre.body.household).toMatchObject({ idNumber: `${ID_ZHANG.slice(0, 6)}********${ID_ZHANG.slice(14)}`, idNumberMasked: true });
    const asCounty = await t.http.get(`/api/items/${zhang}`).set('authorization', await bearer(t, 'county'));
    expect(asCounty.body.household).toMatchObject({ idNumber: ID_ZHANG, idNumberMasked: false });
    const file = await t.http
      .get(`/api/campaigns/${cid}/ledger.xlsx`)
      .set('authorization', await bearer(t, 'county'))
      .buffer(true)
      .parse(binaryBody);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.body as unknown as ArrayBuffer);
    const cells: string[] = [];
    wb.worksheets[0].eachRow((r) => r.eachCell((c) => cells.push(String(c.value))));
    expect(cells).toEqual(expect.arrayContaining([ID_ZHANG, ID_LI]));
  });

  it('answers a second open item of the same household and problem type with the first in `duplicates`, and marks both in the inbox', async () => {
    const again = await createDraft(t, cid, { householdName: '张三', householdIdNumber: ID_ZHANG, description: '屋顶漏雨（重复登记）' });
    expect(again.duplicates).toEqual([expect.objectContaining({ id: zhang, state: 'draft', stateLabel: '草稿' })]);
    const otherType = await createDraft(t, cid, { householdName: '张三', householdIdNumber: ID_ZHANG, description: '就业', problemTypeCode: 'HQ-03' });
    expect(otherType.duplicates).toEqual([]);
    const inbox = await t.http.get('/api/inbox').set('authorization', await bearer(t, 'cadre'));
    const byId = new Map<string, number>(inbox.body.map((i: { id: string; openDuplicates: number }) => [i.id, i.openDuplicates]));
    expect([byId.get(zhang), byId.get(again.id), byId.get(otherType.id)]).toEqual([1, 1, 0]);
  });

  it('reports a ledger row that repeats a household’s open problem with the item numbers it repeats (a ledger written by openpyxl)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dup-ledger-'));
    const file = join(dir, 'ledger.xlsx');
    const script = [
      'import sys, openpyxl',
      'wb = openpyxl.Workbook(); ws = wb.active',
      "ws.append(['乡镇', '行政村', '户主姓名', '身份证号码', '问题类型', '具体问题', '整改措施', '整改责任人', '整改时限', '备注'])",
      "ws.append(['城关镇', '大同村', '张三', sys.argv[2], '三保障和饮水安全', '房屋墙体开裂', None, None, None, None])",
      "ws.append(['城关镇', '大同村', '王五', None, '三保障和饮水安全', '院墙倒塌', None, None, None, None])",
      'wb.save(sys.argv[1])',
    ].join('\n');
    await promisify(execFile)('/usr/bin/python3', ['-c', script, file, ID_ZHANG]);
    const res = await t.http
      .post(`/api/campaigns/${cid}/ledger`)
      .set('authorization', await bearer(t, 'cadre'))
      .attach('file', readFileSync(file), 'ledger.xlsx');
    rmSync(dir, { recursive: true, force: true });
    expect(res.status).toBe(200);
    const numbers = (
      await db.query(
        `SELECT number FROM problem_items WHERE household_id_index = (SELECT household_id_index FROM problem_items WHERE id = $1) AND problem_type_code = 'HQ-01' ORDER BY number`,
        [zhang],
      )
    ).rows.map((r) => r.number as number);
    const [zhangRow, wangRow] = res.body.items;
    expect(zhangRow.duplicateOf).toEqual(numbers.filter((n) => n !== zhangRow.number));
    expect(zhangRow.duplicateOf.length).toBe(2);
    expect(wangRow.duplicateOf).toEqual([]);
  });

  it('finds a household’s items by number through the index, inside scope only, with the number in the body and the lookup audited', async () => {
    const lookup = (user: string, idNumber: string) =>
      t.http.post('/api/items/household-lookup').set('authorization', `Bearer ${user}`).send({ idNumber, campaignId: cid });
    const county = await lookup(await t.token('county'), ID_ZHANG.toLowerCase());
    expect(county.status).toBe(200);
    expect(county.body.map((i: { id: string }) => i.id)).toContain(zhang);
    expect(county.body.every((i: { household: { idNumberMasked: boolean } }) => i.household.idNumberMasked)).toBe(true);
    const otherTownship = await lookup(await t.token('leader2'), ID_ZHANG);
    expect([otherTownship.status, otherTownship.body]).toEqual([200, []]);
    const bad = await lookup(await t.token('county'), '341522198001011230');
    expect([bad.status, bad.body.details?.[0]?.field]).toEqual([400, 'idNumber']);
    const audited = await db.query(`SELECT details FROM audit_events WHERE action = 'item.household_lookup'`);
    expect(audited.rows.length).toBe(2);
    expect(JSON.stringify(audited.rows)).not.toContain(ID_ZHANG.slice(0, 14));
  });

  it('npm run rotate:id-key re-encrypts every number with the new key, keeping the old one retired until then', async () => {
    const rotated = {
      ...TEST_ENV,
      DATABASE_URL: t.serviceUrl,
      ID_ENCRYPTION_KEY: 'a-new-id-encryption-key-for-rotation-0123456789',
      ID_ENCRYPTION_KEY_ID: 'id-2',
      ID_ENCRYPTION_KEYS_RETIRED: `id-1:${TEST_ID_KEY}`,
    };
    const before = (await db.query(`SELECT id, household_id_index AS x FROM problem_items WHERE household_id_cipher IS NOT NULL ORDER BY id`)).rows;
    expect(await rotateCommand([], rotated)).toBe(`re-encrypted ${before.length} resident ID numbers with key id-2, re-indexed 0`);
    const after = (
      await db.query(`SELECT id, household_id_cipher AS c, household_id_index AS x FROM problem_items WHERE household_id_cipher IS NOT NULL ORDER BY id`)
    ).rows;
    expect(after.every((r) => r.c.startsWith('id-2:'))).toBe(true);
    expect(after.map((r) => [r.id, r.x])).toEqual(before.map((r) => [r.id, r.x]));
    expect(await rotateCommand([], rotated)).toBe('re-encrypted 0 resident ID numbers with key id-2, re-indexed 0');

    // A new index key: --reindex recomputes every number's index (from the decrypted number), and only the index.
    const reindexed = { ...rotated, ID_INDEX_KEY: 'a-new-id-index-key-for-rotation-0123456789abc' };
    expect(await rotateCommand(['--reindex'], reindexed)).toBe(`re-encrypted 0 resident ID numbers with key id-2, re-indexed ${before.length}`);
    const newIndex = loadResidentIdKeys(loadConfig(reindexed));
    const reread = (await db.query(`SELECT household_id_cipher AS c, household_id_index AS x FROM problem_items WHERE household_id_cipher IS NOT NULL`)).rows;
    expect(reread.every((r) => r.x === newIndex.index(newIndex.decrypt(r.c)!))).toBe(true);

    // The new key alone (the old one dropped from the configuration) reads every number.
    const newOnly = loadResidentIdKeys(loadConfig({ ...rotated, ID_ENCRYPTION_KEYS_RETIRED: '' }));
    expect(after.map((r) => newOnly.decrypt(r.c)).sort()).toEqual(expect.arrayContaining([ID_ZHANG, ID_LI.toUpperCase()]));
  });
});
