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
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 16 });
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

/** External server when a URL is given, embedded PGlite otherwise. */
export async function openDatabase(databaseUrl: string | undefined, pgliteDataDir: string): Promise<RunningDatabase> {
  if (databaseUrl) return { url: databaseUrl, stop: async () => undefined };
  return startEmbeddedPostgres(pgliteDataDir);
}
