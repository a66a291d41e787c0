import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { DEMO_PASSWORD } from '../src/demo/demo-seed.service';
import { verifyCommand } from '../src/signatures/verify';
import { createTestApp, TEST_CHAIN_KEY, TestApp } from './app';
import { createDraft, itemEvent, rectificationCampaign, tamperWith, binaryBody } from './factories';

/**
 * The security events 等保 asks the audit log to hold, each with time, user,
 * org unit, action, target, result, source address and request id, sealed:
 * a login and a failed one, a logout, an access refused, a signature chain
 * that does not verify. The auditor reads them through the API.
 */
describe('audit log: security events with result, source address and org unit', () => {
  let t: TestApp;
  let db: Client;
  const auditor = async () => `Bearer ${await t.token('auditor')}`;
  /** The newest event of `action` (about `subjectId`), as the auditor reads it. */
  const latest = async (action: string, subjectId?: string) =>
    (await t.http.get(`/api/audit-events?action=${action}${subjectId ? `&subjectId=${subjectId}` : ''}`).set('authorization', await auditor())).body[0];

  beforeAll(async () => {
    t = await createTestApp();
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  it('a login and a failed login: who, from where, with which result, under which request id', async () => {
    const ok = await t.http.post('/api/auth/login').set('X-Request-Id', 'req-login-ok-1').send({ username: 'leader', password: DEMO_PASSWORD });
    expect(ok.status).toBe(200);
    const bad = await t.http.post('/api/auth/login').set('X-Request-Id', 'req-login-bad-1').send({ username: 'leader', password: 'Wrong@2021x' });
    expect(bad.status).toBe(401);

    expect(await latest('auth.login', t.demo.userIds.leader)).toEqual(
      expect.objectContaining({
        action: 'auth.login',
        actorId: t.demo.userIds.leader,
        orgUnitId: t.demo.orgUnits.chengguan.id,
        result: 'success',
        sourceIp: expect.stringMatching(/127\.0\.0\.1/),
        requestId: 'req-login-ok-1',
        subjectId: t.demo.userIds.leader,
      }),
    );
    expect(await latest('auth.login_failed', t.demo.userIds.leader)).toEqual(
      expect.objectContaining({
        result: 'failure',
        sourceIp: expect.stringMatching(/127\.0\.0\.1/),
        requestId: 'req-login-bad-1',
        subjectId: t.demo.userIds.leader,
      }),
    );

    // Logging out is recorded too.
    const session = await t.http.post('/api/auth/login').send({ username: 'cadre', password: DEMO_PASSWORD });
    expect((await t.http.post('/api/auth/logout').send({ refreshToken: session.body.refreshToken })).status).toBe(204);
    expect(await latest('auth.logout')).toEqual(expect.objectContaining({ subjectId: t.demo.userIds.cadre, result: 'success' }));
  });

  it('a route refused to a signed-in user is audited as access.denied (failure), without changing the answer', async () => {
    const res = await t.http.get('/api/audit-events').set('authorization', `Bearer ${await t.token('leader')}`);
    expect(res.status).toBe(403);
    // Written after the answer: wait for it.
    let denied: Record<string, unknown> | undefined;
    for (let i = 0; i < 50 && !denied; i++) {
      denied = await latest('access.denied');
      if (!denied) await new Promise((r) => setTimeout(r, 100));
    }
    expect(denied).toEqual(
      expect.objectContaining({
        actorId: t.demo.userIds.leader,
        result: 'failure',
        details: { method: 'GET', route: '/api/audit-events', code: 'FORBIDDEN' },
      }),
    );
  });

  it('every event is sealed over its new fields too: an edited source address is found by npm run verify', async () => {
    const { rows } = await db.query(`SELECT id, seal FROM audit_events WHERE action = 'auth.login' LIMIT 1`);
    expect(rows[0].seal).toMatch(/^[0-9a-f]{64}$/);
    const env = { DATABASE_URL: t.databaseUrl, CHAIN_KEY: TEST_CHAIN_KEY, CHAIN_KEY_ID: 'test-1', LOG_LEVEL: 'silent' };
    expect((await verifyCommand([], env)).ok).toBe(true);
    await tamperWith(db, [`UPDATE audit_events SET source_ip = '10.9.9.9' WHERE id = $1`, [rows[0].id]]);
    const out = await verifyCommand([], env);
    expect(out.lines).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^BROKEN audit event ${rows[0].id} .*\\[hash_mismatch\\]$`))]));
  });

  it('the auditor exports the filtered log as .xlsx with real date cells (read back by openpyxl); the export is audited; nobody else may', async () => {
    await t.http.post('/api/auth/login').send({ username: 'cadre', password: 'wrong-password-1' }).expect(401);
    const res = await t.http
      .get('/api/audit-events/export.xlsx?action=auth.')
      .set('authorization', await auditor())
      .buffer(true)
      .parse(binaryBody);
    expect([res.status, res.headers['cache-control']]).toEqual([200, 'no-store']);
    const dir = mkdtempSync(join(tmpdir(), 'audit-export-'));
    const file = join(dir, 'audit.xlsx');
    writeFileSync(file, res.body as Buffer);
    const script = [
      'import json, sys, openpyxl',
      'ws = openpyxl.load_workbook(sys.argv[1]).active',
      'rows = list(ws.iter_rows(values_only=True))',
      'print(json.dumps({"header": rows[0], "rows": [[type(r[0]).__name__, r[1], r[3], r[4]] for r in rows[1:]]}, ensure_ascii=False))',
    ].join('\n');
    const { stdout } = await promisify(execFile)('/usr/bin/python3', ['-c', script, file]); // Debian's python3-openpyxl (.ci/run installs it)
    rmSync(dir, { recursive: true, force: true });
    const sheet = JSON.parse(stdout) as { header: string[]; rows: Array<[string, string, string, string]> };
    expect(sheet.header.slice(0, 5)).toEqual(['时间', '操作人', '所在单位', '操作', '结果']);
    expect(sheet.rows.length).toBeGreaterThan(1);
    expect(sheet.rows.every(([type, , action]) => type === 'datetime' && action.startsWith('auth.'))).toBe(true);
    expect(sheet.rows).toEqual(expect.arrayContaining([['datetime', '（系统）', 'auth.login_failed', '失败']]));
    expect((await latest('audit.export')).details).toEqual({ filters: { action: 'auth.' } });
    await t.http
      .get('/api/audit-events/export.xlsx')
      .set('authorization', `Bearer ${await t.token('county')}`)
      .expect(403);
  });

  it('every signature is an audit event too: signer, org unit, step and states, in the same transaction as the link', async () => {
    const cid = await rectificationCampaign(t, '签字审计');
    const draft = await createDraft(t, cid, { description: '签字记入审计' });
    await itemEvent(t, 'cadre', draft.id, { type: 'SUBMIT' });
    const submitted = await latest('signature.signed', draft.id);
    expect(submitted).toMatchObject({
      action: 'signature.signed',
      subjectType: 'item',
      subjectId: draft.id,
      actorId: t.demo.userIds.cadre,
      orgUnitId: t.demo.orgUnits.datong.id,
      result: 'success',
      details: { seq: 1, kind: 'investigation', event: 'SUBMIT', stateBefore: 'draft', stateAfter: 'pending_review' },
    });
    const links = Number((await db.query(`SELECT count(*) FROM signatures WHERE subject_id = $1`, [draft.id])).rows[0].count);
    const audited = Number(
      (await db.query(`SELECT count(*) FROM audit_events WHERE action = 'signature.signed' AND subject_id = $1`, [draft.id])).rows[0].count,
    );
    expect([links, audited]).toEqual([1, 1]);
  });
});
