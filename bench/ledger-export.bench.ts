/**
 * Ledger export benchmark: N problem items (default 100,000) in one campaign,
 * one GET /api/campaigns/:id/ledger.xlsx, measured from outside the service.
 *
 *   npm run bench:ledger                       # fresh embedded PGlite (in this process)
 *   DATABASE_URL=postgres://…/scratch npm run bench:ledger
 *
 * The service runs as a child process (`node dist/src/main.js`, demo county
 * loaded on first start); its peak resident memory is the kernel's high-water
 * mark (VmHWM in /proc/<pid>/status, Linux), which covers the whole life of the
 * process, start-up included. The items are inserted with one INSERT … SELECT
 * over generate_series, copying a real rectifying item of the demo campaign
 * (its snapshot with the new id), so the export joins org units and the
 * rectifier as it does for real data. Running again on the same database tops
 * the campaign up to N instead of adding N more. Use a scratch database: the
 * bench writes to it.
 *
 * Environment: DATABASE_URL, BENCH_ITEMS (default 100000). Output: a summary on
 * stdout and bench/out/ledger-export.json; the exported file is kept in
 * bench/out/. Exits 1 when the export misses the targets (20 s, 300 MB).
 */
import 'reflect-metadata';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { get, request } from 'node:http';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { Client } from 'pg';
import { loadResidentIdKeys } from '../src/common/crypto/resident-id-keys';
import { residentIdCheckChar } from '../src/common/validation/resident-id';
import { loadConfig } from '../src/config/app-config';
import { startEmbeddedPostgres, type RunningDatabase } from '../src/database/embedded-postgres';
import { freePort, memoryOf, serviceKeyEnv, startService } from './service';

const TARGET_SECONDS = 20;
const TARGET_MB = 300;
const DEMO_PASSWORD = 'Demo@2021';
const OUT_DIR = join(__dirname, '..', '..', 'bench', 'out');

/** Distinct ciphertexts cycled over the rows (encrypting every row in this process would dominate the seeding). */
const CIPHERS = 1000;

/** Valid 身份证号码, cycled over the rows. */
const ID_NUMBERS = ['34152219800101123', '34152219750615002', '34152219900307001', '11010519491231002'].map((b) => b + residentIdCheckChar(b));

function postJson(port: number, path: string, body: object): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = request(
      { host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          res.statusCode === 200 || res.statusCode === 201
            ? resolve(JSON.parse(Buffer.concat(chunks).toString()))
            : reject(new Error(`${path}: ${res.statusCode}`)),
        );
      },
    );
    req.once('error', reject);
    req.end(data);
  });
}

/** Tops the demo campaign up to `target` items; answers the campaign id and its item count. */
async function seedItems(databaseUrl: string, target: number): Promise<{ campaignId: string; items: number; inserted: number; seconds: number }> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const started = Date.now();
    const [campaign] = (await db.query(`SELECT id FROM campaigns ORDER BY created_at LIMIT 1`)).rows as Array<{ id: string }>;
    if (!campaign) throw new Error('no campaign: was the demo county loaded?');
    const count = Number((await db.query(`SELECT count(*) AS n FROM problem_items WHERE campaign_id = $1`, [campaign.id])).rows[0].n);
    const missing = Math.max(0, target - count);
    if (missing > 0) {
      const [model] = (
        await db.query(`SELECT id FROM problem_items WHERE campaign_id = $1 AND state = 'rectifying' AND rectifier_id IS NOT NULL ORDER BY number LIMIT 1`, [
          campaign.id,
        ])
      ).rows as Array<{ id: string }>;
      if (!model) throw new Error('the demo campaign has no rectifying item to copy');
      const columns = (
        await db.query(
          `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'problem_items' ORDER BY ordinal_position`,
        )
      ).rows.map((r: { column_name: string }) => r.column_name);
      const overrides: Record<string, string> = {
        id: 'n.id',
        number: 'c.item_seq + n.g',
        snapshot: `jsonb_set(m.snapshot, '{context,id}', to_jsonb(n.id::text))`,
        description: `m.description || '（第' || n.g || '户）'`,
        household_name: `'户主' || n.g`,
        // Encrypted and indexed as the service writes them (its keys: the same configuration), a fresh IV per ciphertext.
        household_id_cipher: `($2::text[])[1 + n.g % ${CIPHERS}]`,
        household_id_index: `($3::text[])[1 + n.g % ${CIPHERS}]`,
        remark: `'批量生成 ' || n.g`,
        import_key: 'NULL',
        created_at: 'now()',
        updated_at: 'now()',
      };
      const keys = loadResidentIdKeys(loadConfig({ ...serviceKeyEnv(), DATABASE_URL: databaseUrl }));
      const ciphers = Array.from({ length: CIPHERS }, (_, i) => {
        const plain = ID_NUMBERS[i % ID_NUMBERS.length];
        return { cipher: keys.encrypt(plain), index: keys.index(plain) };
      });
      await db.query('BEGIN');
      await db.query(
        `INSERT INTO problem_items (${columns.map((c) => `"${c}"`).join(', ')})
         SELECT ${columns.map((c) => overrides[c] ?? `m."${c}"`).join(', ')}
         FROM problem_items m
         CROSS JOIN campaigns c
         CROSS JOIN (SELECT gen_random_uuid() AS id, g FROM generate_series(1, ${missing}) g) n
         WHERE m.id = $1 AND c.id = m.campaign_id`,
        [model.id, ciphers.map((c) => c.cipher), ciphers.map((c) => c.index)],
      );
      await db.query(`UPDATE campaigns SET item_seq = item_seq + ${missing} WHERE id = $1`, [campaign.id]);
      await db.query('COMMIT');
      await db.query('ANALYZE problem_items');
    }
    return { campaignId: campaign.id, items: count + missing, inserted: missing, seconds: (Date.now() - started) / 1000 };
  } finally {
    await db.end();
  }
}

/** Streams the export to a file while sampling the service's memory; answers wall time, bytes and peaks. */
function timeExport(
  port: number,
  token: string,
  path: string,
  pid: number,
  file: string,
): Promise<{ seconds: number; bytes: number; sampledPeakRssMb: number; status: number }> {
  return new Promise((resolve, reject) => {
    let peak = memoryOf(pid).rssMb;
    const sampler = setInterval(() => (peak = Math.max(peak, memoryOf(pid).rssMb)), 25);
    const started = process.hrtime.bigint();
    const req = get({ host: '127.0.0.1', port, path, headers: { authorization: `Bearer ${token}` } }, (res) => {
      let bytes = 0;
      const out = createWriteStream(file);
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.pipe(out);
      out.once('finish', () => {
        clearInterval(sampler);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        resolve({ seconds, bytes, sampledPeakRssMb: Math.max(peak, memoryOf(pid).rssMb), status: res.statusCode ?? 0 });
      });
      res.once('error', reject);
    });
    req.once('error', (e) => {
      clearInterval(sampler);
      reject(e);
    });
  });
}

/** Counts the numbered rows of the exported sheet with the streaming reader (the file is never loaded whole). */
async function countRows(file: string): Promise<number> {
  let rows = 0;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { worksheets: 'emit', sharedStrings: 'ignore', hyperlinks: 'ignore', styles: 'ignore' });
  for await (const sheet of reader) {
    for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
      if (row.number > 3 && typeof row.getCell(1).value === 'number') rows++;
    }
    break;
  }
  return rows;
}

async function main(): Promise<void> {
  mkdirSync(OUT_DIR, { recursive: true });
  const target = Number(process.env.BENCH_ITEMS ?? 100_000);
  let embedded: RunningDatabase | null = null;
  const databaseUrl = process.env.DATABASE_URL ?? (embedded = await startEmbeddedPostgres('memory://')).url;
  const where = embedded ? 'embedded PGlite (in the bench process)' : `PostgreSQL ${new URL(databaseUrl).pathname.slice(1)}`;
  console.log(`ledger export bench: ${target} items on ${where}`);

  const port = await freePort();
  const service = await startService(databaseUrl, port, join(OUT_DIR, 'uploads'));
  try {
    const seeded = await seedItems(databaseUrl, target);
    console.log(`  items: ${seeded.items} (${seeded.inserted} inserted in ${seeded.seconds.toFixed(1)} s)`);
    const { accessToken } = (await postJson(port, '/api/auth/login', { username: 'county', password: DEMO_PASSWORD })) as { accessToken: string };
    const before = memoryOf(service.pid!);
    const file = join(OUT_DIR, `ledger-${seeded.items}.xlsx`);
    const run = await timeExport(port, accessToken, `/api/campaigns/${seeded.campaignId}/ledger.xlsx`, service.pid!, file);
    const after = memoryOf(service.pid!);
    if (run.status !== 200) throw new Error(`export answered ${run.status}`);
    const rows = await countRows(file);

    const result = {
      items: seeded.items,
      rowsInFile: rows,
      seconds: Number(run.seconds.toFixed(2)),
      fileMb: Number((run.bytes / 1024 / 1024).toFixed(1)),
      service: {
        rssBeforeMb: Math.round(before.rssMb),
        peakRssDuringExportMb: Math.round(run.sampledPeakRssMb),
        peakRssLifetimeMb: Math.round(after.hwmMb),
      },
      database: where,
      machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGb: Math.round(totalmem() / 1024 ** 3), node: process.version },
      targets: { seconds: TARGET_SECONDS, peakMb: TARGET_MB },
    };
    const ok = rows === seeded.items && run.seconds < TARGET_SECONDS && after.hwmMb < TARGET_MB;
    writeFileSync(join(OUT_DIR, 'ledger-export.json'), JSON.stringify(result, null, 2));
    console.log(`  export: ${result.seconds} s, ${result.fileMb} MB, ${rows} rows in the file`);
    console.log(
      `  service memory: ${result.service.rssBeforeMb} MB before, ${result.service.peakRssDuringExportMb} MB peak during the export, ${result.service.peakRssLifetimeMb} MB peak over its life (VmHWM)`,
    );
    console.log(`  ${ok ? 'PASS' : 'FAIL'} (targets: < ${TARGET_SECONDS} s, < ${TARGET_MB} MB, every item in the file)`);
    process.exitCode = ok ? 0 : 1;
  } finally {
    service.kill('SIGTERM');
    await new Promise((resolve) => service.once('exit', resolve));
    await embedded?.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
