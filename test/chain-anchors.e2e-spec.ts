import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AuditService } from '../src/audit/audit.service';
import { sealLegacyAuditEvents, verifyAuditEvents } from '../src/audit/audit-integrity';
import { writeAnchors } from '../src/signatures/chain-audit';
import { ChainKeys } from '../src/signatures/chain-keys';
import { verifyCommand } from '../src/signatures/verify';
import { rebuildTallies } from '../src/reports/report-tally-rebuild';
import { createTestApp, TEST_CHAIN_KEY, TestApp } from './app';
import { bearer, createDraft, rectificationCampaign, itemEvent, tamperWith, verifyItemChain } from './factories';

/**
 * Daily anchors and `npm run verify`: a rollback that keeps every chain
 * consistent (last link deleted, the row's head and state moved back with
 * it) passes per-item verification, but not the day's anchor; an anchor
 * file filed by the county catches an anchor deleted from the database.
 */
describe('daily anchors and the verify command', () => {
  let t: TestApp;
  let cid: string;
  let db: Client;
  const env = () => ({ DATABASE_URL: t.databaseUrl, CHAIN_KEY: TEST_CHAIN_KEY, CHAIN_KEY_ID: 'test-1', LOG_LEVEL: 'silent' });
  /** Anchors written as the hourly job would two days from now: today is over. */
  const anchorNow = () => writeAnchors((sql, p) => t.app.get(DataSource).query(sql, p), t.app.get(ChainKeys), new Date(Date.now() + 2 * 86_400_000));

  beforeAll(async () => {
    t = await createTestApp();
    cid = await rectificationCampaign(t, '锚点');
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  const ev = (user: string, id: string, body: Record<string, unknown>) => itemEvent(t, user, id, body);
  const verify = (id: string) => verifyItemChain(t, id);
  const tamper = (...statements: Array<[string, unknown[]]>) => tamperWith(db, ...statements);

  /** Closed in three signed steps before the day's anchor was written (the anchor covers today as if it were over). */
  let closed: string;

  it('an untouched record verifies; the anchors are listed and exported as a sealed file', async () => {
    const draft = await createDraft(t, cid, { description: '回滚' });
    await ev('cadre', draft.id, { type: 'SUBMIT', fixedOnSite: true, measures: '当场处理' });
    await ev('leader', draft.id, { type: 'CONFIRM' });
    await ev('leader', draft.id, { type: 'ACCEPT' });
    closed = draft.id;
    // Everyone this file acts as logs in now: a login is audited, and today's anchor is written next.
    for (const user of ['county', 'auditor', 'leader']) await bearer(t, user);
    expect(await anchorNow()).toBeGreaterThanOrEqual(1);
    expect(await anchorNow()).toBe(0);

    const ok = await verifyCommand([], env());
    expect(ok.lines.at(-1)).toBe('every chain, audit event, anchor and report tally holds');
    expect(ok.ok).toBe(true);

    const list = await t.http.get('/api/anchors').set('authorization', await bearer(t, 'county'));
    expect(list.status).toBe(200);
    expect(list.body.length).toBeGreaterThanOrEqual(1);
    expect(list.body[0]).toEqual({
      countyId: t.demo.countyId,
      day: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      links: expect.any(Number),
      digest: expect.stringMatching(/^[0-9a-f]{64}$/),
      auditEvents: expect.any(Number),
      auditDigest: expect.stringMatching(/^[0-9a-f]{64}$/),
      prevSeal: null,
      keyId: 'test-1',
      seal: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const file = await t.http.get('/api/anchors/export').set('authorization', await bearer(t, 'auditor'));
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toMatch(/^text\/plain/);
    expect(file.headers['cache-control']).toBe('no-store');
    expect(file.text).toMatch(/# file-seal test-1 [0-9a-f]{64}\n$/);
  });

  it('a consistent rollback (last link deleted, head and state moved back) passes the item’s check but not the anchor; the CLI names both records and days', async () => {
    const draft = { id: closed };
    const dir = mkdtempSync(join(tmpdir(), 'anchors-'));
    const filed = join(dir, 'anchors.txt');
    writeFileSync(filed, (await t.http.get('/api/anchors/export').set('authorization', await bearer(t, 'county'))).text);
    expect((await verifyCommand(['--anchors', filed], env())).ok).toBe(true);

    const { rows } = await db.query(`SELECT id, hash, state_after FROM signatures WHERE subject_id = $1 ORDER BY seq`, [draft.id]);
    await tamper(
      [`DELETE FROM signatures WHERE id = $1`, [rows[2].id]],
      [`UPDATE problem_items SET chain_seq = 2, chain_head = $2, state = $3, closed_at = NULL WHERE id = $1`, [draft.id, rows[1].hash, rows[1].state_after]],
    );
    // Consistent to the end: the report tallies (which would betray the deleted link) rebuilt from what is left.
    await rebuildTallies((sql, params) => db.query(sql, params as unknown[]).then((r) => r.rows as unknown[]));
    // Each chain on its own still holds…
    expect(await verify(draft.id)).toEqual({ valid: true, length: 2, firstBroken: null });
    // …but the day's anchor does not.
    const out = await verifyCommand([], env());
    expect(out.ok).toBe(false);
    expect(out.lines.filter((l) => l.startsWith('BROKEN'))).toEqual([
      expect.stringMatching(/^BROKEN anchor of county .+: \d{4}-\d{2}-\d{2} 当天的签字与锚点不符/),
    ]);

    // An anchor row deleted to hide it: the filed copy still has it.
    await tamper([`DELETE FROM chain_anchors WHERE county_id = $1`, [t.demo.countyId]]);
    const withFile = await verifyCommand(['--anchors', filed], env());
    expect(withFile.lines.some((l) => /锚点在数据库中不见了/.test(l))).toBe(true);
    // A filed copy edited by hand is refused as a whole.
    writeFileSync(filed, readFileSync(filed, 'utf8').replace(/ (\d+) ([0-9a-f]{64})/, ' 999 $2'));
    await expect(verifyCommand(['--anchors', filed], env())).rejects.toThrow(/锚点文件的签名不符/);
  });

  it('a tampered link is named with its record and link by the CLI; links whose record was deleted are found', async () => {
    const draft = await createDraft(t, cid, { description: 'CLI' });
    const sub = await ev('cadre', draft.id, { type: 'SUBMIT' });
    const other = await createDraft(t, cid, { description: '整条删除' });
    await ev('cadre', other.id, { type: 'SUBMIT' });
    await tamper(
      [`UPDATE signatures SET comment = '篡改' WHERE subject_id = $1 AND seq = 1`, [draft.id]],
      [`DELETE FROM problem_items WHERE id = $1`, [other.id]],
    );
    const out = await verifyCommand([], env());
    expect(out.ok).toBe(false);
    expect(out.lines).toEqual(
      expect.arrayContaining([
        `BROKEN item ${draft.id} (问题 #${sub.number}) at link 1: 签字内容与密钥签名不符 [hash_mismatch]`,
        `BROKEN item ${other.id} (签字所属的记录已不存在) at link 1: 签字所属的记录已被删除 [orphan_links]`,
      ]),
    );
  });

  it('audit events are sealed and append-only: the database refuses changes, and an edit behind its back is named by the CLI', async () => {
    await t.app.get(AuditService).recordWithoutActor(t.demo.countyId, 'test.sealed', 'user', null, { at: new Date() });
    const db2 = new Client({ connectionString: t.databaseUrl });
    await db2.connect();
    try {
      const [row] = (await db2.query(`SELECT id FROM audit_events WHERE seal IS NOT NULL ORDER BY created_at LIMIT 1`)).rows;
      expect(row).toBeDefined();
      await expect(db2.query(`UPDATE audit_events SET action = 'x' WHERE id = $1`, [row.id])).rejects.toThrow(/append-only/);
      await expect(db2.query(`DELETE FROM audit_events WHERE id = $1`, [row.id])).rejects.toThrow(/append-only/);
      await db2.query('BEGIN');
      await expect(db2.query('TRUNCATE audit_events')).rejects.toThrow(/immutable/);
      await db2.query('ROLLBACK');
      // Even a transaction that says it purges may not delete a row younger than six months.
      await db2.query('BEGIN');
      await db2.query(`SET LOCAL qingling.audit_purge = 'on'`);
      await expect(db2.query(`DELETE FROM audit_events WHERE id = $1`, [row.id])).rejects.toThrow(/append-only/);
      await db2.query('ROLLBACK');
    } finally {
      await db2.end();
    }
    const [first] = (await db.query(`SELECT id FROM audit_events ORDER BY created_at LIMIT 1`)).rows;
    await tamper([`UPDATE audit_events SET details = '{"forged": true}' WHERE id = $1`, [first.id]]);
    const out = await verifyCommand([], env());
    expect(out.lines).toEqual(
      expect.arrayContaining([expect.stringMatching(new RegExp(`^BROKEN audit event ${first.id} \\(.+审计记录与其签名不符\\) \\[hash_mismatch\\]$`))]),
    );
  });

  it('only the county office and the auditor read the anchors', async () => {
    expect((await t.http.get('/api/anchors').set('authorization', await bearer(t, 'leader'))).status).toBe(403);
    expect((await t.http.get('/api/anchors?from=2026-02-31x').set('authorization', await bearer(t, 'county'))).status).toBe(400);
  });

  it('rows written before seals are sealed once; the purge removes only rows past retention, and is itself audited', async () => {
    const audit = t.app.get(AuditService);
    const query = (sql: string, p?: unknown[]) => t.app.get(DataSource).query(sql, p);
    // Written by an earlier version: no seal, before sealing began; and one past retention.
    await db.query(
      `INSERT INTO audit_events (county_id, action, subject_type, details, created_at) VALUES
         ($1, 'user.create', 'user', '{}', (SELECT started_at FROM audit_sealing) - interval '1 day'),
         ($1, 'user.create', 'user', '{}', now() - interval '7 months')`,
      [t.demo.countyId],
    );
    expect(await sealLegacyAuditEvents(query, t.app.get(ChainKeys))).toBe(2);
    expect(await sealLegacyAuditEvents(query, t.app.get(ChainKeys))).toBe(0);
    // A row without a seal written after sealing began is not sealed but reported.
    await db.query(`INSERT INTO audit_events (county_id, action, subject_type, details) VALUES ($1, 'forged.row', 'user', '{}')`, [t.demo.countyId]);
    expect(await sealLegacyAuditEvents(query, t.app.get(ChainKeys))).toBe(0);
    expect((await verifyAuditEvents(query, t.app.get(ChainKeys))).problems.map((p) => p.reason)).toContain('unsealed');

    expect(await audit.purge(6)).toBe(1);
    const purges = (await db.query(`SELECT details, seal FROM audit_events WHERE action = 'audit.purge'`)).rows;
    expect(purges).toEqual([{ details: { before: expect.any(String), deleted: 1, retentionMonths: 6 }, seal: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    expect((await db.query(`SELECT count(*)::int AS n FROM audit_events WHERE created_at < now() - interval '6 months'`)).rows[0].n).toBe(0);
    expect(await audit.purge(6)).toBe(0);
  });
});
