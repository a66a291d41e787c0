/**
 * Province read and sign-off benchmark on a database loaded by bench:seed:
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/qingling_province npm run bench:province
 *   DATABASE_URL=… npm run bench:province -- --seed 100000     # recreate the database and seed it first
 *
 * Starts the service on DATABASE_URL as a child process (no demo data) and,
 * from this process over keep-alive HTTP:
 *
 * 1. Reads, one request at a time after a warm-up, BENCH_READS times each
 *    (default 100; a quarter of that for the reports): the inbox (GET /api/inbox) and a filtered
 *    page of GET /api/items (the campaign, rectifying, overdue, 50 a page)
 *    for a township leader, a village cadre and a county office user of
 *    county 1; GET /api/campaigns/:id/stats, …/series?interval=day (the
 *    90-day campaign) and …/ranking for the county office user.
 * 2. Sign-off: CONFIRM (四项清单, signed with a signing grant) of the pool of
 *    pending items the seed put in county 1's last township (`--pool`), by
 *    its leader at 1 and 4 concurrent clients, each with its own session.
 * 3. Plans: the service restarted with auto_explain (log_analyze, buffers)
 *    for its connections, each read sent once, and the plans PostgreSQL
 *    logged for the database picked from the server log (BENCH_PG_LOG,
 *    default /var/log/postgresql/postgresql-15-main.log) into
 *    bench/out/plans-<items>.txt; any Seq Scan on problem_items or
 *    signatures is reported.
 *
 * Output: a summary on stdout and bench/out/province-<items>.json.
 * Never part of npm test; targets are printed, nothing fails on them.
 */
import 'reflect-metadata';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync, openSync, readSync, closeSync } from 'node:fs';
import { Agent } from 'node:http';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { BENCH_PASSWORD, seed } from './seed';
import { Http, percentile, round } from './http';
import { freePort, memoryOf, startService } from './service';

const ROOT = join(__dirname, '..', '..');
const OUT_DIR = join(ROOT, 'bench', 'out');
const env = process.env;
const READS = Number(env.BENCH_READS ?? 100);
const WARMUP = 10;
const PG_LOG = env.BENCH_PG_LOG ?? '/var/log/postgresql/postgresql-15-main.log';
const LEVELS = (env.BENCH_SIGNOFF_LEVELS ?? '1,4').split(',').filter(Boolean).map(Number);
const PER_LEVEL = Number(env.BENCH_SIGNOFF_ITEMS ?? 400);

function summary(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  return { n: s.length, p50: round(percentile(s, 50), 2), p95: round(percentile(s, 95), 2), p99: round(percentile(s, 99), 2), max: round(s.at(-1) ?? NaN, 2) };
}

async function login(http: Http, username: string): Promise<string> {
  return (await http.json<{ accessToken: string }>('POST', '/api/auth/login', null, { username, password: BENCH_PASSWORD })).accessToken;
}

function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const git = (...args: string[]) => spawnSync('git', ['-C', ROOT, ...args], { encoding: 'utf8' }).stdout?.trim() ?? '';
  return {
    nproc: availableParallelism(),
    cpu: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown',
    memoryGb: round(totalmem() / 1024 ** 3, 1),
    loadAverage: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
    node: process.version,
    commit: git('rev-parse', '--short', 'HEAD') || 'unknown',
    date: new Date().toISOString(),
  };
}

interface Read {
  name: string;
  user: 'leader' | 'cadre' | 'county';
  path: string;
  target: number;
}

async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    return (await db.query(sql, params)).rows as T[];
  } finally {
    await db.end();
  }
}

/** CPU seconds (user + system) a process has used so far; 0 once it is gone. */
function cpuSecondsOf(pid: number): number {
  if (!existsSync(`/proc/${pid}/stat`)) return 0;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

/** CPU seconds of the service and of the PostgreSQL backends serving its database (this host only). */
async function cpuNow(url: string, database: string, servicePid: number): Promise<{ service: number; database: number }> {
  const backends = await query<{ pid: number }>(url, `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [database]);
  return { service: cpuSecondsOf(servicePid), database: backends.reduce((sum, b) => sum + cpuSecondsOf(b.pid), 0) };
}

async function stop(service: ChildProcess): Promise<void> {
  service.kill('SIGTERM');
  await new Promise((resolve) => service.once('exit', resolve));
}

/** The server log from `offset` on: the plans auto_explain logged for `database`, one block each. */
function plansSince(offset: number, database: string): string[] {
  if (!existsSync(PG_LOG)) return [];
  const size = statSync(PG_LOG).size;
  const fd = openSync(PG_LOG, 'r');
  const buf = Buffer.alloc(Math.max(0, size - offset));
  readSync(fd, buf, 0, buf.length, offset);
  closeSync(fd);
  const blocks: string[] = [];
  let current: string[] | null = null;
  for (const line of buf.toString('utf8').split('\n')) {
    if (/^\d{4}-\d\d-\d\d /.test(line)) {
      if (current) blocks.push(current.join('\n'));
      current = line.includes(`@${database} LOG:  duration:`) && line.includes('plan:') ? [line] : null;
    } else if (current) current.push(line);
  }
  if (current) blocks.push(current.join('\n'));
  return blocks;
}

async function main(): Promise<void> {
  const url = env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is required');
  const argv = process.argv.slice(2);
  const seedAt = argv.indexOf('--seed');
  const database = decodeURIComponent(new URL(url).pathname.slice(1));
  let seeded: Awaited<ReturnType<typeof seed>> | null = null;
  if (seedAt >= 0) {
    const items = Number(argv[seedAt + 1]);
    console.log(`seeding ${items} items into ${database}`);
    seeded = await seed(url, { items, counties: 10, townships: 30, villages: 15, pool: PER_LEVEL * LEVELS.length + 50, recreate: true });
    console.log(`  seeded in ${seeded.seconds.total.toFixed(1)} s (${seeded.signatures} signatures)`);
  }
  const [{ items }] = await query<{ items: number }>(url, `SELECT count(*)::int AS items FROM problem_items`);
  const [campaign] = await query<{ id: string; county_id: string; n: number }>(
    url,
    `SELECT c.id, c.county_id, (SELECT count(*)::int FROM problem_items i WHERE i.campaign_id = c.id) AS n
       FROM campaigns c JOIN users u ON u.id = c.created_by_id WHERE u.username = 'c01-county1'`,
  );
  // The sign-off pool is in county 1's last township (bench:seed --pool), away from the users whose reads are measured.
  const [pool1] = await query<{ township: string }>(url, `SELECT max(username) AS township FROM users WHERE username LIKE 'c01-t__-leader'`);
  const poolLeader = pool1.township;
  const poolVillage = poolLeader.replace(/-leader$/, '-v01');
  const [rectifier] = await query<{ id: string }>(url, `SELECT id FROM users WHERE username = $1`, [`${poolVillage}-rectifier`]);
  console.log(`province bench on ${database}: ${items} items; county 1's campaign has ${campaign.n}`);
  mkdirSync(OUT_DIR, { recursive: true });
  const port = await freePort();
  // TOTP only for the security administrator, so that the county office user can be driven without an authenticator (TOTP is checked at login, never per read).
  const extra = { DEMO_DATA: 'false', TOTP_REQUIRED_ROLES: 'security_admin' };
  let service = await startService(url, port, join(OUT_DIR, 'uploads'), extra);
  const http = new Http(port, new Agent({ keepAlive: true, maxSockets: 1 }));
  const tokens = { leader: await login(http, 'c01-t01-leader'), cadre: await login(http, 'c01-t01-v01-cadre'), county: await login(http, 'c01-county1') };
  const c = campaign.id;
  const reads: Read[] = [];
  for (const user of ['leader', 'cadre', 'county'] as const) {
    reads.push({ name: `inbox (${user})`, user, path: '/api/inbox', target: 30 });
    reads.push({ name: `items filtered (${user})`, user, path: `/api/items?campaignId=${c}&state=rectifying&overdue=true&limit=50`, target: 30 });
    reads.push({ name: `items first page (${user})`, user, path: `/api/items?campaignId=${c}&limit=50`, target: 30 });
  }
  reads.push({ name: 'stats (county)', user: 'county', path: `/api/campaigns/${c}/stats`, target: 200 });
  reads.push({ name: 'series 90 days (county)', user: 'county', path: `/api/campaigns/${c}/series?interval=day`, target: 500 });
  reads.push({ name: 'ranking (county)', user: 'county', path: `/api/campaigns/${c}/ranking`, target: 300 });

  // BENCH_ONLY: a regular expression on the read names, to measure some reads again (BENCH_SIGNOFF_LEVELS= skips sign-off).
  if (env.BENCH_ONLY) reads.splice(0, reads.length, ...reads.filter((r) => new RegExp(env.BENCH_ONLY!).test(r.name)));
  const results: Record<string, ReturnType<typeof summary> & { target: number; bytes: number; serviceCpuMs: number; databaseCpuMs: number }> = {};
  try {
    for (const r of reads) {
      const ms: number[] = [];
      let bytes = 0;
      // Reports take a quarter of the samples; a read slower than a second (reports at a million items) ten.
      const first = process.hrtime.bigint();
      await http.call('GET', r.path, tokens[r.user]);
      const slow = Number(process.hrtime.bigint() - first) / 1e6 > 1000;
      const times = slow ? 10 : r.target >= 200 ? Math.max(20, Math.round(READS / 4)) : READS;
      const warmup = slow ? 1 : WARMUP;
      let cpu = { service: 0, database: 0 };
      for (let i = 0; i < warmup + times; i++) {
        if (i === warmup) cpu = await cpuNow(url, database, service.pid!);
        const t0 = process.hrtime.bigint();
        const res = await http.call('GET', r.path, tokens[r.user]);
        const t = Number(process.hrtime.bigint() - t0) / 1e6;
        if (res.status !== 200) throw new Error(`${r.name}: ${res.status} ${res.body.slice(0, 300)}`);
        bytes = res.body.length;
        if (i >= warmup) ms.push(t);
      }
      const cpuAfter = await cpuNow(url, database, service.pid!);
      results[r.name] = {
        ...summary(ms),
        target: r.target,
        bytes,
        // CPU per request: what sizes a larger machine (bench/SCALING.md); latency here includes waiting for the shared cores.
        serviceCpuMs: round(((cpuAfter.service - cpu.service) * 1000) / times, 2),
        databaseCpuMs: round(((cpuAfter.database - cpu.database) * 1000) / times, 2),
      };
      console.log(
        `  ${r.name.padEnd(28)} p50 ${results[r.name].p50} ms, p95 ${results[r.name].p95} ms (target p95 < ${r.target} ms), ${bytes} bytes, CPU per request: service ${results[r.name].serviceCpuMs} ms, database ${results[r.name].databaseCpuMs} ms`,
      );
    }

    // Sign-off: the pool's pending items, highest numbers first, a fresh slice per level.
    const pool = await query<{ id: string }>(
      url,
      `SELECT i.id FROM problem_items i JOIN org_units o ON o.id = i.org_unit_id
        WHERE i.campaign_id = $1 AND i.state = 'pending_review' AND o.path LIKE (SELECT p.path || '%' FROM users u JOIN org_units p ON p.id = u.org_unit_id WHERE u.username = $3)
        ORDER BY i.number DESC LIMIT $2`,
      // The pool's township: its leader confirms the pool and, once that is used up (a second run), the township's own pending items.
      [c, PER_LEVEL * LEVELS.length, poolLeader],
    );
    const signoff: Array<{
      clients: number;
      ok: number;
      errors: Record<string, number>;
      perSecond: number;
      latency: ReturnType<typeof summary>;
      serviceCpuMs: number;
      databaseCpuMs: number;
    }> = [];
    const body = (deadline: string) => JSON.stringify({ type: 'CONFIRM', measures: '落实帮扶措施，限期整改到位', rectifierId: rectifier.id, deadline });
    const deadline = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    let from = 0;
    for (const clients of LEVELS) {
      const ids = pool.slice(from, from + PER_LEVEL).map((r) => r.id);
      from += PER_LEVEL;
      if (ids.length < clients) {
        console.log(`  sign-off at ${clients} clients: only ${ids.length} pending items in the pool (seed with --pool)`);
        continue;
      }
      const signers = await Promise.all(
        Array.from({ length: clients }, async () => {
          const token = await login(http, poolLeader);
          const { grant } = await http.json<{ grant: string }>('POST', '/api/auth/signing-grant', token, { password: BENCH_PASSWORD });
          return { token, grant, http: new Http(port, new Agent({ keepAlive: true, maxSockets: 1 })) };
        }),
      );
      const ms: number[] = [];
      const errors: Record<string, number> = {};
      let next = 0;
      let ok = 0;
      const cpuBefore = await cpuNow(url, database, service.pid!);
      const started = process.hrtime.bigint();
      await Promise.all(
        signers.map(async (s) => {
          while (next < ids.length) {
            const id = ids[next++];
            const t0 = process.hrtime.bigint();
            const res = await s.http.call('POST', `/api/items/${id}/events`, s.token, body(deadline), { 'x-signing-grant': s.grant });
            ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
            if (res.status >= 200 && res.status < 300) ok++;
            else errors[res.status] = (errors[res.status] ?? 0) + 1;
          }
        }),
      );
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const cpuAfter = await cpuNow(url, database, service.pid!);
      const level = {
        clients,
        ok,
        errors,
        perSecond: round(ok / seconds),
        latency: summary(ms),
        serviceCpuMs: round(((cpuAfter.service - cpuBefore.service) * 1000) / Math.max(ok, 1), 2),
        databaseCpuMs: round(((cpuAfter.database - cpuBefore.database) * 1000) / Math.max(ok, 1), 2),
      };
      signoff.push(level);
      console.log(
        `  sign-off CONFIRM at ${clients} clients: ${level.perSecond}/s, p50 ${level.latency.p50} ms, p95 ${level.latency.p95} ms, ${ok} ok, errors ${JSON.stringify(errors)}, CPU per CONFIRM: service ${level.serviceCpuMs} ms, database ${level.databaseCpuMs} ms`,
      );
    }
    const memory = memoryOf(service.pid!);
    await stop(service);

    // Plans: the same reads once each, with auto_explain logging every statement's executed plan.
    let plans: string[] = [];
    let seqScans: string[] = [];
    if (existsSync(PG_LOG)) {
      await query(url, `ALTER DATABASE ${database} SET session_preload_libraries = 'auto_explain'`);
      await query(url, `ALTER DATABASE ${database} SET auto_explain.log_min_duration = 0`);
      await query(url, `ALTER DATABASE ${database} SET auto_explain.log_analyze = on`);
      await query(url, `ALTER DATABASE ${database} SET auto_explain.log_buffers = on`);
      try {
        service = await startService(url, port, join(OUT_DIR, 'uploads'), extra);
        const explained = new Http(port, new Agent({ keepAlive: true, maxSockets: 1 }));
        const t2 = {
          leader: await login(explained, 'c01-t01-leader'),
          cadre: await login(explained, 'c01-t01-v01-cadre'),
          county: await login(explained, 'c01-county1'),
        };
        const out: string[] = [];
        for (const r of reads) {
          await explained.call('GET', r.path, t2[r.user]); // warm the pool's connections and caches
          const offset = existsSync(PG_LOG) ? statSync(PG_LOG).size : 0;
          await explained.call('GET', r.path, t2[r.user]);
          await new Promise((resolve) => setTimeout(resolve, 300));
          const blocks = plansSince(offset, database);
          out.push(`==================== ${r.name}: GET ${r.path} (${blocks.length} statements)\n${blocks.join('\n\n')}`);
          for (const b of blocks) if (/Seq Scan on (problem_items|signatures)\b/.test(b)) seqScans.push(r.name);
        }
        plans = out;
        seqScans = [...new Set(seqScans)];
        await stop(service);
      } finally {
        for (const s of ['session_preload_libraries', 'auto_explain.log_min_duration', 'auto_explain.log_analyze', 'auto_explain.log_buffers']) {
          await query(url, `ALTER DATABASE ${database} RESET ${s}`);
        }
      }
      writeFileSync(join(OUT_DIR, `plans-${items}.txt`), plans.join('\n\n'));
      console.log(`  plans: bench/out/plans-${items}.txt; sequential scans over items or signatures in: ${seqScans.length ? seqScans.join(', ') : 'none'}`);
    } else {
      console.log(`  plans: ${PG_LOG} not found (BENCH_PG_LOG), skipped`);
    }
    const result = {
      items,
      countyItems: campaign.n,
      machine: machine(),
      seeded: seeded?.seconds ?? null,
      reads: results,
      signoff,
      serviceRssMb: round(memory.rssMb),
      seqScans,
    };
    writeFileSync(join(OUT_DIR, `province-${items}.json`), JSON.stringify(result, null, 2));
  } finally {
    if (service.exitCode === null && !service.killed) await stop(service);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
