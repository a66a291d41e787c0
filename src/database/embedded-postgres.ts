import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface RunningDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * Embedded PostgreSQL for `npm start` without DATABASE_URL: PGlite behind a
 * loopback socket server, so the app talks to it through the ordinary `pg`
 * driver exactly as it talks to a real server. The socket server multiplexes
 * connections and keeps a transaction's statements together.
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<RunningDatabase> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  const server = new PGLiteSocketServer({ db: serialiseExtendedQueries(db), host: '127.0.0.1', port: 0, maxConnections: 16 });
  await server.start();
  const address = server.getServerConn();
  return {
    url: `postgres://postgres@${address}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
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
