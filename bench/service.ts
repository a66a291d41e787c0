import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/**
 * What the benchmarks share: the built service started as its own process (so
 * client and server never share an event loop), a free port, and the
 * process's memory as the kernel counts it.
 */
const MAIN = join(__dirname, '..', 'src', 'main.js');

export interface Memory {
  rssMb: number;
  /** Peak resident memory so far (VmHWM). */
  hwmMb: number;
}

export function memoryOf(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** The keys the service seals and encrypts with, passed on when set, so that rows a bench writes itself (bench:seed) are what the service reads. */
const KEY_VARIABLES = [
  'CHAIN_KEY',
  'CHAIN_KEY_ID',
  'CHAIN_KEYS_RETIRED',
  'ID_ENCRYPTION_KEY',
  'ID_ENCRYPTION_KEY_ID',
  'ID_ENCRYPTION_KEYS_RETIRED',
  'ID_INDEX_KEY',
];

export function serviceKeyEnv(): Record<string, string> {
  return Object.fromEntries(KEY_VARIABLES.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]!]));
}

/** Starts dist/src/main.js on `databaseUrl` with the demo county; resolves once it prints that it is ready. */
export function startService(databaseUrl: string, port: number, uploadDir: string, extraEnv: Record<string, string> = {}): Promise<ChildProcess> {
  // BENCH_NODE_ARGS: flags for the service's node, e.g. `--cpu-prof --cpu-prof-dir=bench/out/profile` to profile it.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: databaseUrl,
      DEMO_DATA: 'true',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      JWT_SECRET: randomBytes(32).toString('hex'),
      UPLOAD_DIR: uploadDir,
      ...serviceKeyEnv(),
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    // The first start on a large seeded database writes the daily anchors of every link: BENCH_START_TIMEOUT_S.
    const seconds = Number(process.env.BENCH_START_TIMEOUT_S ?? 120);
    const timer = setTimeout(() => reject(new Error(`service did not start within ${seconds} s`)), seconds * 1000);
    child.once('exit', (code) => reject(new Error(`service exited with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready on')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
  });
}
