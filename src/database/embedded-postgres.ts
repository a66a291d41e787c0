import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface RunningDatabase {
  url: string;
  stop(): Promise<void>;
}

/** libpq's socket name for the default port: `pg` finds it from `host` (the directory) alone. */
const SOCKET_NAME = '.s.PGSQL.5432';
/** sun_path holds 108 bytes on Linux (104 on macOS), the terminating NUL included. */
const MAX_SOCKET_PATH = 100;

/**
 * Embedded PostgreSQL for `npm start` without DATABASE_URL: PGlite behind a
 * socket server, so the app talks to it through the ordinary `pg` driver
 * exactly as it talks to a real server. The socket server multiplexes
 * connections and keeps a transaction's statements together.
 *
 * PGlite has no authentication: whoever reaches the socket is superuser. So
 * it is a Unix socket (never TCP) in a directory only this OS user may enter:
 * the data directory (mode 0700, as PostgreSQL itself demands of it), or for
 * `memory://` (or a data directory whose path is too long for a socket) a
 * private temporary directory, removed on stop. The socket file is 0600 too.
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<RunningDatabase> {
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    chmodSync(dataDir, 0o700);
  }
  const ownDir = !inMemory && join(resolve(dataDir), SOCKET_NAME).length <= MAX_SOCKET_PATH;
  // mkdtemp creates the directory 0700 before anything listens in it.
  const socketDir = ownDir ? resolve(dataDir) : mkdtempSync(join(tmpdir(), 'qingling-pg-'));
  const socketPath = join(socketDir, SOCKET_NAME);
  const removeSocketDir = () => {
    if (!ownDir) rmSync(socketDir, { recursive: true, force: true });
  };
  let db: PGlite | undefined;
  try {
    db = await PGlite.create(dataDir);
    // A socket left by a process that died; PGlite itself allows one process per data directory.
    if (ownDir) rmSync(socketPath, { force: true });
    const server = new PGLiteSocketServer({ db: serialiseExtendedQueries(db), path: socketPath, maxConnections: 16 });
    await server.start();
    chmodSync(socketPath, 0o600);
    const pglite = db;
    return {
      url: `postgres://postgres@/postgres?host=${encodeURIComponent(socketDir)}`,
      async stop() {
        await server.stop();
        await pglite.close();
        if (ownDir) rmSync(socketPath, { force: true });
        removeSocketDir();
      },
    };
  } catch (err) {
    await db?.close().catch(() => undefined);
    removeSocketDir();
    throw err;
  }
}

const SYNC = 'S'.charCodeAt(0);
/** Frontend messages of an extended-protocol query that its Sync closes: Parse, Bind, Describe, Execute, Close, Flush. */
const EXTENDED = new Set([...'PBDECH'].map((c) => c.charCodeAt(0)));

/**
 * The socket server queues protocol messages one at a time and keeps one
 * connection's messages together only inside a transaction block. Outside one,
 * an extended-protocol query (Parse, Bind, Execute … Sync: every parameterised
 * query) interleaves with another connection's on PGlite's single session, and
 * runs with the other's statement or parameters. The server sees this view of
 * the database, which reports "in transaction" from a connection's first
 * extended-protocol message to its Sync, so it serves that connection alone.
 */
function serialiseExtendedQueries(db: PGlite): PGlite {
  let open = false;
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'isInTransaction') return () => open || target.isInTransaction();
      if (prop === 'execProtocolRawStream') {
        return (message: Uint8Array, options: Parameters<PGlite['execProtocolRawStream']>[1]) => {
          if (message[0] === SYNC) open = false;
          else if (EXTENDED.has(message[0])) open = true;
          return target.execProtocolRawStream(message, options);
        };
      }
      if (prop === 'exec') {
        // Only called to roll back after a client disconnected mid-transaction (or mid-query).
        return (...args: Parameters<PGlite['exec']>) => {
          open = false;
          return target.exec(...args);
        };
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** External server when a URL is given, embedded PGlite otherwise. */
export async function openDatabase(databaseUrl: string | undefined, pgliteDataDir: string): Promise<RunningDatabase> {
  if (databaseUrl) return { url: databaseUrl, stop: async () => undefined };
  return startEmbeddedPostgres(pgliteDataDir);
}
