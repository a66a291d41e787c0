import { createHash, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Response } from 'supertest';
import { createTestApp, TestApp } from './app';
import { bearer, chinaDay, createDraft, createUser, rectificationCampaign, uploadPdf } from './factories';

/**
 * The problem-item lifecycle through HTTP: every path of the table in
 * domain.md, separation of duties, races, idempotent retries, tamper evidence
 * of the signature chain, refusals and validation. A refused request must
 * leave the item's version and signature chain exactly as they were.
 */
describe('problem item lifecycle (HTTP)', () => {
  let t: TestApp;
  let cid: string;
  /** Demo users plus the ones created below, by username. */
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    Object.assign(ids, t.demo.userIds);
    cid = await rectificationCampaign(t, '生命周期测试');
    // A second township leader of 城关镇 and a second inspector of 第一督查组.
    ids.leader_b = await createUser(t, {
      username: 'leader_b',
      displayName: '钱勇（城关镇分管负责人）',
      orgUnitId: t.demo.orgUnits.chengguan.id,
      roles: ['township_leader'],
    });
    ids.inspector_b = await createUser(t, {
      username: 'inspector_b',
      displayName: '郑洁（第一督查组）',
      orgUnitId: t.demo.orgUnits.ducha1.id,
      roles: ['inspector'],
    });
  });
  afterAll(() => t.close());

  // ------------------------------------------------------------ helpers

  const ev = async (username: string, id: string, body: object, key?: string): Promise<Response> => {
    const req = t.http.post(`/api/items/${id}/events`).set('authorization', await bearer(t, username));
    if (key) req.set('Idempotency-Key', key);
    return req.send(body);
  };

  /** The item as `username` sees it (county office by default: it sees every item). */
  const get = async (id: string, username = 'county'): Promise<Response> => t.http.get(`/api/items/${id}`).set('authorization', await bearer(t, username));

  const item = async (id: string, username = 'county'): Promise<Record<string, any>> => {
    const res = await get(id, username);
    expect(res.status).toBe(200);
    return res.body;
  };

  const actions = async (id: string, username: string): Promise<string[]> => (await item(id, username)).availableActions;

  type Sig = {
    seq: number;
    kind: string;
    eventType: string;
    signer: { id: string; role: string };
    comment: string | null;
    payload: Record<string, unknown>;
    evidence: Array<{ id: string; sha256: string }>;
    stateBefore: string;
    stateAfter: string;
    prevHash: string | null;
    hash: string;
    id: string;
  };

  const chain = async (id: string): Promise<Sig[]> => {
    const res = await t.http.get(`/api/items/${id}/signatures`).set('authorization', await bearer(t, 'county'));
    expect(res.status).toBe(200);
    return res.body;
  };

  const kinds = async (id: string): Promise<string[]> => (await chain(id)).map((s) => s.kind);

  const verify = async (id: string): Promise<Record<string, any>> => {
    const res = await t.http.get(`/api/items/${id}/signatures/verify`).set('authorization', await bearer(t, 'county'));
    expect(res.status).toBe(200);
    return res.body;
  };

  /** Expects `send` to be refused with `status` (and `code`), and the item's version, state and chain untouched. */
  const refused = async (id: string, status: number, send: () => Promise<Response>, code?: string): Promise<Response> => {
    const before = await item(id);
    const chainBefore = await chain(id);
    const res = await send();
    expect({ status: res.status, body: res.body }).toEqual({ status, body: expect.anything() });
    if (code) expect(res.body.code).toBe(code);
    const after = await item(id);
    expect({ version: after.version, state: after.state, updatedAt: after.updatedAt }).toEqual({
      version: before.version,
      state: before.state,
      updatedAt: before.updatedAt,
    });
    expect(await chain(id)).toEqual(chainBefore);
    return res;
  };

  const expectOk = (res: Response, state: string): Record<string, any> => {
    expect({ status: res.status, state: res.body.state, body: res.status === 200 ? 'ok' : res.body }).toEqual({ status: 200, state, body: 'ok' });
    return res.body;
  };

  /** A draft of `cadre` signed into pending_review. */
  const submitted = async (description = '住房漏雨'): Promise<string> => {
    const draft = await createDraft(t, cid, { description });
    expectOk(await ev('cadre', draft.id, { type: 'SUBMIT' }), 'pending_review');
    return draft.id;
  };

  /** Confirmed by `leader` with `rectifier` named and a deadline 10 days out. */
  const rectifying = async (rectifier = 'cadre2', description?: string): Promise<string> => {
    const id = await submitted(description);
    expectOk(await ev('leader', id, { type: 'CONFIRM', measures: '维修屋顶', rectifierId: ids[rectifier], deadline: chinaDay(10) }), 'rectifying');
    return id;
  };

  const rectify = async (id: string, rectifier: string): Promise<Record<string, any>> =>
    expectOk(await ev(rectifier, id, { type: 'SUBMIT_RECTIFICATION', comment: '已维修', evidence: [await uploadPdf(t, rectifier)] }), 'pending_acceptance');

  const pendingAcceptance = async (rectifier = 'cadre2'): Promise<string> => {
    const id = await rectifying(rectifier);
    await rectify(id, rectifier);
    return id;
  };

  const closed = async (): Promise<string> => {
    const id = await pendingAcceptance();
    expectOk(await ev('leader', id, { type: 'ACCEPT' }), 'closed');
    return id;
  };

  // ------------------------------------------------------------ every path of the table

  describe('paths of the lifecycle table', () => {
    it('立行立改: SUBMIT fixed on site with measures → CONFIRM {} → pending_acceptance → ACCEPT → closed', async () => {
      const draft = await createDraft(t, cid, { description: '门前积水' });
      expect(draft).toMatchObject({ state: 'draft', version: 1, availableActions: ['EDIT', 'SUBMIT', 'DISCARD'] });
      // Fixed on site without saying what was done: refused, nothing signed.
      const noMeasures = await refused(draft.id, 400, () => ev('cadre', draft.id, { type: 'SUBMIT', fixedOnSite: true }), 'VALIDATION_FAILED');
      expect(noMeasures.body.details.map((d: { field: string }) => d.field)).toContain('measures');

      const sub = expectOk(await ev('cadre', draft.id, { type: 'SUBMIT', fixedOnSite: true, measures: '当场清理排水沟' }), 'pending_review');
      expect(sub).toMatchObject({ fixedOnSite: true, measures: '当场清理排水沟' });
      expect(await actions(draft.id, 'leader')).toEqual(expect.arrayContaining(['CONFIRM', 'RETURN', 'DISMISS']));

      const conf = expectOk(await ev('leader', draft.id, { type: 'CONFIRM' }), 'pending_acceptance');
      // The investigator fixed it, so they are its rectifier; no deadline was needed.
      expect(conf).toMatchObject({ rectifier: { id: ids.cadre }, deadline: null, closedAt: null });
      expect(await actions(draft.id, 'leader')).toEqual(['ACCEPT', 'REJECT_RECTIFICATION']);

      const acc = expectOk(await ev('leader', draft.id, { type: 'ACCEPT' }), 'closed');
      expect(acc.closedAt).not.toBeNull();
      const sigs = await chain(draft.id);
      expect(sigs.map((s) => [s.kind, s.signer.id, s.stateBefore, s.stateAfter])).toEqual([
        ['investigation', ids.cadre, 'draft', 'pending_review'],
        ['review', ids.leader, 'pending_review', 'pending_acceptance'],
        ['acceptance', ids.leader, 'pending_acceptance', 'closed'],
      ]);
      expect(sigs[0].payload).toMatchObject({ fixedOnSite: true, measures: '当场清理排水沟' });
      expect(await verify(draft.id)).toEqual({ valid: true, length: 3, firstBroken: null });
    });

    it('RETURN with reason → returned → EDIT (PATCH) → SUBMIT again', async () => {
      const id = await submitted('院墙开裂');
      // Nobody edits an item under review; the reviewer needs a reason to return it.
      await refused(
        id,
        409,
        async () =>
          t.http
            .patch(`/api/items/${id}`)
            .set('authorization', await bearer(t, 'cadre'))
            .send({ description: '改' }),
        'TRANSITION_REFUSED',
      );
      const noReason = await refused(id, 400, () => ev('leader', id, { type: 'RETURN' }), 'VALIDATION_FAILED');
      expect(noReason.body.details).toEqual([expect.objectContaining({ field: 'reason' })]);

      const ret = expectOk(await ev('leader', id, { type: 'RETURN', reason: '请补充户主信息' }), 'returned');
      expect(ret.availableActions).toEqual([]);
      expect(await actions(id, 'cadre')).toEqual(['EDIT', 'SUBMIT']);
      // Only the investigator edits.
      await refused(
        id,
        409,
        async () =>
          t.http
            .patch(`/api/items/${id}`)
            .set('authorization', await bearer(t, 'leader'))
            .send({ description: '改' }),
        'TRANSITION_REFUSED',
      );

      const before = await item(id);
      const patched = await t.http
        .patch(`/api/items/${id}`)
        .set('authorization', await bearer(t, 'cadre'))
        .send({ description: '院墙开裂，已补充户主信息', householdName: '王五' });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({
        state: 'returned',
        description: '院墙开裂，已补充户主信息',
        household: { name: '王五' },
        version: before.version + 1,
      });
      expect(await kinds(id)).toEqual(['investigation', 'return']); // EDIT signs nothing

      expectOk(await ev('cadre', id, { type: 'SUBMIT' }), 'pending_review');
      const sigs = await chain(id);
      expect(sigs.map((s) => s.kind)).toEqual(['investigation', 'return', 'investigation']);
      expect(sigs[1]).toMatchObject({ signer: { id: ids.leader, role: 'township_leader' }, payload: { reason: '请补充户主信息' }, stateAfter: 'returned' });
      expect(sigs[2]).toMatchObject({ stateBefore: 'returned', stateAfter: 'pending_review' });
    });

    it('WITHDRAW by the investigator while unreviewed; never by anyone else, never after review', async () => {
      const id = await submitted('低保未落实');
      expect(await actions(id, 'cadre')).toEqual(['WITHDRAW']);
      const byLeader = await refused(id, 409, () => ev('leader', id, { type: 'WITHDRAW' }), 'TRANSITION_REFUSED');
      expect(byLeader.body.reason).toBe('not_permitted');

      const w = expectOk(await ev('cadre', id, { type: 'WITHDRAW' }), 'returned');
      expect(w.availableActions).toEqual(['EDIT', 'SUBMIT']);
      expect(await kinds(id)).toEqual(['investigation']); // 撤回 is not a signature

      expectOk(await ev('cadre', id, { type: 'SUBMIT' }), 'pending_review');
      expectOk(await ev('leader', id, { type: 'CONFIRM', measures: '落实低保', rectifierId: ids.cadre2, deadline: chinaDay(10) }), 'rectifying');
      await refused(id, 409, () => ev('cadre', id, { type: 'WITHDRAW' }), 'TRANSITION_REFUSED');
    });

    it('DISMISS → dismissed → only an inspector checks or REOPENs it → pending_review', async () => {
      const id = await submitted('重复登记');
      await refused(id, 400, () => ev('leader', id, { type: 'DISMISS', reason: '  ' }), 'VALIDATION_FAILED');
      const d = expectOk(await ev('leader', id, { type: 'DISMISS', reason: '与第 1 号重复' }), 'dismissed');
      expect(d.availableActions).toEqual([]);
      const byLeader = await refused(id, 409, () => ev('leader', id, { type: 'REOPEN', reason: '再看看' }), 'TRANSITION_REFUSED');
      expect(byLeader.body.reason).toBe('not_permitted');
      // 抽查复核 of a dismissal: confirm it (督查签字) or reopen it for review.
      expect(await actions(id, 'inspector')).toEqual(['SPOT_CHECK_PASS', 'REOPEN']);

      const r = expectOk(await ev('inspector', id, { type: 'REOPEN', reason: '督查发现并非重复' }), 'pending_review');
      expect(r.reopenCount).toBe(1);
      expect(await actions(id, 'leader')).toEqual(expect.arrayContaining(['CONFIRM', 'RETURN', 'DISMISS']));
      const sigs = await chain(id);
      expect(sigs.map((s) => s.kind)).toEqual(['investigation', 'dismissal', 'reopen']);
      expect(sigs[2]).toMatchObject({ signer: { id: ids.inspector, role: 'inspector' }, stateBefore: 'dismissed', stateAfter: 'pending_review' });
    });

    it('REQUEST_EXTENSION → APPROVE_EXTENSION moves the deadline; → DENY_EXTENSION keeps it', async () => {
      const id = await rectifying('cadre2');
      const d1 = chinaDay(10);
      expect((await item(id)).deadline).toBe(d1);
      expect(await actions(id, 'cadre2')).toEqual(expect.arrayContaining(['SUBMIT_RECTIFICATION', 'REQUEST_EXTENSION']));
      // A "new" deadline before the current one is no extension.
      const earlier = await refused(
        id,
        400,
        () => ev('cadre2', id, { type: 'REQUEST_EXTENSION', reason: '材料未到', newDeadline: chinaDay(5) }),
        'VALIDATION_FAILED',
      );
      expect(earlier.body.details).toEqual([expect.objectContaining({ field: 'newDeadline' })]);

      const d2 = chinaDay(20);
      const req = expectOk(await ev('cadre2', id, { type: 'REQUEST_EXTENSION', reason: '材料未到', newDeadline: d2 }), 'rectifying');
      expect(req).toMatchObject({ deadline: d1, extension: { requestedDeadline: d2, reason: '材料未到' } });
      expect(req.availableActions).not.toContain('REQUEST_EXTENSION'); // one request at a time
      expect(await actions(id, 'leader')).toEqual(expect.arrayContaining(['APPROVE_EXTENSION', 'DENY_EXTENSION']));
      await refused(id, 409, () => ev('cadre2', id, { type: 'APPROVE_EXTENSION' }), 'TRANSITION_REFUSED');

      const ok = expectOk(await ev('leader', id, { type: 'APPROVE_EXTENSION', comment: '同意' }), 'rectifying');
      expect(ok).toMatchObject({ deadline: d2, extension: null });
      expect(await actions(id, 'leader')).not.toContain('APPROVE_EXTENSION');

      expectOk(await ev('cadre2', id, { type: 'REQUEST_EXTENSION', reason: '再延期', newDeadline: chinaDay(30) }), 'rectifying');
      await refused(id, 400, () => ev('leader', id, { type: 'DENY_EXTENSION' }), 'VALIDATION_FAILED');
      const no = expectOk(await ev('leader', id, { type: 'DENY_EXTENSION', reason: '时限不能再延' }), 'rectifying');
      expect(no).toMatchObject({ deadline: d2, extension: null });

      const sigs = await chain(id);
      expect(sigs.map((s) => [s.kind, s.eventType, s.signer.id])).toEqual([
        ['investigation', 'SUBMIT', ids.cadre],
        ['review', 'CONFIRM', ids.leader],
        ['extension_request', 'REQUEST_EXTENSION', ids.cadre2],
        ['extension_decision', 'APPROVE_EXTENSION', ids.leader],
        ['extension_request', 'REQUEST_EXTENSION', ids.cadre2],
        ['extension_decision', 'DENY_EXTENSION', ids.leader],
      ]);
      expect(sigs[2].payload).toMatchObject({ newDeadline: d2, reason: '材料未到' });
    });

    it('ESCALATE to 住建局: the department rectifies, the county office (not the township leader) accepts', async () => {
      const id = await rectifying('cadre2', '危房改造资金不足');
      expect((await get(id, 'dept')).status).toBe(404); // not the department's item yet
      // Escalation goes to a county department or the county, never down to a village.
      const down = await refused(
        id,
        400,
        () => ev('leader', id, { type: 'ESCALATE', toOrgUnitId: t.demo.orgUnits.datong.id, reason: '无力解决' }),
        'VALIDATION_FAILED',
      );
      expect(down.body.details).toEqual([expect.objectContaining({ field: 'toOrgUnitId' })]);
      await refused(id, 409, () => ev('cadre2', id, { type: 'ESCALATE', toOrgUnitId: t.demo.orgUnits.zhujian.id, reason: '无力解决' }), 'TRANSITION_REFUSED');

      const esc = expectOk(await ev('leader', id, { type: 'ESCALATE', toOrgUnitId: t.demo.orgUnits.zhujian.id, reason: '镇村无力解决' }), 'rectifying');
      expect(esc).toMatchObject({ reviewLevel: 'county', responsibleOrgUnit: { id: t.demo.orgUnits.zhujian.id }, rectifier: null });
      // Once county-level, the township can neither escalate again nor review it.
      await refused(id, 409, () => ev('leader', id, { type: 'ESCALATE', toOrgUnitId: t.demo.orgUnits.jiaoyu.id, reason: '再上报' }), 'TRANSITION_REFUSED');

      const seen = await item(id, 'dept');
      expect(seen.availableActions).toEqual(expect.arrayContaining(['SUBMIT_RECTIFICATION', 'REQUEST_EXTENSION']));
      expect((await t.http.get('/api/inbox').set('authorization', await bearer(t, 'dept'))).body.map((i: { id: string }) => i.id)).toContain(id);
      const notes = await t.http.get('/api/notifications').set('authorization', await bearer(t, 'dept'));
      expect(notes.body.map((n: { itemId: string }) => n.itemId)).toContain(id);
      // The former rectifier is off the item (and it is outside their village).
      await refused(id, 404, async () => ev('cadre2', id, { type: 'SUBMIT_RECTIFICATION', comment: '已修', evidence: [await uploadPdf(t, 'cadre2')] }));

      await rectify(id, 'dept');
      expect(await actions(id, 'leader')).toEqual([]);
      const byLeader = await refused(id, 409, () => ev('leader', id, { type: 'ACCEPT' }), 'TRANSITION_REFUSED');
      expect(byLeader.body.reason).toBe('not_permitted');
      expect(await actions(id, 'county')).toEqual(['ACCEPT', 'REJECT_RECTIFICATION']);
      expectOk(await ev('county', id, { type: 'ACCEPT', comment: '验收合格' }), 'closed');

      const sigs = await chain(id);
      expect(sigs.map((s) => [s.kind, s.signer.id, s.signer.role])).toEqual([
        ['investigation', ids.cadre, 'investigator'],
        ['review', ids.leader, 'township_leader'],
        ['escalation', ids.leader, 'township_leader'],
        ['rectification', ids.dept, 'rectifier'],
        ['acceptance', ids.county, 'county_office'],
      ]);
      expect(sigs[2].payload).toMatchObject({ toOrgUnitId: t.demo.orgUnits.zhujian.id, reason: '镇村无力解决' });
    });

    it('REJECT_RECTIFICATION → rectifying (new deadline) → rectified again → ACCEPT', async () => {
      const id = await rectifying('cadre2');
      const file = Buffer.from(`%PDF-1.4 first attempt ${randomUUID()}`);
      const up = await t.http
        .post('/api/attachments')
        .set('authorization', await bearer(t, 'cadre2'))
        .attach('file', file, 'before-after.pdf');
      expect(up.status).toBe(201);
      expectOk(await ev('cadre2', id, { type: 'SUBMIT_RECTIFICATION', comment: '已维修', evidence: [up.body.id] }), 'pending_acceptance');

      await refused(id, 400, () => ev('leader', id, { type: 'REJECT_RECTIFICATION' }), 'VALIDATION_FAILED');
      await refused(id, 409, () => ev('cadre2', id, { type: 'REJECT_RECTIFICATION', reason: '自己驳回' }), 'TRANSITION_REFUSED');
      const rej = expectOk(await ev('leader', id, { type: 'REJECT_RECTIFICATION', reason: '屋顶仍漏雨', deadline: chinaDay(15) }), 'rectifying');
      expect(rej.deadline).toBe(chinaDay(15));
      expect(await actions(id, 'cadre2')).toContain('SUBMIT_RECTIFICATION');

      await rectify(id, 'cadre2');
      expectOk(await ev('leader', id, { type: 'ACCEPT' }), 'closed');
      const sigs = await chain(id);
      expect(sigs.map((s) => s.kind)).toEqual(['investigation', 'review', 'rectification', 'rejection', 'rectification', 'acceptance']);
      // The evidence signed is the file's own SHA-256.
      expect(sigs[2].evidence).toEqual([expect.objectContaining({ id: up.body.id, sha256: createHash('sha256').update(file).digest('hex') })]);
      expect(sigs[3]).toMatchObject({ payload: { reason: '屋顶仍漏雨', deadline: chinaDay(15) }, stateBefore: 'pending_acceptance', stateAfter: 'rectifying' });
    });

    it('closed → inspector REOPEN with deadline → rectifying → rectified → ACCEPT again; the chain keeps everything', async () => {
      const id = await closed();
      const first = await item(id);
      expect(first.closedAt).not.toBeNull();
      expect(await actions(id, 'inspector')).toEqual(['SPOT_CHECK_PASS', 'REOPEN']);
      const noDeadline = await refused(id, 400, () => ev('inspector', id, { type: 'REOPEN', reason: '屋顶仍漏雨' }), 'VALIDATION_FAILED');
      expect(noDeadline.body.details).toEqual([expect.objectContaining({ field: 'deadline' })]);

      const re = expectOk(await ev('inspector', id, { type: 'REOPEN', reason: '督查发现屋顶仍漏雨', deadline: chinaDay(7) }), 'rectifying');
      expect(re).toMatchObject({ reopenCount: 1, closedAt: null, inspected: false, deadline: chinaDay(7), rectifier: { id: ids.cadre2 } });
      expect(await actions(id, 'cadre2')).toContain('SUBMIT_RECTIFICATION');

      await rectify(id, 'cadre2');
      const second = expectOk(await ev('leader', id, { type: 'ACCEPT' }), 'closed');
      expect(second.reopenCount).toBe(1);
      expect(second.closedAt).not.toBeNull();
      expect(Date.parse(second.closedAt)).toBeGreaterThan(Date.parse(first.closedAt));

      const sigs = await chain(id);
      expect(sigs.map((s) => s.kind)).toEqual(['investigation', 'review', 'rectification', 'acceptance', 'reopen', 'rectification', 'acceptance']);
      expect(sigs.map((s) => s.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      sigs.forEach((s, i) => expect(s.prevHash).toBe(i === 0 ? null : sigs[i - 1].hash));
      expect(sigs[4]).toMatchObject({ signer: { id: ids.inspector, role: 'inspector' }, stateBefore: 'closed', stateAfter: 'rectifying' });
      expect(await verify(id)).toEqual({ valid: true, length: 7, firstBroken: null });

      // The reopening inspector signed an earlier step, so another inspector checks the re-closed item.
      const self = await refused(id, 409, () => ev('inspector', id, { type: 'SPOT_CHECK_PASS' }), 'TRANSITION_REFUSED');
      expect(self.body.reason).toBe('separation_of_duties');
      const check = expectOk(await ev('inspector_b', id, { type: 'SPOT_CHECK_PASS', comment: '复核通过' }), 'closed');
      expect(check.inspected).toBe(true);
      expect((await chain(id)).at(-1)).toMatchObject({ kind: 'inspection', signer: { id: ids.inspector_b, role: 'inspector' } });
    });

    it('DISCARD of a draft: only by its investigator; then the item is gone (404)', async () => {
      const draft = await createDraft(t, cid, { description: '误登记' });
      const byLeader = await refused(draft.id, 409, () => ev('leader', draft.id, { type: 'DISCARD' }), 'TRANSITION_REFUSED');
      expect(byLeader.body.reason).toBe('not_permitted');
      const res = await ev('cadre', draft.id, { type: 'DISCARD' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: draft.id, state: 'discarded', deleted: true });
      expect((await get(draft.id, 'cadre')).status).toBe(404);
      expect((await get(draft.id, 'county')).status).toBe(404);
      expect((await t.http.get(`/api/items/${draft.id}/signatures`).set('authorization', await bearer(t, 'county'))).status).toBe(404);
      expect((await ev('cadre', draft.id, { type: 'SUBMIT' })).status).toBe(404);

      // A signed item can no longer be discarded.
      const id = await submitted('已提交的问题');
      await refused(id, 409, () => ev('cadre', id, { type: 'DISCARD' }), 'TRANSITION_REFUSED');
    });

    it('MARK_LONG_TERM by the reviewer with a plan, once', async () => {
      const id = await rectifying('cadre2', '产业项目需跨年实施');
      await refused(id, 409, () => ev('cadre2', id, { type: 'MARK_LONG_TERM', plan: '分两年实施' }), 'TRANSITION_REFUSED');
      const noPlan = await refused(id, 400, () => ev('leader', id, { type: 'MARK_LONG_TERM' }), 'VALIDATION_FAILED');
      expect(noPlan.body.details).toEqual([expect.objectContaining({ field: 'plan' })]);

      const lt = expectOk(await ev('leader', id, { type: 'MARK_LONG_TERM', plan: '2022 年底前完成' }), 'rectifying');
      expect(lt).toMatchObject({ longTerm: true, longTermPlan: '2022 年底前完成' });
      expect(lt.availableActions).not.toContain('MARK_LONG_TERM');
      await refused(id, 409, () => ev('leader', id, { type: 'MARK_LONG_TERM', plan: '再来一次' }), 'TRANSITION_REFUSED');
      expect((await chain(id)).at(-1)).toMatchObject({ kind: 'long_term', signer: { id: ids.leader }, payload: { plan: '2022 年底前完成' } });
      // Long-term work still ends with a rectification.
      expect(await actions(id, 'cadre2')).toContain('SUBMIT_RECTIFICATION');
    });
  });

  // ------------------------------------------------------------ separation of duties

  describe('separation of duties', () => {
    it('a township leader who rectified the item cannot accept it; the other leader can', async () => {
      const id = await submitted('村道破损');
      expectOk(await ev('leader_b', id, { type: 'CONFIRM', measures: '修补村道', rectifierId: ids.leader, deadline: chinaDay(10) }), 'rectifying');
      await rectify(id, 'leader');

      expect(await actions(id, 'leader')).not.toContain('ACCEPT');
      const self = await refused(id, 409, () => ev('leader', id, { type: 'ACCEPT' }), 'TRANSITION_REFUSED');
      expect(self.body.reason).toBe('separation_of_duties');

      expect(await actions(id, 'leader_b')).toContain('ACCEPT');
      expectOk(await ev('leader_b', id, { type: 'ACCEPT' }), 'closed');
      expect((await chain(id)).map((s) => [s.kind, s.signer.id])).toEqual([
        ['investigation', ids.cadre],
        ['review', ids.leader_b],
        ['rectification', ids.leader],
        ['acceptance', ids.leader_b],
      ]);
    });

    it('an inspector who signed an earlier step cannot spot-check or reopen the item', async () => {
      // Inspectors are never rectifiers (a rectifier comes from the item's township or department): the earlier step they sign is a reopen.
      const id = await submitted('饮水不安全');
      expectOk(await ev('leader', id, { type: 'CONFIRM', measures: '接通自来水', rectifierId: ids.cadre2, deadline: chinaDay(10) }), 'rectifying');
      await rectify(id, 'cadre2');
      expectOk(await ev('leader', id, { type: 'ACCEPT' }), 'closed');
      expectOk(await ev('inspector', id, { type: 'REOPEN', reason: '水压不足', deadline: chinaDay(8) }), 'rectifying');
      await rectify(id, 'cadre2');
      expectOk(await ev('leader', id, { type: 'ACCEPT' }), 'closed');

      expect(await actions(id, 'inspector')).toEqual([]);
      const check = await refused(id, 409, () => ev('inspector', id, { type: 'SPOT_CHECK_PASS' }), 'TRANSITION_REFUSED');
      expect(check.body.reason).toBe('separation_of_duties');
      const reopen = await refused(id, 409, () => ev('inspector', id, { type: 'REOPEN', reason: '复查', deadline: chinaDay(5) }), 'TRANSITION_REFUSED');
      expect(reopen.body.reason).toBe('separation_of_duties');

      expect(await actions(id, 'inspector_b')).toEqual(['SPOT_CHECK_PASS', 'REOPEN']);
      expect(expectOk(await ev('inspector_b', id, { type: 'SPOT_CHECK_PASS' }), 'closed').inspected).toBe(true);
    });
  });

  // ------------------------------------------------------------ races

  describe('concurrency', () => {
    it('two leaders accept the same item at once: one wins, one 409, one acceptance signature', async () => {
      for (let round = 0; round < 3; round++) {
        const id = await pendingAcceptance();
        const before = await item(id);
        const results = await Promise.all([ev('leader', id, { type: 'ACCEPT' }), ev('leader_b', id, { type: 'ACCEPT' })]);
        expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
        const loser = results.find((r) => r.status === 409)!;
        expect(['VERSION_CONFLICT', 'TRANSITION_REFUSED']).toContain(loser.body.code);
        const after = await item(id);
        expect({ state: after.state, version: after.version }).toEqual({ state: 'closed', version: before.version + 1 });
        const sigs = await chain(id);
        expect(sigs.filter((s) => s.kind === 'acceptance')).toHaveLength(1);
        expect(sigs.at(-1)!.signer.id).toBe(results[0].status === 200 ? ids.leader : ids.leader_b);
        expect((await verify(id)).valid).toBe(true);
      }
    });
  });

  // ------------------------------------------------------------ idempotent retries

  describe('idempotency', () => {
    it('a retried event with the same Idempotency-Key answers the first result and signs once', async () => {
      const draft = await createDraft(t, cid, { description: '重试提交' });
      const key = `submit-${randomUUID()}`;
      const first = await ev('cadre', draft.id, { type: 'SUBMIT' }, key);
      const again = await ev('cadre', draft.id, { type: 'SUBMIT' }, key);
      expect(first.status).toBe(200);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      expect(await kinds(draft.id)).toEqual(['investigation']);
      expect((await item(draft.id)).version).toBe(2);
      // Without the key the same request is a new one, refused in the new state.
      await refused(draft.id, 409, () => ev('cadre', draft.id, { type: 'SUBMIT' }), 'TRANSITION_REFUSED');
    });

    it('concurrent retries with one key sign once and all answer the same', async () => {
      const id = await pendingAcceptance();
      const key = `accept-${randomUUID()}`;
      const results = await Promise.all([1, 2, 3].map(() => ev('leader', id, { type: 'ACCEPT' }, key)));
      expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
      expect(results[0].body.state).toBe('closed');
      expect(results[1].body).toEqual(results[0].body);
      expect(results[2].body).toEqual(results[0].body);
      expect((await chain(id)).filter((s) => s.kind === 'acceptance')).toHaveLength(1);
    });

    it('a key reused for a different request is refused with 422 and writes nothing', async () => {
      const id = await rectifying('cadre2');
      const key = `progress-${randomUUID()}`;
      expectOk(await ev('cadre2', id, { type: 'REQUEST_EXTENSION', reason: '材料未到', newDeadline: chinaDay(20) }, key), 'rectifying');
      const reused = await refused(
        id,
        422,
        () => ev('cadre2', id, { type: 'SUBMIT_RECTIFICATION', comment: '已修', evidence: [randomUUID()] }, key),
        'IDEMPOTENCY_KEY_REUSED',
      );
      expect(reused.body.details).toEqual([expect.objectContaining({ field: 'Idempotency-Key' })]);
    });

    it('POST /api/items twice with one key creates one item; keys are per user', async () => {
      const key = `create-${randomUUID()}`;
      const description = `幂等登记 ${key}`;
      const body = { campaignId: cid, orgUnitId: t.demo.orgUnits.datong.id, problemTypeCode: 'HQ-01', description };
      const post = async (username: string, b: object) =>
        t.http
          .post('/api/items')
          .set('authorization', await bearer(t, username))
          .set('Idempotency-Key', key)
          .send(b);
      const a = await post('cadre', body);
      const b = await post('cadre', body);
      expect([a.status, b.status]).toEqual([201, 201]);
      expect(b.body).toEqual(a.body);
      const list = await t.http.get(`/api/items?campaignId=${cid}&q=${encodeURIComponent(key)}`).set('authorization', await bearer(t, 'county'));
      expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([a.body.id]);
      expect((await post('cadre', { ...body, description: `${description} 改` })).status).toBe(422);

      // Another user's identical key is their own: it neither replays nor collides.
      const other = await post('cadre2', { ...body, orgUnitId: t.demo.orgUnits.qilimiao.id });
      expect(other.status).toBe(201);
      expect(other.body.id).not.toBe(a.body.id);
    });
  });

  // ------------------------------------------------------------ tamper evidence

  describe('signature chain tamper evidence', () => {
    it('the database refuses UPDATE, DELETE and TRUNCATE; a row changed behind its back breaks verification at that seq', async () => {
      const id = await closed();
      const other = await closed();
      const sigs = await chain(id);
      expect(sigs).toHaveLength(4);
      const db = new Client({ connectionString: t.databaseUrl });
      await db.connect();
      try {
        await expect(db.query(`UPDATE signatures SET comment = '篡改' WHERE subject_id = $1 AND seq = 2`, [id])).rejects.toThrow(/immutable/);
        await expect(db.query(`DELETE FROM signatures WHERE subject_id = $1`, [id])).rejects.toThrow(/immutable/);
        await db.query('BEGIN');
        try {
          await expect(db.query('TRUNCATE signatures CASCADE')).rejects.toThrow(/immutable/);
        } finally {
          await db.query('ROLLBACK');
        }
        expect(await chain(id)).toEqual(sigs);
        expect(await verify(id)).toEqual({ valid: true, length: 4, firstBroken: null });

        // Someone with the power to bypass triggers edits the review signature.
        await db.query('BEGIN');
        await db.query('SET LOCAL session_replication_role = replica');
        const changed = await db.query(`UPDATE signatures SET comment = '篡改' WHERE subject_id = $1 AND seq = 2`, [id]);
        await db.query('COMMIT');
        expect(changed.rowCount).toBe(1);
      } finally {
        await db.end();
      }
      expect((await chain(id))[1].comment).toBe('篡改');
      expect(await verify(id)).toEqual({ valid: false, length: 4, firstBroken: { seq: 2, signatureId: sigs[1].id, reason: 'hash_mismatch' } });
      expect(await verify(other)).toEqual({ valid: true, length: 4, firstBroken: null });
      // The trigger is back in force for everybody else.
      const db2 = new Client({ connectionString: t.databaseUrl });
      await db2.connect();
      try {
        await expect(db2.query(`DELETE FROM signatures WHERE subject_id = $1`, [other])).rejects.toThrow(/immutable/);
      } finally {
        await db2.end();
      }
    });
  });

  // ------------------------------------------------------------ refusals, notifications, validation

  describe('refusals', () => {
    it('a refused event answers 409 with the state and what the caller may do instead', async () => {
      const draft = await createDraft(t, cid, { description: '验收草稿' });
      const res = await refused(draft.id, 409, () => ev('cadre', draft.id, { type: 'ACCEPT' }), 'TRANSITION_REFUSED');
      expect(res.body).toMatchObject({ statusCode: 409, reason: 'invalid_state', state: 'draft', availableActions: ['EDIT', 'SUBMIT', 'DISCARD'] });
      const byLeader = await refused(draft.id, 409, () => ev('leader', draft.id, { type: 'ACCEPT' }), 'TRANSITION_REFUSED');
      expect(byLeader.body).toMatchObject({ state: 'draft', availableActions: [] });

      const id = await pendingAcceptance();
      const spot = await refused(id, 409, () => ev('inspector', id, { type: 'SPOT_CHECK_PASS' }), 'TRANSITION_REFUSED');
      expect(spot.body).toMatchObject({ state: 'pending_acceptance', availableActions: [] });
      const progress = await refused(id, 409, () => ev('cadre2', id, { type: 'REPORT_PROGRESS', comment: '还在修' }), 'TRANSITION_REFUSED');
      expect(progress.body).toMatchObject({ reason: 'invalid_state', state: 'pending_acceptance', availableActions: [] });
      // Outside the caller's scope the item does not exist.
      await refused(id, 404, () => ev('leader2', id, { type: 'ACCEPT' }), 'NOT_FOUND');
      // EDIT is PATCH, not an event.
      await refused(id, 400, () => ev('leader', id, { type: 'EDIT' }), 'VALIDATION_FAILED');
    });
  });

  describe('notifications', () => {
    it('after CONFIRM the rectifier and the investigator are told about the item', async () => {
      const id = await submitted('安全饮水不达标');
      const number = (await item(id)).number;
      const list = async (u: string) =>
        (await t.http.get('/api/notifications').set('authorization', await bearer(t, u))).body as Array<{ itemId: string; kind: string; message: string }>;
      expect((await list('cadre2')).filter((n) => n.itemId === id)).toEqual([]);
      // The reviewers were told about the submission.
      expect((await list('leader')).some((n) => n.itemId === id && n.message.includes('待您审核'))).toBe(true);

      expectOk(await ev('leader', id, { type: 'CONFIRM', measures: '更换管网', rectifierId: ids.cadre2, deadline: chinaDay(10) }), 'rectifying');
      const mine = (await list('cadre2')).filter((n) => n.itemId === id);
      expect(mine).toHaveLength(1);
      expect(mine[0].message).toContain(`#${number}`);
      expect(mine[0].message).toContain('已审核确认，待您整改（时限');
      expect(mine[0].kind).toBe('notifyRectifier');
      expect((await list('cadre')).some((n) => n.itemId === id && n.message.endsWith('已审核确认'))).toBe(true);
      // Nobody uninvolved hears of it.
      expect((await list('cadre3')).filter((n) => n.itemId === id)).toEqual([]);
    });
  });

  describe('validation of deadlines, measures and evidence', () => {
    it('CONFIRM refuses a past or today deadline and a missing 四项清单 field, naming it', async () => {
      const id = await submitted('养老保险未参保');
      const confirm = (body: object) => () =>
        ev('leader', id, { type: 'CONFIRM', measures: '办理参保', rectifierId: ids.cadre2, deadline: chinaDay(10), ...body });
      const fields = (res: Response) => res.body.details.map((d: { field: string }) => d.field);
      expect(fields(await refused(id, 400, confirm({ deadline: chinaDay(0) }), 'VALIDATION_FAILED'))).toEqual(['deadline']);
      expect(fields(await refused(id, 400, confirm({ deadline: chinaDay(-1) }), 'VALIDATION_FAILED'))).toEqual(['deadline']);
      expect(fields(await refused(id, 400, confirm({ deadline: '2021-13-01' }), 'VALIDATION_FAILED'))).toContain('deadline');
      expect(fields(await refused(id, 400, confirm({ measures: undefined }), 'VALIDATION_FAILED'))).toEqual(['measures']);
      expect(fields(await refused(id, 400, confirm({ measures: '   ' }), 'VALIDATION_FAILED'))).toEqual(['measures']);
      expect(fields(await refused(id, 400, confirm({ rectifierId: undefined }), 'VALIDATION_FAILED'))).toEqual(['rectifierId']);
      expect(fields(await refused(id, 400, confirm({ rectifierId: randomUUID() }), 'VALIDATION_FAILED'))).toEqual(['rectifierId']);
      expect(fields(await refused(id, 400, confirm({ rectifierId: ids.admin }), 'VALIDATION_FAILED'))).toEqual(['rectifierId']);
      // Tomorrow is the earliest deadline.
      expect(expectOk(await confirm({ deadline: chinaDay(1) })(), 'rectifying').deadline).toBe(chinaDay(1));
    });

    it('SUBMIT_RECTIFICATION refuses unknown or missing evidence, naming evidence', async () => {
      const id = await rectifying('cadre2');
      const submit = (body: object) => () => ev('cadre2', id, { type: 'SUBMIT_RECTIFICATION', comment: '已完成', ...body });
      const fields = (res: Response) => res.body.details.map((d: { field: string }) => d.field);
      expect(fields(await refused(id, 400, submit({ evidence: [randomUUID()] }), 'VALIDATION_FAILED'))).toEqual(['evidence']);
      const real = await uploadPdf(t, 'cadre2');
      expect(fields(await refused(id, 400, submit({ evidence: [real, randomUUID()] }), 'VALIDATION_FAILED'))).toEqual(['evidence']);
      expect(fields(await refused(id, 400, submit({ evidence: [] }), 'VALIDATION_FAILED'))).toEqual(['evidence']);
      expect(fields(await refused(id, 400, submit({}), 'VALIDATION_FAILED'))).toEqual(['evidence']);
      expect(fields(await refused(id, 400, submit({ comment: '', evidence: [real] }), 'VALIDATION_FAILED'))).toEqual(['comment']);
      const ok = expectOk(await submit({ evidence: [real] })(), 'pending_acceptance');
      expect(ok.state).toBe('pending_acceptance');
      expect((await chain(id)).at(-1)!.evidence.map((e) => e.id)).toEqual([real]);
    });

    it('an attachment that is neither an image nor a PDF is refused with 415', async () => {
      const auth = await bearer(t, 'cadre2');
      const text = await t.http.post('/api/attachments').set('authorization', auth).attach('file', Buffer.from('just some text'), 'notes.txt');
      expect(text.status).toBe(415);
      expect(text.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      // The content decides, not the name or the claimed type.
      const disguised = await t.http
        .post('/api/attachments')
        .set('authorization', auth)
        .attach('file', Buffer.from('MZ\x90\x00 not a picture'), { filename: 'photo.png', contentType: 'image/png' });
      expect(disguised.status).toBe(415);
      const png = await t.http
        .post('/api/attachments')
        .set('authorization', auth)
        .attach('file', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]), 'ok.png');
      expect([png.status, png.body.mimeType]).toEqual([201, 'image/png']);
    });
  });
});
