import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import type { Response } from 'supertest';
import { createTestApp, TestApp } from './app';
import { bearer, rectificationCampaign } from './factories';

/**
 * Uploads shaped to exhaust the service: the ledger import refuses a zip
 * bomb (declared and forged sizes), a million rows, a 1 MB cell, too many
 * cells or files, with 413/422 and a Chinese message naming `file`, before
 * exceljs reads anything; attachments keep their size and type limits. None
 * of it writes a row or leaves a file, and the service answers normally
 * afterwards. (Peak memory of a service process fed these files is measured
 * by `bench/ledger-bomb.bench.ts`, not asserted here.)
 */
describe('hostile uploads', () => {
  let t: TestApp;
  let db: Client;
  let cid: string;
  let dir: string;
  const fixture = (name: string): Buffer => readFileSync(join(dir, name));

  beforeAll(async () => {
    // The hostile files are made here, with Python's zlib and a hand-made ZIP container (test/fixtures/hostile-xlsx.py).
    dir = mkdtempSync(join(tmpdir(), 'qingling-hostile-'));
    execFileSync('python3', [resolve(__dirname, 'fixtures/hostile-xlsx.py'), dir]);
    t = await createTestApp({ LEDGER_IMPORT_MAX_MB: '2', UPLOAD_MAX_MB: '1' });
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    cid = await rectificationCampaign(t, '恶意文件测试');
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await db.end();
    await t.close();
  });

  const files = (): string[] => {
    const root = resolve(t.config.UPLOAD_DIR);
    try {
      return readdirSync(root, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => join(e.parentPath, e.name));
    } catch {
      return [];
    }
  };

  const state = async (): Promise<unknown> => {
    const { rows } = await db.query(
      `SELECT (SELECT count(*)::int FROM problem_items) AS items, (SELECT count(*)::int FROM signatures) AS signatures,
              (SELECT count(*)::int FROM audit_events WHERE action NOT IN ('access.denied', 'auth.login')) AS audit, (SELECT count(*)::int FROM attachments) AS attachments`,
    );
    return { ...rows[0], files: files().length };
  };

  const importLedger = async (data: Buffer, name = '台账.xlsx'): Promise<Response> =>
    t.http
      .post(`/api/campaigns/${cid}/ledger?submit=true`)
      .set('authorization', await bearer(t, 'cadre'))
      .attach('file', data, name);

  /** Sends, expects the status and code, a Chinese message naming `file`, and no trace. */
  const refused = async (send: () => Promise<Response>, status: number, code: string, says: string): Promise<Response> => {
    const before = await state();
    const res = await send();
    expect([res.status, res.body.code]).toEqual([status, code]);
    expect(res.body.message).toContain(says);
    expect(res.body.message).toMatch(/[\u4e00-\u9fff]/);
    expect(await state()).toEqual(before);
    return res;
  };

  describe('ledger import (.xlsx)', () => {
    it('a zip bomb: a 0.4 MB file declaring a 400 MB sheet is 413 before anything is inflated', async () => {
      expect(fixture('bomb.xlsx').length).toBeLessThan(1024 * 1024);
      const res = await refused(() => importLedger(fixture('bomb.xlsx')), 413, 'PAYLOAD_TOO_LARGE', '解压后超过 50 MB');
      expect(res.body.details).toEqual([{ field: 'file', message: '解压后超过 50 MB' }]);
    });

    it('the same bomb declaring 1,000 bytes is stopped at the first byte beyond them', async () => {
      await refused(() => importLedger(fixture('forged.xlsx')), 413, 'PAYLOAD_TOO_LARGE', 'xl/worksheets/sheet1.xml 解压后的实际大小超过文件声明的大小');
    });

    it('a million rows, a 1 MB cell, 750,000 cells, 350,000 shared strings, 2,000 files: 422 naming what is wrong', async () => {
      await refused(() => importLedger(fixture('rows.xlsx')), 422, 'UNPROCESSABLE', '超过 20000 行');
      await refused(() => importLedger(fixture('cell.xlsx')), 422, 'UNPROCESSABLE', 'Excel 单元格最多 32767 个字符');
      await refused(() => importLedger(fixture('cells.xlsx')), 422, 'UNPROCESSABLE', '单元格超过 150000 个');
      await refused(() => importLedger(fixture('strings.xlsx')), 422, 'UNPROCESSABLE', '超过 600000 个 XML 元素');
      await refused(() => importLedger(fixture('entries.xlsx')), 422, 'UNPROCESSABLE', '包含 2006 个文件，超过上限 1000 个');
    });

    it('a truncated archive is 422; a file over LEDGER_IMPORT_MAX_MB is 413', async () => {
      const rows = fixture('rows.xlsx');
      await refused(() => importLedger(rows.subarray(0, rows.length - 100)), 422, 'UNPROCESSABLE', '无法读取该 .xlsx 文件');
      const big = Buffer.concat([Buffer.from('PK\u0003\u0004'), randomBytes(2.5 * 1024 * 1024)]);
      await refused(() => importLedger(big), 413, 'PAYLOAD_TOO_LARGE', '上传内容超过大小限制');
    });

    it('three bombs at once are all refused, and the service then imports a real ledger', async () => {
      const answers = await Promise.all(['bomb.xlsx', 'forged.xlsx', 'rows.xlsx'].map((f) => importLedger(fixture(f))));
      expect(answers.map((r) => r.status)).toEqual([413, 413, 422]);
      await t.http
        .get('/api/items')
        .set('authorization', await bearer(t, 'county'))
        .expect(200);

      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('台账');
      ws.addRow(['乡镇', '行政村', '户主姓名', '身份证号码', '问题类型', '具体问题', '整改措施', '整改责任人', '整改时限', '备注']);
      ws.addRow(['城关镇', '大同村', '', '', '三保障和饮水安全', '村道破损', '', '', '', '']);
      const ok = await importLedger(Buffer.from(await wb.xlsx.writeBuffer()));
      expect([ok.status, ok.body.created]).toEqual([200, 1]);
    });
  });

  describe('attachments (evidence)', () => {
    const upload = async (attach: (req: ReturnType<TestApp['http']['post']>) => ReturnType<TestApp['http']['post']>): Promise<Response> =>
      attach(t.http.post('/api/attachments').set('authorization', await bearer(t, 'cadre')));

    it('over UPLOAD_MAX_MB is 413, a file that is not an image or PDF is 415, nothing is stored', async () => {
      const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(1.2 * 1024 * 1024)]);
      await refused(() => upload((r) => r.attach('file', big, 'big.pdf')), 413, 'PAYLOAD_TOO_LARGE', '上传内容超过大小限制');
      // The zip bomb named as a PDF: recognised by its bytes, never opened.
      const res = await refused(
        () => upload((r) => r.attach('file', fixture('bomb.xlsx'), 'proof.pdf')),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        '只接受 JPEG、PNG、WebP 图片或 PDF 文件',
      );
      expect(res.body.details).toEqual([{ field: 'file', message: 'file 类型不受支持' }]);
    });

    it('one file and nothing else: a second file or any text field is a 400', async () => {
      const pdf = Buffer.from('%PDF-1.4 x');
      await refused(() => upload((r) => r.attach('file', pdf, 'a.pdf').attach('file', pdf, 'b.pdf')), 400, 'VALIDATION_FAILED', '请求格式有误');
      await refused(() => upload((r) => r.field('note', 'x').attach('file', pdf, 'a.pdf')), 400, 'VALIDATION_FAILED', '请求格式有误');
      const ok = await upload((r) => r.attach('file', pdf, 'a.pdf'));
      expect(ok.status).toBe(201);
    });
  });
});
