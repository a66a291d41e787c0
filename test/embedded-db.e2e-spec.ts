import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';

/**
 * The demo mode's embedded PGlite has no authentication (whoever connects is
 * superuser), so it must be reachable by this OS user only: a Unix socket in
 * a 0700 directory, the socket itself 0600, no TCP port.
 */
describe('embedded PostgreSQL', () => {
  const mode = (path: string) => statSync(path).mode & 0o777;

  async function expectPrivateSocket(url: string): Promise<string> {
    // No TCP host or port: pg reaches it through the socket directory given as `host`.
    const match = /^postgres:\/\/postgres@\/postgres\?host=([^&]+)$/.exec(url);
    expect(match).not.toBeNull();
    const dir = decodeURIComponent(match![1]);
    expect(dir.startsWith('/')).toBe(true);
    expect(mode(dir)).toBe(0o700);
    const socket = join(dir, '.s.PGSQL.5432');
    expect(statSync(socket).isSocket()).toBe(true);
    expect(mode(socket)).toBe(0o600);
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await client.end();
    }
    return dir;
  }

  it('memory:// listens on a socket in a private temporary directory, removed on stop', async () => {
    const db = await startEmbeddedPostgres('memory://');
    let dir: string;
    try {
      dir = await expectPrivateSocket(db.url);
    } finally {
      await db.stop();
    }
    expect(existsSync(dir)).toBe(false);
  });

  it('a data directory holds its own socket, and the directory is made 0700', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'qingling-edb-'));
    const dataDir = join(parent, 'pglite');
    try {
      const db = await startEmbeddedPostgres(dataDir);
      try {
        expect(await expectPrivateSocket(db.url)).toBe(dataDir);
      } finally {
        await db.stop();
      }
      expect(existsSync(join(dataDir, '.s.PGSQL.5432'))).toBe(false);
      // A restart on the same directory (a stale socket file would also be replaced).
      const again = await startEmbeddedPostgres(dataDir);
      await again.stop();
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
