import ExcelJS from 'exceljs';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { Clock } from '../src/common/clock';
import { loadConfig } from '../src/config/app-config';
import { DEMO_PASSWORD } from '../src/demo/demo-seed.service';
import { createTestApp, TestApp } from './app';
import { bearer, chinaDay, createDraft, createUser, signingGrant } from './factories';

/**
 * Signing proves presence (等保 step-up, issue 9), on the real app with
 * SIGNING_STEP_UP on: every signed request carries the signing grant its
 * signer obtained by entering the password again; the grant lasts
 * SIGNING_GRANT_MINUTES (3 here), is bound to its session, is replaced by a
 * newer one, and ends with the session. Unsigned events need none.
 */
const MINUTES = 3;
const HEADER = 'X-Signing-Grant';

describe('step-up signing: the signing grant', () => {
  let t: TestApp;
  let cid: string;
  let clock: Clock;
  let cadreGrant: string;

  interface Login {
    token: string;
    refresh: string;
  }

  async function login(username: string, password = DEMO_PASSWORD): Promise<Login> {
    const res = await t.http.post('/api/auth/login').send({ username, password });
    expect(res.status).toBe(200);
    return { token: `Bearer ${res.body.accessToken}`, refresh: res.body.refreshToken as string };
  }

  const askGrant = (token: string, body: object = { password: DEMO_PASSWORD }) => t.http.post('/api/auth/signing-grant').set('authorization', token).send(body);

  async function grantOf(token: string): Promise<string> {
    const res = await askGrant(token);
    expect(res.status).toBe(200);
    return res.body.grant as string;
  }

  function event(token: string, id: string, body: object, grant?: string) {
    const req = t.http.post(`/api/items/${id}/events`).set('authorization', token);
    if (grant !== undefined) req.set(HEADER, grant);
    return req.send(body);
  }

  const confirm = () => ({ type: 'CONFIRM', measures: '更换屋面', rectifierId: t.demo.userIds.cadre, deadline: chinaDay(10) });

  /** A submitted item of `cadre` (signed with the cadre's own grant). */
  async function pendingReview(description: string): Promise<string> {
    const draft = await createDraft(t, cid, { description });
    const res = await event(await bearer(t, 'cadre'), draft.id, { type: 'SUBMIT' }, cadreGrant);
    expect([res.status, res.body.state]).toEqual([200, 'pending_review']);
    return draft.id as string;
  }

  async function chainOf(id: string): Promise<string[]> {
    const res = await t.http.get(`/api/items/${id}/signatures`).set('authorization', await bearer(t, 'county'));
    expect(res.status).toBe(200);
    return res.body.map((s: { eventType: string }) => s.eventType);
  }

  async function stateOf(id: string): Promise<string> {
    return (await t.http.get(`/api/items/${id}`).set('authorization', await bearer(t, 'county'))).body.state;
  }

  async function auditOf(
    action: string,
    subjectId?: string,
  ): Promise<Array<{ action: string; actor: { id: string } | null; details: Record<string, unknown> }>> {
    const q = `action=${encodeURIComponent(action)}&limit=200${subjectId ? `&subjectId=${subjectId}` : ''}`;
    const res = await t.http.get(`/api/audit-events?${q}`).set('authorization', await bearer(t, 'auditor'));
    expect(res.status).toBe(200);
    return res.body;
  }

  const refusal = (code: string) => ({ status: 403, code, message: expect.stringMatching(/[\u4e00-\u9fff]/), field: HEADER });
  const refusedAs = (res: { status: number; body: { code?: string; message?: string; details?: Array<{ field: string }> } }) => ({
    status: res.status,
    code: res.body.code,
    message: res.body.message,
    field: res.body.details?.[0]?.field,
  });

  beforeAll(async () => {
    t = await createTestApp({ SIGNING_STEP_UP: 'true', SIGNING_GRANT_MINUTES: String(MINUTES) });
    clock = t.app.get(Clock);

    // The campaign's start and advances are signed too: without a grant the county office is refused and nothing moves.
    const county = await bearer(t, 'county');
    const camp = await t.http.post('/api/campaigns').set('authorization', county).send({ preset: 'huoqiu', title: '签字确认', docNumber: '霍扶组〔2021〕5号' });
    expect(camp.status).toBe(201);
    cid = camp.body.id;
    const bare = await t.http.post(`/api/campaigns/${cid}/advance`).set('authorization', county).send({});
    expect(refusedAs(bare)).toEqual(refusal('SIGNING_GRANT_REQUIRED'));
    expect((await t.http.get(`/api/campaigns/${cid}`).set('authorization', county)).body.state).toBe('draft');
    const grant = await signingGrant(t, 'county');
    for (let i = 0; i < 3; i++) {
      const adv = await t.http.post(`/api/campaigns/${cid}/advance`).set('authorization', county).set(HEADER, grant).send({});
      expect(adv.status).toBe(200);
    }
    const chain = await t.http.get(`/api/campaigns/${cid}/signatures`).set('authorization', county);
    expect(chain.body.map((s: { kind: string }) => s.kind)).toEqual(['campaign_start', 'phase_advance', 'phase_advance']);
  });
  // A fresh grant of the cadre's for each test: the spec's run may outlast one.
  beforeEach(async () => {
    cadreGrant = await signingGrant(t, 'cadre');
  });
  afterEach(() => clock.reset());
  afterAll(async () => {
    clock.reset();
    await t.close();
  });

  it('is on by default and lasts 5 minutes unless configured', () => {
    const defaults = loadConfig({});
    expect([defaults.SIGNING_STEP_UP, defaults.SIGNING_GRANT_MINUTES]).toEqual([true, 5]);
    expect([t.config.SIGNING_STEP_UP, t.config.SIGNING_GRANT_MINUTES]).toEqual([true, MINUTES]);
    expect(() => loadConfig({ SIGNING_GRANT_MINUTES: '0' })).toThrow(/SIGNING_GRANT_MINUTES/);
    expect(() => loadConfig({ SIGNING_STEP_UP: 'maybe' })).toThrow(/SIGNING_STEP_UP/);
  });

  it('refuses a signed event without a grant (403 SIGNING_GRANT_REQUIRED) and signs nothing', async () => {
    const id = await pendingReview('屋顶漏雨，未确认签字');
    const leader = await bearer(t, 'leader');
    for (const grant of [undefined, '']) {
      const res = await event(leader, id, confirm(), grant);
      expect(refusedAs(res)).toEqual(refusal('SIGNING_GRANT_REQUIRED'));
      expect(res.body.message).toBe('请输入登录密码确认签字');
    }
    expect(await stateOf(id)).toBe('pending_review');
    expect(await chainOf(id)).toEqual(['SUBMIT']);
    // The same for the investigator's own 排查签字.
    const draft = await createDraft(t, cid, { description: '未确认的排查签字' });
    expect(refusedAs(await event(await bearer(t, 'cadre'), draft.id, { type: 'SUBMIT' }))).toEqual(refusal('SIGNING_GRANT_REQUIRED'));
    expect(await stateOf(draft.id)).toBe('draft');
  });

  it('issues a grant for the password: random, timed by the service clock, audited; it signs a CONFIRM and keeps signing until it expires', async () => {
    const a = await login('leader');
    const before = clock.now().getTime();
    const res = await askGrant(a.token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ grant: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), expiresAt: expect.any(String), expiresIn: MINUTES * 60 });
    const expiresAt = new Date(res.body.expiresAt).getTime();
    expect(expiresAt - before).toBeGreaterThanOrEqual(MINUTES * 60_000 - 1_000);
    expect(expiresAt - before).toBeLessThanOrEqual(MINUTES * 60_000 + 1_000);
    expect(await grantOf((await login('leader')).token)).not.toBe(res.body.grant);

    const first = await pendingReview('屋顶漏雨，确认签字一');
    const second = await pendingReview('屋顶漏雨，确认签字二');
    const one = await event(a.token, first, confirm(), res.body.grant);
    expect([one.status, one.body.state]).toEqual([200, 'rectifying']);
    // Not single-use: the same grant signs again within its minutes.
    clock.travel(MINUTES * 60_000 - 5_000);
    const two = await event(a.token, second, confirm(), res.body.grant);
    expect([two.status, two.body.state]).toEqual([200, 'rectifying']);
    expect(await chainOf(first)).toEqual(['SUBMIT', 'CONFIRM']);
    expect(await chainOf(second)).toEqual(['SUBMIT', 'CONFIRM']);

    const issued = await auditOf('auth.signing_grant_issued');
    expect(issued.filter((e) => e.actor?.id === t.demo.userIds.leader).length).toBeGreaterThanOrEqual(2);
    // Only the grant's hash is stored: the grant itself appears nowhere in the audit log.
    expect(JSON.stringify(issued)).not.toContain(res.body.grant);
  });

  it('refuses an expired grant (403 SIGNING_GRANT_INVALID), then a new one signs', async () => {
    const a = await login('leader');
    const grant = await grantOf(a.token);
    const id = await pendingReview('屋顶漏雨，过期的签字确认');
    clock.travel(MINUTES * 60_000 + 1_000);
    const res = await event(a.token, id, confirm(), grant);
    expect(refusedAs(res)).toEqual(refusal('SIGNING_GRANT_INVALID'));
    expect(res.body.message).toBe('签字确认已过期，请重新输入登录密码');
    expect(await chainOf(id)).toEqual(['SUBMIT']);
    expect((await auditOf('auth.signing_grant_refused')).some((e) => e.actor?.id === t.demo.userIds.leader && e.details.reason === 'expired')).toBe(true);

    const fresh = await grantOf(a.token);
    expect((await event(a.token, id, confirm(), fresh)).status).toBe(200);
  });

  it('refuses a replaced (older) grant at once: a new grant replaces the last', async () => {
    const a = await login('leader');
    const older = await grantOf(a.token);
    // The older grant signs, so the session's state with it is what this process has cached…
    expect((await event(a.token, await pendingReview('屋顶漏雨，取代前'), confirm(), older)).status).toBe(200);
    const id = await pendingReview('屋顶漏雨，被取代的签字确认');
    // …and the newer grant takes its place on the very next request.
    const newer = await grantOf(a.token);
    const res = await event(a.token, id, confirm(), older);
    expect(refusedAs(res)).toEqual(refusal('SIGNING_GRANT_INVALID'));
    expect(await chainOf(id)).toEqual(['SUBMIT']);
    expect((await event(a.token, id, confirm(), newer)).status).toBe(200);
  });

  it("refuses a grant of another session of the same user, and another user's grant", async () => {
    const a = await login('leader');
    const b = await login('leader');
    const grantA = await grantOf(a.token);
    const grantB = await grantOf(b.token);
    const id = await pendingReview('屋顶漏雨，别的会话的签字确认');
    expect(refusedAs(await event(b.token, id, confirm(), grantA))).toEqual(refusal('SIGNING_GRANT_INVALID'));
    expect(refusedAs(await event(a.token, id, confirm(), grantB))).toEqual(refusal('SIGNING_GRANT_INVALID'));
    // Another user's grant (the cadre's, valid for the cadre) does not sign for the leader.
    expect(refusedAs(await event(a.token, id, confirm(), cadreGrant))).toEqual(refusal('SIGNING_GRANT_INVALID'));
    // Nor does anything that merely looks like a grant.
    for (const forged of ['x', 'A'.repeat(43), 'A'.repeat(4000), '\u4e2d'.repeat(3)]) {
      const res = await event(a.token, id, confirm(), encodeURIComponent(forged));
      expect(refusedAs(res)).toEqual(refusal('SIGNING_GRANT_INVALID'));
    }
    expect(await chainOf(id)).toEqual(['SUBMIT']);
    // Each session's own grant still signs (b's was not replaced by a's).
    expect((await event(b.token, id, confirm(), grantB)).status).toBe(200);
    expect((await auditOf('auth.signing_grant_refused')).filter((e) => e.details.reason === 'not_current').length).toBeGreaterThanOrEqual(3);
  });

  it('is useless after logout: the session is gone, and a new login does not inherit it', async () => {
    const a = await login('leader');
    const grant = await grantOf(a.token);
    const id = await pendingReview('屋顶漏雨，退出后的签字确认');
    expect((await t.http.post('/api/auth/logout').send({ refreshToken: a.refresh })).status).toBe(204);
    const gone = await event(a.token, id, confirm(), grant);
    expect([gone.status, gone.body.code]).toEqual([401, 'UNAUTHENTICATED']);
    const again = await login('leader');
    expect(refusedAs(await event(again.token, id, confirm(), grant))).toEqual(refusal('SIGNING_GRANT_INVALID'));
    // A session ended from the session list likewise.
    const c = await login('leader');
    const cGrant = await grantOf(c.token);
    const mine = await t.http.get('/api/auth/sessions').set('authorization', c.token);
    const current = mine.body.find((s: { current: boolean }) => s.current);
    expect((await t.http.delete(`/api/auth/sessions/${current.id}`).set('authorization', again.token)).status).toBe(204);
    expect((await event(c.token, id, confirm(), cGrant)).status).toBe(401);
    expect(refusedAs(await askGrant(c.token))).toEqual({ status: 401, code: 'UNAUTHENTICATED', message: expect.any(String), field: undefined });
    expect(await chainOf(id)).toEqual(['SUBMIT']);
  });

  it('refuses a wrong password with 401 naming the field, counting it as a failed login: together they lock the account', async () => {
    const id = await createUser(t, { username: 'stepup1', displayName: '签字确认测试', orgUnitId: t.demo.orgUnits.chengguan.id, roles: ['township_leader'] });
    const a = await login('stepup1');
    // Two failed logins and three wrong signing passwords: LOGIN_MAX_FAILURES (5) in a row.
    for (let i = 0; i < 2; i++) expect((await t.http.post('/api/auth/login').send({ username: 'stepup1', password: 'Wrong@2021x' })).status).toBe(401);
    for (let i = 0; i < 3; i++) {
      const res = await askGrant(a.token, { password: 'Wrong@2021x' });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({
        statusCode: 401,
        code: 'INVALID_CREDENTIALS',
        message: '密码不正确，未能确认签字',
        details: [{ field: 'password', message: '密码不正确' }],
      });
    }
    const failures = await auditOf('auth.login_failed', id);
    expect(failures.map((e) => [e.details.reason, e.details.failures]).reverse()).toEqual([
      ['wrong_password', 1],
      ['wrong_password', 2],
      ['wrong_signing_password', 3],
      ['wrong_signing_password', 4],
      ['wrong_signing_password', 5],
    ]);
    expect(await auditOf('auth.account_locked', id)).toHaveLength(1);
    // Locked: neither the right password at login nor at signing gets in.
    expect((await t.http.post('/api/auth/login').send({ username: 'stepup1', password: DEMO_PASSWORD })).status).toBe(401);
    const locked = await askGrant(a.token);
    expect([locked.status, locked.body.code, locked.body.message]).toEqual([401, 'INVALID_CREDENTIALS', '密码错误次数过多，账号已锁定，请稍后再试']);
  });

  it('resets the failure count on the right password, like a login', async () => {
    const id = await createUser(t, { username: 'stepup2', displayName: '签字确认测试二', orgUnitId: t.demo.orgUnits.chengguan.id, roles: ['township_leader'] });
    const a = await login('stepup2');
    for (let i = 0; i < 4; i++) expect((await askGrant(a.token, { password: 'Wrong@2021x' })).status).toBe(401);
    expect((await askGrant(a.token)).status).toBe(200);
    expect((await askGrant(a.token, { password: 'Wrong@2021x' })).status).toBe(401);
    const last = (await auditOf('auth.login_failed', id))[0];
    expect(last.details).toEqual(expect.objectContaining({ reason: 'wrong_signing_password', failures: 1 }));
    expect(await auditOf('auth.account_locked', id)).toEqual([]);
  });

  it('answers bad requests for a grant with 400 naming the field, and only signers get one', async () => {
    const leader = await bearer(t, 'leader');
    for (const body of [{}, { password: '' }, { password: 12345678 }, { password: 'x'.repeat(257) }, { password: DEMO_PASSWORD, extra: 1 }]) {
      const res = await askGrant(leader, body);
      expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual([Object.keys(body).find((k) => k !== 'password') ?? 'password']);
      expect(res.body.message).toMatch(/^请求参数有误/);
    }
    for (const who of ['admin', 'auditor']) {
      const res = await askGrant(await bearer(t, who));
      expect([res.status, res.body.code]).toEqual([403, 'FORBIDDEN']);
    }
    expect((await t.http.post('/api/auth/signing-grant').send({ password: DEMO_PASSWORD })).status).toBe(401);
  });

  it('signs a whole batch with one grant; without one the batch is refused and nothing is signed', async () => {
    const a = await login('leader');
    const ids = [await pendingReview('批量确认一'), await pendingReview('批量确认二')];
    const batch = (grant?: string) => {
      const req = t.http.post('/api/items/batch-events').set('authorization', a.token);
      if (grant) req.set(HEADER, grant);
      return req.send({ ...confirm(), itemIds: ids });
    };
    expect(refusedAs(await batch())).toEqual(refusal('SIGNING_GRANT_REQUIRED'));
    expect(await Promise.all(ids.map(stateOf))).toEqual(['pending_review', 'pending_review']);
    const grant = await grantOf(a.token);
    const res = await batch(grant);
    expect([res.status, res.body.succeeded, res.body.failed]).toEqual([200, 2, 0]);
    for (const id of ids) expect(await chainOf(id)).toEqual(['SUBMIT', 'CONFIRM']);
  });

  it('asks no grant for unsigned events (WITHDRAW, DISCARD, REPORT_PROGRESS, edits) and reads a bad event type as a 400, not a 403', async () => {
    const cadre = await bearer(t, 'cadre');
    const withdrawn = await pendingReview('撤回不需签字确认');
    const w = await event(cadre, withdrawn, { type: 'WITHDRAW' });
    expect([w.status, w.body.state]).toEqual([200, 'returned']);
    const edited = await t.http.patch(`/api/items/${withdrawn}`).set('authorization', cadre).send({ description: '撤回后修改，不需签字确认' });
    expect(edited.status).toBe(200);
    const draft = await createDraft(t, cid, { description: '作废不需签字确认' });
    const d = await event(cadre, draft.id, { type: 'DISCARD' });
    expect([d.status, d.body.deleted]).toEqual([200, true]);

    const a = await login('leader');
    const rectifying = await pendingReview('进展不需签字确认');
    expect((await event(a.token, rectifying, confirm(), await grantOf(a.token))).status).toBe(200);
    const p = await event(cadre, rectifying, { type: 'REPORT_PROGRESS', comment: '已联系施工队' });
    expect(p.status).toBe(200);

    for (const type of ['NOT_AN_EVENT', '__proto__', 'constructor', 42]) {
      const res = await event(cadre, rectifying, { type });
      expect([res.status, res.body.code, res.body.details?.[0]?.field]).toEqual([400, 'VALIDATION_FAILED', 'type']);
    }
  });

  it('guards every other route that signs: archive, summary reports, ledger import with submit (query or form field)', async () => {
    const county = await bearer(t, 'county');
    expect(refusedAs(await t.http.post(`/api/campaigns/${cid}/archive`).set('authorization', county).send({}))).toEqual(refusal('SIGNING_GRANT_REQUIRED'));
    const leader = await bearer(t, 'leader');
    const summary = await t.http.post(`/api/campaigns/${cid}/summary-reports`).set('authorization', leader).send({ text: '工作总结' });
    expect(refusedAs(summary)).toEqual(refusal('SIGNING_GRANT_REQUIRED'));
    // With a grant the service decides as before (no summary outside the summary phase): not a grant refusal.
    const withGrant = await t.http
      .post(`/api/campaigns/${cid}/summary-reports`)
      .set('authorization', leader)
      .set(HEADER, await signingGrant(t, 'leader'))
      .send({ text: '工作总结' });
    expect([withGrant.status, withGrant.body.code]).toEqual([409, 'TRANSITION_REFUSED']);

    const file = async (description: string) => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('台账');
      ws.addRow(['霍邱县巩固拓展脱贫攻坚成果集中排查台账']);
      ws.addRow(['乡镇', '行政村', '户主姓名', '身份证号码', '问题类型', '具体问题', '整改措施', '整改责任人', '整改时限', '备注']);
      ws.addRow(['城关镇', '大同村', '', '', '三保障和饮水安全', description, '', '', '', '']);
      return Buffer.from(await wb.xlsx.writeBuffer());
    };
    const cadre = await bearer(t, 'cadre');
    const upload = (query: string, grant?: string, form?: Record<string, string>) => {
      const req = t.http.post(`/api/campaigns/${cid}/ledger${query}`).set('authorization', cadre);
      if (grant) req.set(HEADER, grant);
      for (const [k, v] of Object.entries(form ?? {})) req.field(k, v);
      return file(`台账导入 ${query} ${JSON.stringify(form ?? {})}`).then((data) => req.attach('file', data, '台账.xlsx'));
    };
    expect(refusedAs(await upload('?submit=true'))).toEqual(refusal('SIGNING_GRANT_REQUIRED'));
    expect(refusedAs(await upload('', undefined, { submit: 'true' }))).toEqual(refusal('SIGNING_GRANT_REQUIRED'));
    expect(refusedAs(await upload('', 'not-a-grant', { submit: 'true' }))).toEqual(refusal('SIGNING_GRANT_INVALID'));
    // Drafts only: nothing is signed, no grant needed.
    const drafts = await upload('');
    expect([drafts.status, drafts.body.created, drafts.body.submitted]).toEqual([200, 1, false]);
    const signed = await upload('', cadreGrant, { submit: 'true' });
    expect([signed.status, signed.body.created, signed.body.submitted, signed.body.items[0].state]).toEqual([200, 1, true, 'pending_review']);
    expect(await chainOf(signed.body.items[0].id)).toEqual(['SUBMIT']);
  });

  it('guards a 抽查复核 draw: without a grant nothing is drawn', async () => {
    const inspector = await bearer(t, 'inspector');
    const count = async () => Number((await t.app.get(DataSource).query(`SELECT count(*) AS n FROM spot_check_draws`))[0].n);
    const before = await count();
    const refused = await t.http.post(`/api/campaigns/${cid}/spot-check-draws`).set('authorization', inspector).send({ mode: 'count', value: 1 });
    expect(refusedAs(refused)).toEqual(refusal('SIGNING_GRANT_REQUIRED'));
    expect(await count()).toBe(before);
    // With a grant the service decides: a draw, or 409 when nothing settled is there to draw.
    const withGrant = await t.http
      .post(`/api/campaigns/${cid}/spot-check-draws`)
      .set('authorization', inspector)
      .set(HEADER, await signingGrant(t, 'inspector'))
      .send({ mode: 'count', value: 1 });
    expect([201, 409]).toContain(withGrant.status);
  });

  it('checks the grant without SQL of its own: a CONFIRM with a grant sends no statement about sessions, at most 8 in all', async () => {
    const seen: string[] = [];
    let counting = false;
    const original = Client.prototype.query;
    Client.prototype.query = function (this: Client, ...args: unknown[]) {
      if (counting) {
        const first = args[0];
        seen.push(typeof first === 'string' ? first : String((first as { text?: unknown })?.text ?? first));
      }
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof Client.prototype.query;
    try {
      const a = await login('leader');
      const grant = await grantOf(a.token);
      // Steady state: one CONFIRM first (the leader, the rectifier and the campaign are known to the process).
      expect((await event(a.token, await pendingReview('语句计数一'), confirm(), grant)).status).toBe(200);
      const id = await pendingReview('语句计数二');
      // The console reads the item before acting on it: the session's state (grant included) is then fresh in the cache.
      expect((await t.http.get(`/api/items/${id}`).set('authorization', a.token)).status).toBe(200);
      seen.length = 0;
      counting = true;
      const res = await event(a.token, id, confirm(), grant);
      counting = false;
      expect([res.status, res.body.state]).toEqual([200, 'rectifying']);
      const statements = seen.map((s) => s.replace(/\s+/g, ' ').slice(0, 160));
      expect(statements.filter((s) => /"?sessions"?/i.test(s))).toEqual([]);
      expect({ count: statements.length <= 8 ? 'at most 8' : statements.length, statements: statements.length <= 8 ? [] : statements }).toEqual({
        count: 'at most 8',
        statements: [],
      });
    } finally {
      Client.prototype.query = original;
    }
  });
});
