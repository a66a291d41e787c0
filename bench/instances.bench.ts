/**
 * Two instances against one: signed CONFIRMs over HTTP at BENCH_CLIENTS
 * concurrent clients (default 16), first all on one service process, then
 * split evenly over two service processes on the same database.
 *
 *   npm run bench:instances
 *   BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres BENCH_ITEMS=1500 npm run bench:instances
 *
 * Creates its own database (qingling_bench_inst_<timestamp>) on BENCH_PG_URL's
 * server, starts `node dist/src/main.js` on it (migrations, demo county), then
 * a second one on the same database with the same JWT_SECRET and keys (the
 * first's tokens are good on the second: the service keeps no session of its
 * own). The village cadre files and signs 2 × BENCH_ITEMS items (not timed);
 * the township leader then confirms BENCH_ITEMS of them through one instance
 * and the other BENCH_ITEMS through both, each client with its own session and
 * signing grant, on the instance it is assigned to. After each run the
 * database is checked: exactly one CONFIRM signature per accepted request.
 * Output: a summary on stdout and bench/out/instances.json. Never part of
 * `npm test`; the figures go to bench/README.md by hand.
 */
import 'reflect-metadata';
import { type ChildProcess, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { type Answer, Http, percentile } from './http';
import { freePort, startService } from './service';

const ROOT = join(__dirname, '..', '..');
const OUT_DIR = join(ROOT, 'bench', 'out');
const ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const ITEMS = Number(process.env.BENCH_ITEMS ?? 1500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const PASSWORD = 'Demo@2021';

function call(
  port: number,
  agent: Agent,
  method: string,
  path: string,
  token: string | null,
  body?: object,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return new Http(port, agent).call(method, path, token, body === undefined ? undefined : JSON.stringify(body), headers);
}

function json<T>(port: number, agent: Agent, method: string, path: string, token: string | null, body?: object, headers?: Record<string, string>): Promise<T> {
  return new Http(port, agent).json<T>(method, path, token, body, headers);
}

interface Signer {
  port: number;
  token: string;
  grant: string;
}

async function signIn(port: number, username: string): Promise<Signer> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const { accessToken } = await json<{ accessToken: string }>(port, agent, 'POST', '/api/auth/login', null, { username, password: PASSWORD });
  const { grant } = await json<{ grant: string }>(port, agent, 'POST', '/api/auth/signing-grant', accessToken, { password: PASSWORD });
  agent.destroy();
  return { port, token: accessToken, grant };
}

/** Runs `task` over `ids` with one worker per signer (one keep-alive connection each); answers throughput and latencies. */
async function run(signers: Signer[], ids: string[], task: (s: Signer, agent: Agent, id: string) => Promise<Answer>) {
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  let ok = 0;
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    signers.map(async (s) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      while (next < ids.length) {
        const id = ids[next++];
        const t0 = process.hrtime.bigint();
        const res = await task(s, agent, id);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (res.status >= 200 && res.status < 300) ok++;
        else errors[String(res.status)] = (errors[String(res.status)] ?? 0) + 1;
      }
      agent.destroy();
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  const r = (x: number) => Number(x.toFixed(1));
  return {
    requests: ids.length,
    ok,
    errors,
    seconds: r(seconds),
    perSecond: r(ok / seconds),
    p50: r(percentile(latencies, 50)),
    p95: r(percentile(latencies, 95)),
    p99: r(percentile(latencies, 99)),
  };
}

async function main(): Promise<void> {
  mkdirSync(OUT_DIR, { recursive: true });
  const git = (...args: string[]) => spawnSync('git', ['-C', ROOT, ...args], { encoding: 'utf8' }).stdout?.trim() ?? '';
  const host = {
    nproc: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGb: Number((totalmem() / 1024 ** 3).toFixed(1)),
    node: process.version,
    commit: git('rev-parse', '--short', 'HEAD'),
    date: new Date().toISOString(),
  };
  const name = `qingling_bench_inst_${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const services: ChildProcess[] = [];
  const db = new Client({ connectionString: url.toString() });
  try {
    // Everything every instance must share comes from configuration.
    const shared = {
      JWT_SECRET: randomBytes(32).toString('hex'),
      CHAIN_KEY: randomBytes(32).toString('hex'),
      ID_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      ID_INDEX_KEY: randomBytes(32).toString('hex'),
      LOGIN_RATE_LIMIT: '100000',
      SIGNING_GRANT_MINUTES: '60',
    };
    const ports = [await freePort(), await freePort()];
    // The second starts once the first has migrated and loaded the demo county.
    services.push(await startService(url.toString(), ports[0], join(OUT_DIR, 'uploads'), shared));
    services.push(await startService(url.toString(), ports[1], join(OUT_DIR, 'uploads'), shared));
    await db.connect();
    console.log(`instances bench: ${CLIENTS} clients, ${ITEMS} CONFIRMs per run; ${host.nproc} × ${host.cpu}, Node ${host.node}, commit ${host.commit}`);

    const agent = new Agent({ keepAlive: true, maxSockets: 32 });
    const cadre = await signIn(ports[0], 'cadre');
    const me = await json<{ id: string; orgUnit: { id: string } }>(ports[0], agent, 'GET', '/api/auth/me', cadre.token);
    const campaigns = await json<Array<{ id: string; state: string }>>(ports[0], agent, 'GET', '/api/campaigns', cadre.token);
    const campaign = campaigns.find((c) => c.state === 'running') ?? campaigns[0];
    // Items filed and signed by the cadre through both instances (not timed).
    const cadres = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => signIn(ports[i % 2], 'cadre')));
    const slots = Array.from({ length: 2 * ROUNDS * ITEMS }, (_, i) => String(i));
    const ids: string[] = [];
    const filed = await run(cadres, slots, async (s, a, n) => {
      const item = await call(s.port, a, 'POST', '/api/items', s.token, {
        campaignId: campaign.id,
        orgUnitId: me.orgUnit.id,
        problemTypeCode: 'HQ-01',
        description: `两实例基准问题${n}`,
      });
      if (item.status !== 201) return item;
      const id = (JSON.parse(item.body) as { id: string }).id;
      const submitted = await call(s.port, a, 'POST', `/api/items/${id}/events`, s.token, { type: 'SUBMIT' }, { 'x-signing-grant': s.grant });
      if (submitted.status === 200) ids.push(id);
      return submitted;
    });
    if (ids.length !== slots.length) throw new Error(`filing: ${JSON.stringify(filed)}`);
    await db.query('ANALYZE');

    const deadline = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const confirm = { type: 'CONFIRM', measures: '入户核实并落实帮扶措施', rectifierId: me.id, deadline };
    const confirmTask = (s: Signer, a: Agent, id: string) =>
      call(s.port, a, 'POST', `/api/items/${id}/events`, s.token, confirm, { 'x-signing-grant': s.grant, 'idempotency-key': `bench-${id}` });
    const once = async (part: string[]) =>
      (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM signatures WHERE subject_id = ANY($1::uuid[]) AND event_type = 'CONFIRM'`, [part])).rows[0]
        .n;

    // Rounds alternate one instance and two, so that drift in the machine's load weighs on both alike.
    const runs: Array<{ instances: number; loadAverage: number } & Awaited<ReturnType<typeof run>> & { signatures: number }> = [];
    for (let round = 0; round < 2 * ROUNDS; round++) {
      const instances = (round % 2) + 1;
      const part = ids.slice(round * ITEMS, (round + 1) * ITEMS);
      const signers = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => signIn(ports[i % instances], 'leader')));
      const r = await run(signers, part, confirmTask);
      runs.push({ instances, loadAverage: Number(loadavg()[0].toFixed(1)), ...r, signatures: await once(part) });
    }
    const mean = (n: number) => {
      const of = runs.filter((r) => r.instances === n);
      return Number((of.reduce((sum, r) => sum + r.perSecond, 0) / of.length).toFixed(1));
    };
    const result = { host, clients: CLIENTS, items: ITEMS, rounds: ROUNDS, runs, meanPerSecond: { one: mean(1), two: mean(2) } };
    writeFileSync(join(OUT_DIR, 'instances.json'), JSON.stringify(result, null, 2));
    for (const r of runs)
      console.log(
        `  ${r.instances === 1 ? 'one instance ' : 'two instances'}: ${r.perSecond} CONFIRM/s, p50 ${r.p50} ms, p95 ${r.p95} ms, p99 ${r.p99} ms; ` +
          `${r.ok}/${r.requests} accepted, ${r.signatures} signatures; load average ${r.loadAverage}`,
      );
    console.log(`  mean: one ${mean(1)}/s, two ${mean(2)}/s, two / one ${(mean(2) / mean(1)).toFixed(2)}`);
    if (runs.some((r) => r.signatures !== r.ok || r.ok !== ITEMS)) {
      console.error('check failed: every CONFIRM accepted once, one signature each');
      process.exitCode = 1;
    }
  } finally {
    for (const s of services) s.kill('SIGTERM');
    await db.end().catch(() => undefined);
    if (process.env.BENCH_KEEP_DB !== '1') await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
