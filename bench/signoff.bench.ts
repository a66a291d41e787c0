/**
 * Sign-off benchmark: signed CONFIRMs over HTTP at 1, 4 and 16 concurrent
 * clients against pgbench doing the same database work on the same PostgreSQL
 * server in the same run, and a 10,000-row ledger import with submit=true.
 *
 *   npm run bench:signoff
 *   BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:signoff
 *
 * The bench creates its own database (qingling_bench_<timestamp>) on the server
 * of BENCH_PG_URL, starts the service on it as a child process (`node
 * dist/src/main.js`: it migrates the database and loads the demo county), and
 * drops the database at the end (BENCH_KEEP_DB=1 keeps it).
 *
 * 1. Ledger import: one .xlsx of BENCH_IMPORT_ROWS rows (default 10,000; all
 *    ten columns filled, 大同村 of 城关镇) built here with exceljs, POSTed by
 *    `cadre` with submit=true. Reported: wall time and the service's peak
 *    resident memory (VmHWM in /proc/<pid>/status: the whole life of the
 *    process, start-up included). When the service refuses the file for its
 *    row limit (422), the same rows go in as several files of the largest
 *    size it accepts, one after the other, and the time is their sum.
 * 2. Sign-off: the imported items are pending_review; each concurrency level
 *    gets its own BENCH_ITEMS_PER_LEVEL (default 2,000) of them, and each is
 *    confirmed exactly once by `leader` (POST /api/items/:id/events with
 *    { type: 'CONFIRM', measures, rectifierId, deadline }), from this process
 *    over keep-alive connections, one connection per client. Each client
 *    signs in on its own (login, then a signing grant for the password:
 *    step-up signing) before the clock starts, and sends its grant as
 *    X-Signing-Grant with every CONFIRM, as a console would; the ledger import
 *    carries the cadre's grant likewise. A warm-up of
 *    BENCH_WARMUP items (default 100) runs first. After each level the
 *    database is checked: one CONFIRM signature per 2xx answer, none for a
 *    failed request, every confirmed item rectifying. Any non-2xx answer is an
 *    error and is reported by status and code.
 * 3. pgbench, right after each level, with as many clients, for
 *    BENCH_PGBENCH_SECONDS (default 10): bench/signoff.pgbench.sql (read the
 *    item, conditional update of its snapshot and version, insert the
 *    signature row) over the same level's items, -M extended. Its latency
 *    percentiles come from its per-transaction log (-l).
 *
 * Environment: BENCH_PG_URL (a superuser connection; default
 * postgres://postgres@127.0.0.1:5432/postgres), BENCH_LEVELS (default 1,4,16),
 * BENCH_ITEMS_PER_LEVEL, BENCH_WARMUP, BENCH_PGBENCH_SECONDS,
 * BENCH_IMPORT_ROWS, BENCH_IDEMPOTENCY=1 (send an Idempotency-Key with every
 * CONFIRM, as the console's offline queue does), BENCH_KEEP_DB=1.
 * Output: a summary on stdout and bench/out/signoff.json. Exits 1 when a
 * check fails (errors, signature counts) or a target of issue 8 is missed.
 */
import 'reflect-metadata';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { Client } from 'pg';
import { residentIdCheckChar } from '../src/common/validation/resident-id';
import { type Answer, Http, percentile, round } from './http';
import { freePort, memoryOf, startService } from './service';

const ROOT = join(__dirname, '..', '..');
const OUT_DIR = join(ROOT, 'bench', 'out');
const PGBENCH_SCRIPT = join(ROOT, 'bench', 'signoff.pgbench.sql');
const DEMO_PASSWORD = 'Demo@2021';

const env = process.env;
const ADMIN_URL = env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const LEVELS = (env.BENCH_LEVELS ?? '1,4,16').split(',').map(Number);
const PER_LEVEL = Number(env.BENCH_ITEMS_PER_LEVEL ?? 2000);
const WARMUP = Number(env.BENCH_WARMUP ?? 100);
const PGBENCH_SECONDS = Number(env.BENCH_PGBENCH_SECONDS ?? 10);
const IMPORT_ROWS = Number(env.BENCH_IMPORT_ROWS ?? 10_000);
const IDEMPOTENCY = env.BENCH_IDEMPOTENCY === '1';

/** Issue 8's targets. */
const TARGETS = { ratioAt16: 0.4, p99At16Ms: 50, p50At1Ms: 5, importSeconds: 15, importPeakMb: 400 };

// ------------------------------------------------------------------ helpers

function latencySummary(ms: number[]): { p50: number; p95: number; p99: number; mean: number; max: number } {
  const s = [...ms].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / (s.length || 1);
  return {
    p50: round(percentile(s, 50), 2),
    p95: round(percentile(s, 95), 2),
    p99: round(percentile(s, 99), 2),
    mean: round(mean, 2),
    max: round(s[s.length - 1] ?? NaN, 2),
  };
}

const ID_NUMBERS = ['34152219800101123', '34152219750615002', '34152219900307001', '34152219620918004'].map((b) => b + residentIdCheckChar(b));

/** CPU seconds (user + system) a process has used so far. */
function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
  const git = (...args: string[]) => spawnSync('git', ['-C', ROOT, ...args], { encoding: 'utf8' }).stdout?.trim() ?? '';
  return {
    nproc: availableParallelism(),
    cpu: model,
    memoryGb: round(totalmem() / 1024 ** 3, 1),
    node: process.version,
    commit: git('rev-parse', '--short', 'HEAD') || 'unknown',
    workingTreeClean: git('status', '--porcelain', '--untracked-files=no') === '',
    date: new Date().toISOString(),
  };
}

// ------------------------------------------------------------------ database and service

function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function adminQuery(sql: string): Promise<void> {
  const db = new Client({ connectionString: ADMIN_URL });
  await db.connect();
  try {
    await db.query(sql);
  } finally {
    await db.end();
  }
}

// ------------------------------------------------------------------ HTTP

interface Me {
  id: string;
  displayName: string;
  orgUnit: { id: string; name: string };
}

async function login(http: Http, username: string): Promise<{ token: string; me: Me }> {
  const { accessToken } = await http.json<{ accessToken: string }>('POST', '/api/auth/login', null, { username, password: DEMO_PASSWORD });
  return { token: accessToken, me: await http.json<Me>('GET', '/api/auth/me', accessToken) };
}

/** A signing grant for the session of `token` (step-up: the password entered again); a new one replaces the session's last. */
async function signingGrant(http: Http, token: string): Promise<string> {
  return (await http.json<{ grant: string }>('POST', '/api/auth/signing-grant', token, { password: DEMO_PASSWORD })).grant;
}

/** One client's own session and its signing grant (grants are bound to a session, so clients do not share one). */
interface Signer {
  token: string;
  grant: string;
}

async function signIn(http: Http, username: string): Promise<Signer> {
  const { accessToken } = await http.json<{ accessToken: string }>('POST', '/api/auth/login', null, { username, password: DEMO_PASSWORD });
  return { token: accessToken, grant: await signingGrant(http, accessToken) };
}

// ------------------------------------------------------------------ ledger import

interface ProblemType {
  name: string;
  children?: ProblemType[];
}

const leaves = (types: ProblemType[]): string[] => types.flatMap((t) => (t.children?.length ? leaves(t.children) : [t.name]));

/** A ledger in the 霍邱 layout: title, header, `rows` rows from `first` on, signature line. */
async function ledgerFile(first: number, rows: number, typeNames: string[], deadline: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('集中排查台账');
  ws.addRow(['霍邱县巩固拓展脱贫攻坚成果集中排查台账']);
  ws.addRow(['乡镇：城关镇', '', '', '', '', '', '', '', '时间：', deadline]);
  ws.addRow(['乡镇', '行政村', '户主姓名', '身份证号码', '问题类型', '具体问题', '整改措施', '整改责任人', '整改时限', '备注']);
  for (let n = first; n < first + rows; n++) {
    ws.addRow([
      '城关镇',
      '大同村',
      `户主${n}`,
      ID_NUMBERS[n % ID_NUMBERS.length],
      typeNames[n % typeNames.length],
      `压测问题第${n}条：帮扶责任人走访记录缺失，需核实家庭收入变化情况`,
      '联系帮扶责任人入户核实，补齐走访记录并落实帮扶措施',
      '张明',
      new Date(`${deadline}T00:00:00Z`),
      `压测 ${n}`,
    ]);
  }
  ws.addRow([]);
  ws.addRow(['填报人：张明']);
  ws.addRow(['乡镇分管负责人：']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

interface ImportedItem {
  id: string;
  number: number;
  state: string;
}

async function importLedger(port: number, signer: Signer, campaignId: string, file: Buffer): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = new FormData();
  form.append('file', new Blob([file], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }), 'ledger.xlsx');
  const res = await fetch(`http://127.0.0.1:${port}/api/campaigns/${campaignId}/ledger?submit=true`, {
    method: 'POST',
    headers: { authorization: `Bearer ${signer.token}`, 'x-signing-grant': signer.grant },
    body: form,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** The row limit a 422 names (台账行数超过单次导入上限（N 行）), or null for any other answer. */
function rowLimitOf(answer: { status: number; body: Record<string, unknown> }): number | null {
  if (answer.status !== 422) return null;
  const m = /上限（(\d+) 行）/.exec(String(answer.body.message ?? ''));
  return m ? Number(m[1]) : null;
}

interface ImportResult {
  rows: number;
  files: number;
  rowLimit: number | null;
  firstStatus: number;
  seconds: number;
  /** Seconds of each accepted file. */
  fileSeconds: number[];
  peakRssDuringMb: number;
  hwmAfterMb: number;
  rssBeforeMb: number;
  items: ImportedItem[];
}

/**
 * Imports `rows` rows (numbered from `first`) with submit=true, as one file, or
 * when the service refuses it for its row limit, as files of that limit. Times
 * the uploads only (building the files is not the service's work).
 */
async function importRows(
  port: number,
  signer: Signer,
  campaignId: string,
  pid: number,
  first: number,
  rows: number,
  typeNames: string[],
  deadline: string,
): Promise<ImportResult> {
  const before = memoryOf(pid);
  let peak = before.rssMb;
  const sampler = setInterval(() => (peak = Math.max(peak, memoryOf(pid).rssMb)), 25);
  try {
    const items: ImportedItem[] = [];
    let seconds = 0;
    const fileSeconds: number[] = [];
    const upload = async (from: number, count: number) => {
      const file = await ledgerFile(from, count, typeNames, deadline);
      const started = process.hrtime.bigint();
      const answer = await importLedger(port, signer, campaignId, file);
      const took = Number(process.hrtime.bigint() - started) / 1e9;
      seconds += took;
      if (answer.status === 200) fileSeconds.push(round(took, 2));
      return answer;
    };
    const whole = await upload(first, rows);
    let files = 1;
    const rowLimit = rowLimitOf(whole);
    if (whole.status === 200) {
      items.push(...(whole.body.items as ImportedItem[]));
    } else if (rowLimit !== null) {
      console.log(
        `  the service refused ${rows} rows in one file (422, limit ${rowLimit} rows): importing ${Math.ceil(rows / rowLimit)} files of up to ${rowLimit} rows`,
      );
      seconds = 0; // the refused upload is reported as firstStatus, not counted in the time
      files = 0;
      for (let from = first; from < first + rows; from += rowLimit) {
        const part = await upload(from, Math.min(rowLimit, first + rows - from));
        if (part.status !== 200) throw new Error(`ledger import answered ${part.status}: ${JSON.stringify(part.body).slice(0, 500)}`);
        items.push(...(part.body.items as ImportedItem[]));
        files++;
      }
    } else {
      throw new Error(`ledger import answered ${whole.status}: ${JSON.stringify(whole.body).slice(0, 500)}`);
    }
    const after = memoryOf(pid);
    return {
      rows,
      files,
      rowLimit,
      firstStatus: whole.status,
      seconds,
      fileSeconds,
      peakRssDuringMb: Math.max(peak, after.rssMb),
      hwmAfterMb: after.hwmMb,
      rssBeforeMb: before.rssMb,
      items,
    };
  } finally {
    clearInterval(sampler);
  }
}

// ------------------------------------------------------------------ sign-off over HTTP

interface HttpRun {
  clients: number;
  requests: number;
  ok: number;
  errors: Record<string, number>;
  seconds: number;
  perSecond: number;
  latencyMs: ReturnType<typeof latencySummary>;
  serverCpuSeconds: number;
  okIds: string[];
  failedIds: string[];
}

/**
 * Confirms every item once, `clients` requests in flight at a time, each client on its own keep-alive
 * connection and its own session of `username` with its signing grant (signed in before the clock starts).
 */
async function confirmAll(http: Http, username: string, ids: string[], clients: number, body: string, pid: number, tag: string): Promise<HttpRun> {
  const signers = await Promise.all(Array.from({ length: clients }, () => signIn(http, username)));
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  const okIds: string[] = [];
  const failedIds: string[] = [];
  let next = 0;
  const cpuBefore = cpuSecondsOf(pid);
  const started = process.hrtime.bigint();
  const worker = async (signer: Signer) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const client = new Http(http.port, agent);
    try {
      while (next < ids.length) {
        const i = next++;
        const id = ids[i];
        const t0 = process.hrtime.bigint();
        let answer: Answer;
        try {
          const headers: Record<string, string> = { 'x-signing-grant': signer.grant };
          if (IDEMPOTENCY) headers['idempotency-key'] = `bench-${tag}-${i}`;
          answer = await client.call('POST', `/api/items/${id}/events`, signer.token, body, headers);
        } catch (e) {
          answer = { status: 0, body: JSON.stringify({ code: e instanceof Error ? e.message : String(e) }) };
        }
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (answer.status >= 200 && answer.status < 300) {
          okIds.push(id);
        } else {
          failedIds.push(id);
          let code = '';
          try {
            code = String((JSON.parse(answer.body) as { code?: string }).code ?? '');
          } catch {
            code = answer.body.slice(0, 40);
          }
          const key = `${answer.status} ${code}`.trim();
          errors[key] = (errors[key] ?? 0) + 1;
        }
      }
    } finally {
      agent.destroy();
    }
  };
  await Promise.all(signers.map(worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    clients,
    requests: ids.length,
    ok: okIds.length,
    errors,
    seconds: round(seconds, 2),
    perSecond: round(okIds.length / seconds),
    latencyMs: latencySummary(latencies),
    serverCpuSeconds: round(cpuSecondsOf(pid) - cpuBefore, 2),
    okIds,
    failedIds,
  };
}

interface SignatureCheck {
  signaturesForAccepted: number;
  itemsWithOneSignature: number;
  signaturesForFailed: number;
  rectifying: number;
  ok: boolean;
}

/** One CONFIRM signature per accepted request, none for a failed one, every accepted item rectifying. */
async function checkSignatures(db: Client, run: HttpRun): Promise<SignatureCheck> {
  const count = async (ids: string[]) =>
    (
      await db.query<{ n: string; items: string; once: string }>(
        `SELECT count(*) AS n, count(DISTINCT subject_id) AS items,
                (SELECT count(*) FROM (SELECT subject_id FROM signatures WHERE subject_id = ANY($1::uuid[]) AND event_type = 'CONFIRM' GROUP BY subject_id HAVING count(*) = 1) x) AS once
         FROM signatures WHERE subject_id = ANY($1::uuid[]) AND event_type = 'CONFIRM'`,
        [ids],
      )
    ).rows[0];
  const accepted = await count(run.okIds);
  const failed = await count(run.failedIds);
  const rectifying = Number(
    (await db.query<{ n: string }>(`SELECT count(*) AS n FROM problem_items WHERE id = ANY($1::uuid[]) AND state = 'rectifying'`, [run.okIds])).rows[0].n,
  );
  const check = {
    signaturesForAccepted: Number(accepted.n),
    itemsWithOneSignature: Number(accepted.once),
    signaturesForFailed: Number(failed.n),
    rectifying,
    ok: false,
  };
  check.ok = check.signaturesForAccepted === run.ok && check.itemsWithOneSignature === run.ok && check.signaturesForFailed === 0 && rectifying === run.ok;
  return check;
}

// ------------------------------------------------------------------ pgbench

interface PgbenchRun {
  clients: number;
  threads: number;
  seconds: number;
  transactions: number;
  failed: number;
  tps: number;
  latencyAverageMs: number;
  latencyMs: ReturnType<typeof latencySummary>;
  signaturesWritten: number;
  ok: boolean;
}

async function runPgbench(
  dbName: string,
  db: Client,
  clients: number,
  level: { lo: number; count: number; ids: string[] },
  vars: Record<string, string>,
): Promise<PgbenchRun> {
  const url = new URL(ADMIN_URL);
  const threads = Math.min(clients, availableParallelism());
  const part = Math.floor(level.count / clients);
  const logDir = mkdtempSync(join(tmpdir(), 'qingling-pgbench-'));
  const defines = { ...vars, lo: String(level.lo), part: String(part) };
  const args = [
    '-h',
    url.hostname,
    '-p',
    url.port || '5432',
    '-U',
    decodeURIComponent(url.username || 'postgres'),
    '-n',
    '-M',
    'extended',
    '-c',
    String(clients),
    '-j',
    String(threads),
    '-T',
    String(PGBENCH_SECONDS),
    '-f',
    PGBENCH_SCRIPT,
    '-l',
    '--log-prefix',
    join(logDir, 'tx'),
    ...Object.entries(defines).flatMap(([k, v]) => ['-D', `${k}=${v}`]),
    dbName,
  ];
  const before = Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM signatures WHERE comment = 'pgbench'`)).rows[0].n);
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn('pgbench', args, { env: { ...env, ...(url.password ? { PGPASSWORD: decodeURIComponent(url.password) } : {}) } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`pgbench exited with ${code}:\n${stderr}\n${stdout}`))));
  });
  const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? NaN);
  const latencies: number[] = [];
  for (const f of readdirSync(logDir)) {
    for (const line of readFileSync(join(logDir, f), 'utf8').split('\n')) {
      const fields = line.split(' ');
      if (fields.length >= 6 && fields[2] !== 'failed' && fields[2] !== 'skipped') latencies.push(Number(fields[2]) / 1000);
    }
  }
  rmSync(logDir, { recursive: true, force: true });
  const after = Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM signatures WHERE comment = 'pgbench'`)).rows[0].n);
  const transactions = num(/number of transactions actually processed: (\d+)/);
  const failed = num(/number of failed transactions: (\d+)/) || 0;
  return {
    clients,
    threads,
    seconds: PGBENCH_SECONDS,
    transactions,
    failed,
    tps: round(num(/tps = ([\d.]+) \(without initial connection time\)/)),
    latencyAverageMs: round(num(/latency average = ([\d.]+) ms/), 3),
    latencyMs: latencySummary(latencies),
    signaturesWritten: after - before,
    ok: failed === 0 && after - before === transactions,
  };
}

// ------------------------------------------------------------------ main

async function main(): Promise<void> {
  mkdirSync(OUT_DIR, { recursive: true });
  const started = Date.now();
  const host = machine();
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const dbName = `qingling_bench_${stamp}`;
  const url = databaseUrl(dbName);
  const needed = WARMUP + LEVELS.length * PER_LEVEL;
  console.log(
    `sign-off bench: database ${dbName}; levels ${LEVELS.join(', ')} clients × ${PER_LEVEL} items, pgbench ${PGBENCH_SECONDS} s each; import ${IMPORT_ROWS} rows`,
  );
  console.log(
    `  machine: ${host.nproc} × ${host.cpu}, ${host.memoryGb} GB, Node ${host.node}; commit ${host.commit}${host.workingTreeClean ? '' : ' (working tree modified)'}`,
  );

  await adminQuery(`CREATE DATABASE "${dbName}"`);
  let service: ChildProcess | null = null;
  const db = new Client({ connectionString: url });
  let dbConnected = false;
  try {
    const port = await freePort();
    const t0 = Date.now();
    // Each level signs in its clients anew (login and signing grant); a level outlasting the default 5-minute grant must not fail.
    service = await startService(url, port, join(OUT_DIR, 'uploads'), { LOGIN_RATE_LIMIT: '100000', SIGNING_GRANT_MINUTES: '60' });
    const pid = service.pid!;
    const startSeconds = (Date.now() - t0) / 1000;
    await db.connect();
    dbConnected = true;
    const postgres = (await db.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0].v;
    console.log(`  service ready in ${startSeconds.toFixed(1)} s (migrations and demo county); PostgreSQL ${postgres}`);

    const http = new Http(port);
    const cadre = await login(http, 'cadre');
    const leader = await login(http, 'leader');
    const campaigns = await http.json<Array<{ id: string; state: string; problemTypes: ProblemType[] }>>('GET', '/api/campaigns', leader.token);
    const campaign = campaigns.find((c) => c.state === 'running') ?? campaigns[0];
    if (!campaign) throw new Error('no campaign: was the demo county loaded?');
    const typeNames = leaves(campaign.problemTypes);
    const deadline = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);

    // 1. Ledger import (also prepares the pending_review items of the sign-off part).
    const imported = await importRows(
      port,
      { token: cadre.token, grant: await signingGrant(http, cadre.token) },
      campaign.id,
      pid,
      1,
      IMPORT_ROWS,
      typeNames,
      deadline,
    );
    const importSummary = {
      rows: imported.rows,
      files: imported.files,
      rowLimit: imported.rowLimit,
      firstStatus: imported.firstStatus,
      created: imported.items.length,
      pendingReview: imported.items.filter((i) => i.state === 'pending_review').length,
      seconds: round(imported.seconds, 2),
      fileSeconds: imported.fileSeconds,
      rowsPerSecond: round(imported.rows / imported.seconds),
      service: {
        rssBeforeMb: Math.round(imported.rssBeforeMb),
        peakRssDuringMb: Math.round(imported.peakRssDuringMb),
        peakRssLifetimeMb: Math.round(imported.hwmAfterMb),
      },
    };
    console.log(
      `  ledger import: ${importSummary.rows} rows with submit=true in ${importSummary.seconds} s (${importSummary.rowsPerSecond} rows/s, ${importSummary.files} file${importSummary.files === 1 ? '' : 's'}), ` +
        `${importSummary.pendingReview} pending_review; service RSS ${importSummary.service.rssBeforeMb} MB before, peak ${importSummary.service.peakRssLifetimeMb} MB (VmHWM)`,
    );

    // Top up the pool when the import gave fewer items than the sign-off part needs (not timed).
    const pool = imported.items.filter((i) => i.state === 'pending_review');
    if (pool.length < needed) {
      const signer = { token: cadre.token, grant: await signingGrant(http, cadre.token) };
      const extra = await importRows(port, signer, campaign.id, pid, IMPORT_ROWS + 1, needed - pool.length, typeNames, deadline);
      pool.push(...extra.items.filter((i) => i.state === 'pending_review'));
    }
    pool.sort((a, b) => a.number - b.number);
    await db.query('ANALYZE');

    // 2 and 3. Sign-off over HTTP, then pgbench on the same items, per level.
    const confirmBody = JSON.stringify({ type: 'CONFIRM', measures: '联系帮扶责任人入户核实，补齐走访记录并落实帮扶措施', rectifierId: cadre.me.id, deadline });
    const pgbenchVars = {
      campaign: campaign.id,
      payload: JSON.stringify({ measures: '联系帮扶责任人入户核实，补齐走访记录并落实帮扶措施', rectifierId: cadre.me.id, deadline }),
      measures: '联系帮扶责任人入户核实，补齐走访记录并落实帮扶措施',
      rectifier_id: cadre.me.id,
      deadline,
      signer_id: leader.me.id,
      signer_name: leader.me.displayName,
      signer_org_unit_id: leader.me.orgUnit.id,
      signer_org_unit_name: leader.me.orgUnit.name,
      hash: randomBytes(32).toString('hex'),
    };
    let offset = 0;
    const take = (n: number) => pool.slice(offset, (offset += n));

    const warmItems = take(WARMUP);
    const warm = await confirmAll(
      http,
      'leader',
      warmItems.map((i) => i.id),
      4,
      confirmBody,
      pid,
      'warmup',
    );
    const warmCheck = await checkSignatures(db, warm);
    console.log(`  warm-up: ${warm.ok}/${warm.requests} at 4 clients, ${warm.perSecond}/s; signatures ${warmCheck.ok ? 'ok' : 'MISMATCH'}`);

    const levels: Array<{
      clients: number;
      http: Omit<HttpRun, 'okIds' | 'failedIds'>;
      signatures: SignatureCheck;
      pgbench: PgbenchRun;
      ratio: number;
      serverCpuMsPerTransition: number;
    }> = [];
    for (const clients of LEVELS) {
      const items = take(PER_LEVEL);
      const numbers = items.map((i) => i.number);
      const lo = Math.min(...numbers);
      if (Math.max(...numbers) - lo + 1 !== items.length)
        throw new Error(`the items of level ${clients} are not numbered contiguously; pgbench addresses them by number`);
      const run = await confirmAll(
        http,
        'leader',
        items.map((i) => i.id),
        clients,
        confirmBody,
        pid,
        `c${clients}`,
      );
      const signatures = await checkSignatures(db, run);
      const pg = await runPgbench(dbName, db, clients, { lo, count: items.length, ids: items.map((i) => i.id) }, pgbenchVars);
      const { okIds: _ok, failedIds: _failed, ...httpRun } = run;
      const level = {
        clients,
        http: httpRun,
        signatures,
        pgbench: pg,
        ratio: round(run.perSecond / pg.tps, 3),
        serverCpuMsPerTransition: round((run.serverCpuSeconds * 1000) / Math.max(1, run.ok), 2),
      };
      levels.push(level);
      const errs =
        Object.entries(run.errors)
          .map(([k, v]) => `${v}× ${k}`)
          .join(', ') || 'none';
      console.log(
        `  ${String(clients).padStart(2)} clients: HTTP ${run.perSecond}/s (${run.ok}/${run.requests} ok in ${run.seconds} s), p50 ${run.latencyMs.p50} / p95 ${run.latencyMs.p95} / p99 ${run.latencyMs.p99} ms; errors: ${errs}; ` +
          `server CPU ${level.serverCpuMsPerTransition} ms/transition`,
      );
      console.log(
        `             pgbench ${pg.tps} tps (${pg.transactions} tx, ${pg.failed} failed), latency avg ${pg.latencyAverageMs} ms, p50 ${pg.latencyMs.p50} / p95 ${pg.latencyMs.p95} / p99 ${pg.latencyMs.p99} ms; ` +
          `HTTP/pgbench ${(level.ratio * 100).toFixed(1)}%`,
      );
      console.log(
        `             signatures: ${signatures.signaturesForAccepted} for ${run.ok} accepted requests (${signatures.itemsWithOneSignature} items with exactly one), ${signatures.signaturesForFailed} for failed ones, ${signatures.rectifying} rectifying — ${signatures.ok ? 'ok' : 'MISMATCH'}; pgbench wrote ${pg.signaturesWritten} for ${pg.transactions} tx`,
      );
    }

    const at = (c: number) => levels.find((l) => l.clients === c);
    const targets = {
      ratioAt16: { target: `>= ${TARGETS.ratioAt16 * 100}% of pgbench`, value: at(16)?.ratio ?? null, met: (at(16)?.ratio ?? 0) >= TARGETS.ratioAt16 },
      p99At16Ms: {
        target: `< ${TARGETS.p99At16Ms} ms`,
        value: at(16)?.http.latencyMs.p99 ?? null,
        met: (at(16)?.http.latencyMs.p99 ?? Infinity) < TARGETS.p99At16Ms,
      },
      p50At1Ms: {
        target: `< ${TARGETS.p50At1Ms} ms`,
        value: at(1)?.http.latencyMs.p50 ?? null,
        met: (at(1)?.http.latencyMs.p50 ?? Infinity) < TARGETS.p50At1Ms,
      },
      importSeconds: {
        target: `< ${TARGETS.importSeconds} s in one file`,
        value: importSummary.seconds,
        met: importSummary.files === 1 && importSummary.seconds < TARGETS.importSeconds,
      },
      importPeakMb: {
        target: `< ${TARGETS.importPeakMb} MB`,
        value: importSummary.service.peakRssLifetimeMb,
        met: importSummary.service.peakRssLifetimeMb < TARGETS.importPeakMb,
      },
    };
    const checksOk =
      warmCheck.ok &&
      levels.every((l) => l.signatures.ok && l.http.ok === l.http.requests && l.pgbench.ok) &&
      importSummary.pendingReview === importSummary.rows;
    const result = {
      machine: { ...host, postgres },
      database: dbName,
      settings: {
        levels: LEVELS,
        itemsPerLevel: PER_LEVEL,
        warmup: WARMUP,
        pgbenchSeconds: PGBENCH_SECONDS,
        importRows: IMPORT_ROWS,
        idempotencyKey: IDEMPOTENCY,
      },
      serviceStartSeconds: round(startSeconds, 1),
      import: importSummary,
      warmup: { ...(({ okIds: _o, failedIds: _f, ...r }) => r)(warm), signatures: warmCheck },
      levels,
      service: { peakRssLifetimeMb: Math.round(memoryOf(pid).hwmMb) },
      targets,
      checksOk,
      totalSeconds: round((Date.now() - started) / 1000),
    };
    writeFileSync(join(OUT_DIR, 'signoff.json'), JSON.stringify(result, null, 2));
    for (const [name, t] of Object.entries(targets)) console.log(`  target ${name} ${t.target}: ${t.value} — ${t.met ? 'met' : 'MISSED'}`);
    const allMet = Object.values(targets).every((t) => t.met);
    console.log(`  checks ${checksOk ? 'ok' : 'FAILED'}; ${allMet ? 'PASS' : 'FAIL'} (bench/out/signoff.json; ${result.totalSeconds} s in all)`);
    process.exitCode = checksOk && allMet ? 0 : 1;
  } finally {
    if (dbConnected) await db.end();
    if (service && service.exitCode === null) {
      service.kill('SIGTERM');
      await new Promise((resolve) => service!.once('exit', resolve));
    }
    if (env.BENCH_KEEP_DB === '1') console.log(`  kept database ${dbName}`);
    else await adminQuery(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
