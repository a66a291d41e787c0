/**
 * Hostile ledger uploads benchmark (issue 10): the service's resident memory
 * while it refuses .xlsx files built to exhaust it. Before the archive check
 * a 0.39 MB file that inflates to 400 MB took the service to 3.2 GB.
 *
 *   npm run bench:bomb
 *   BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:bomb
 *
 * The bench creates its own database (qingling_bomb_<timestamp>) on the
 * server of BENCH_PG_URL, starts the built service on it as a child process
 * (`node dist/src/main.js`, demo county loaded, default limits), and drops
 * the database at the end. The files are made by test/fixtures/hostile-xlsx.py
 * (Python's zlib and a hand-made ZIP container, as the e2e test makes them):
 *
 * - bomb.xlsx: 0.4 MB, a 400 MB sheet; forged.xlsx: the same declaring 1,000 bytes;
 * - rows.xlsx: a million rows (26 MB unzipped); cell.xlsx: one 1 MB cell;
 * - cells.xlsx: 15,000 rows of 50 cells; strings.xlsx: 350,000 shared strings;
 * - entries.xlsx: 2,000 files.
 *
 * `cadre` POSTs each to the demo campaign's ledger import, one after the
 * other, then the three largest at once, five rounds of that. The service's
 * RSS is sampled every 10 ms from /proc/<pid>/status (VmRSS), and its
 * lifetime peak (VmHWM, start-up included) read at the end. Linux only.
 *
 * Environment: BENCH_PG_URL, BENCH_ROUNDS (default 5). Output: a summary on
 * stdout and bench/out/ledger-bomb.json. Exits 1 when a file is not refused
 * with 413/422, the service stops answering, or its peak RSS reaches 300 MB.
 */
import 'reflect-metadata';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort, memoryOf, startService } from './service';

const ROOT = join(__dirname, '..', '..');
const OUT_DIR = join(ROOT, 'bench', 'out');
const FIXTURES = join(OUT_DIR, 'hostile-xlsx');
const TARGET_MB = 300;
const DEMO_PASSWORD = 'Demo@2021';
const ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const FILES = ['bomb.xlsx', 'forged.xlsx', 'rows.xlsx', 'cell.xlsx', 'cells.xlsx', 'strings.xlsx', 'entries.xlsx'];

async function adminQuery(sql: string): Promise<void> {
  const db = new Client({ connectionString: ADMIN_URL });
  await db.connect();
  try {
    await db.query(sql);
  } finally {
    await db.end();
  }
}

function databaseUrl(name: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

interface Answer {
  file: string;
  status: number;
  code: string;
  message: string;
  ms: number;
}

async function main(): Promise<void> {
  mkdirSync(FIXTURES, { recursive: true });
  execFileSync('python3', [join(ROOT, 'test', 'fixtures', 'hostile-xlsx.py'), FIXTURES]);
  const files = new Map(FILES.map((f) => [f, readFileSync(join(FIXTURES, f))]));
  const dbName = `qingling_bomb_${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}`;
  await adminQuery(`CREATE DATABASE "${dbName}"`);
  let service: ChildProcess | null = null;
  try {
    const port = await freePort();
    service = await startService(databaseUrl(dbName), port, join(OUT_DIR, 'uploads'));
    const pid = service.pid!;
    const base = `http://127.0.0.1:${port}/api`;
    const login = await (
      await fetch(`${base}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'cadre', password: DEMO_PASSWORD }),
      })
    ).json();
    const auth = { authorization: `Bearer ${(login as { accessToken: string }).accessToken}` };
    const campaigns = (await (await fetch(`${base}/campaigns`, { headers: auth })).json()) as Array<{ id: string; state: string }>;
    const campaign = campaigns[0].id;

    const upload = async (file: string): Promise<Answer> => {
      const form = new FormData();
      form.append('file', new Blob([files.get(file)!]), file);
      const t0 = performance.now();
      const res = await fetch(`${base}/campaigns/${campaign}/ledger?submit=true`, { method: 'POST', headers: auth, body: form });
      const body = (await res.json()) as { code: string; message: string };
      return { file, status: res.status, code: body.code, message: body.message, ms: Math.round(performance.now() - t0) };
    };

    // Let start-up garbage settle, then read the idle footprint.
    await new Promise((r) => setTimeout(r, 2000));
    const idle = memoryOf(pid);
    let peak = idle.rssMb;
    const sampler = setInterval(() => (peak = Math.max(peak, memoryOf(pid).rssMb)), 10);
    const answers: Answer[] = [];
    const t0 = performance.now();
    for (let round = 0; round < ROUNDS; round++) {
      for (const f of FILES) answers.push(await upload(f));
      answers.push(...(await Promise.all(['bomb.xlsx', 'forged.xlsx', 'rows.xlsx'].map(upload))));
    }
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    const health = await fetch(`${base}/health`);
    await new Promise((r) => setTimeout(r, 1000));
    const after = memoryOf(pid);

    const refusedAll = answers.every((a) => a.status === 413 || a.status === 422);
    const result = {
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version },
      files: Object.fromEntries(FILES.map((f) => [f, files.get(f)!.length])),
      rounds: ROUNDS,
      requests: answers.length,
      seconds: Number(seconds.toFixed(2)),
      answers: FILES.map((f) => {
        const mine = answers.filter((a) => a.file === f);
        return {
          file: f,
          status: [...new Set(mine.map((a) => a.status))],
          code: mine[0].code,
          message: mine[0].message,
          maxMs: Math.max(...mine.map((a) => a.ms)),
        };
      }),
      service: {
        idleRssMb: Math.round(idle.rssMb),
        peakRssMb: Math.round(peak),
        rssAfterMb: Math.round(after.rssMb),
        peakRssLifetimeMb: Math.round(after.hwmMb),
      },
      healthAfter: health.status,
    };
    writeFileSync(join(OUT_DIR, 'ledger-bomb.json'), JSON.stringify(result, null, 2));
    console.log(`hostile ledger uploads: ${answers.length} requests in ${result.seconds} s (${ROUNDS} rounds)`);
    for (const a of result.answers)
      console.log(`  ${a.file.padEnd(13)} ${String(files.get(a.file)!.length).padStart(7)} B → ${a.status.join('/')} ${a.code} (≤ ${a.maxMs} ms) ${a.message}`);
    console.log(
      `  service RSS: idle ${result.service.idleRssMb} MB, peak during uploads ${result.service.peakRssMb} MB, after ${result.service.rssAfterMb} MB; lifetime peak (VmHWM) ${result.service.peakRssLifetimeMb} MB`,
    );
    const ok = refusedAll && health.status === 200 && after.hwmMb < TARGET_MB;
    console.log(`  ${ok ? 'PASS' : 'FAIL'}: every file refused 413/422, service answering, peak under ${TARGET_MB} MB (bench/out/ledger-bomb.json)`);
    process.exitCode = ok ? 0 : 1;
  } finally {
    if (service && service.exitCode === null) {
      service.kill('SIGTERM');
      await new Promise((resolve) => service!.once('exit', resolve));
    }
    rmSync(FIXTURES, { recursive: true, force: true });
    await adminQuery(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
