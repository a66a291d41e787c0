import { createHash, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Response } from 'supertest';
import { derivedKey } from '../src/idempotency/idempotency.service';
import { canonicalJson } from '../src/signatures/signature-hash';
import { createTestApp, TestApp } from './app';
import { bearer, chinaDay, createDraft, createUser, rectificationCampaign, uploadPdf } from './factories';

/**
 * Batch sign-off (POST /api/items/batch-events): every item goes its own way
 * through the single-event path, so each slot of the answer is what a single
 * call would have answered, each accepted item has exactly one new signature,
 * and the whole batch is idempotent under one key.
 */
describe('batch sign-off (HTTP)', () => {
  let t: TestApp;
  let cid: string;
  let db: Client;
  let ids: Record<string, string>;

  beforeAll(async () => {
    t = await createTestApp();
    ids = { ...t.demo.userIds };
    cid = await rectificationCampaign(t, '批量审批测试');
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  const ev = async (username: string, id: string, body: object): Promise<Response> =>
    t.http
      .post(`/api/items/${id}/events`)
      .set('authorization', await bearer(t, username))
      .send(body);

  const batch = async (username: string, body: object, key?: string): Promise<Response> => {
    const req = t.http.post('/api/items/batch-events').set('authorization', await bearer(t, username));
    if (key) req.set('Idempotency-Key', key);
    return req.send(body);
  };

  const ok = (res: Response, state?: string): Record<string, any> => {
    expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: expect.anything() });
    if (state) expect(res.body.state).toBe(state);
    return res.body;
  };

  /** A draft of `username` signed into pending_review. */
  const pending = async (username = 'cadre', orgUnit = 'datong'): Promise<string> => {
    const draft = await createDraft(t, cid, { orgUnitId: t.demo.orgUnits[orgUnit].id }, username);
    ok(await ev(username, draft.id, { type: 'SUBMIT' }), 'pending_review');
    return draft.id;
  };

  const confirm = { type: 'CONFIRM', measures: '维修屋顶', rectifierId: '', deadline: chinaDay(10) };

  /** Confirmed by `leader`, rectified by `rectifier`: waiting for acceptance. */
  /** Confirmed by `confirmer` (a reviewer never names themself rectifier), rectified by `rectifier`. */
  const pendingAcceptance = async (rectifier: string, confirmer = 'leader'): Promise<string> => {
    const id = await pending();
    ok(await ev(confirmer, id, { ...confirm, rectifierId: ids[rectifier] }), 'rectifying');
    ok(await ev(rectifier, id, { type: 'SUBMIT_RECTIFICATION', comment: '已维修', evidence: [await uploadPdf(t, rectifier)] }), 'pending_acceptance');
    return id;
  };

  const signatureRows = async (itemId: string): Promise<Array<{ kind: string; signer_id: string }>> =>
    (await db.query('SELECT kind, signer_id FROM signatures WHERE subject_id = $1 ORDER BY seq', [itemId])).rows;

  const counts = async () => {
    const { rows } = await db.query(
      `SELECT (SELECT count(*) FROM signatures)::int AS signatures, (SELECT count(*) FROM notifications)::int AS notifications,
              (SELECT coalesce(sum(version), 0) FROM problem_items)::int AS versions, (SELECT count(*) FROM idempotency_records)::int AS records`,
    );
    return rows[0] as { signatures: number; notifications: number; versions: number; records: number };
  };

  describe('CONFIRM by the township leader', () => {
    let mine: string[];
    let otherTownship: string;
    let rectifyingAlready: string;
    let first: Response;
    const key = `batch-confirm-${randomUUID()}`;
    let body: Record<string, unknown>;

    beforeAll(async () => {
      mine = [await pending(), await pending(), await pending('cadre2', 'qilimiao')];
      otherTownship = await pending('cadre3', 'hekou_a');
      rectifyingAlready = await pending();
      ok(await ev('leader', rectifyingAlready, { ...confirm, rectifierId: ids.cadre }), 'rectifying');
      body = { ...confirm, rectifierId: ids.cadre2, itemIds: [mine[0], otherTownship, mine[1], rectifyingAlready, mine[2]] };
      first = await batch('leader', body, key);
    });

    it('answers every item in request order, each as a single call would', async () => {
      expect(first.status).toBe(200);
      expect(first.body.type).toBe('CONFIRM');
      expect(first.body.results.map((r: { itemId: string; status: number }) => [r.itemId, r.status])).toEqual([
        [mine[0], 200],
        [otherTownship, 404],
        [mine[1], 200],
        [rectifyingAlready, 409],
        [mine[2], 200],
      ]);
      expect({ succeeded: first.body.succeeded, failed: first.body.failed }).toEqual({ succeeded: 3, failed: 2 });
      for (const slot of [0, 2, 4]) {
        const { item } = first.body.results[slot];
        expect(item).toMatchObject({ state: 'rectifying', measures: '维修屋顶', deadline: confirm.deadline, rectifier: { id: ids.cadre2 } });
        expect(first.body.results[slot]).not.toHaveProperty('error');
      }
      // The same refusals, word for word, as single calls of the same event.
      const single404 = await ev('leader', otherTownship, { ...confirm, rectifierId: ids.cadre2 });
      expect(first.body.results[1].error).toEqual(single404.body);
      expect(first.body.results[1].error).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
      const single409 = await ev('leader', rectifyingAlready, { ...confirm, rectifierId: ids.cadre2 });
      expect(first.body.results[3].error).toEqual(single409.body);
      expect(first.body.results[3].error).toMatchObject({ statusCode: 409, code: 'TRANSITION_REFUSED', state: 'rectifying' });
      expect(first.body.results[3].error.message).toMatch(/[\u4e00-\u9fff]/);
    });

    it('gives each confirmed item exactly one new review signature, by the leader, and none to the refused ones', async () => {
      for (const id of mine) {
        const sigs = await signatureRows(id);
        expect(sigs.map((s) => s.kind)).toEqual(['investigation', 'review']);
        expect(sigs[1].signer_id).toBe(ids.leader);
      }
      expect((await signatureRows(otherTownship)).map((s) => s.kind)).toEqual(['investigation']);
      expect((await signatureRows(rectifyingAlready)).map((s) => s.kind)).toEqual(['investigation', 'review']);
    });

    it('answers a retry with the same key exactly as the first time and writes nothing', async () => {
      const before = await counts();
      const again = await batch('leader', body, key);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      expect(await counts()).toEqual(before);
    });

    it('refuses the same key with another body (422) and writes nothing', async () => {
      const before = await counts();
      const other = await batch('leader', { ...body, itemIds: [mine[0]] }, key);
      expect(other.status).toBe(422);
      expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await counts()).toEqual(before);
    });
  });

  it('signs nothing twice when a batch that died midway is retried under its key', async () => {
    const done = await pending();
    const todo = await pending();
    const key = `batch-crash-${randomUUID()}`;
    const body = { ...confirm, rectifierId: ids.cadre2, itemIds: [done, todo] };
    // What a batch that died after its first item leaves: the claim of the key, and that item committed under its derived key.
    const leader = ids.leader;
    await db.query(`INSERT INTO idempotency_records (user_id, key, county_id, fingerprint, status_code, body) VALUES ($1, $2, $3, $4, 0, 'null'::jsonb)`, [
      leader,
      key,
      t.demo.countyId,
      fingerprintOfBatch(body),
    ]);
    const firstPart = await t.http
      .post(`/api/items/${done}/events`)
      .set('authorization', await bearer(t, 'leader'))
      .set('Idempotency-Key', derivedKey(key, done))
      .send({ type: 'CONFIRM', measures: confirm.measures, rectifierId: ids.cadre2, deadline: confirm.deadline });
    ok(firstPart, 'rectifying');

    const retry = await batch('leader', body, key);
    expect(retry.status).toBe(200);
    expect(retry.body.results.map((r: { status: number }) => r.status)).toEqual([200, 200]);
    expect(retry.body.results[0].item).toEqual(firstPart.body);
    expect((await signatureRows(done)).map((s) => s.kind)).toEqual(['investigation', 'review']);
    expect((await signatureRows(todo)).map((s) => s.kind)).toEqual(['investigation', 'review']);
  });

  /** The batch's fingerprint as IdempotencyService computes it: method, route and body. */
  function fingerprintOfBatch(body: object): string {
    return createHash('sha256')
      .update(canonicalJson({ method: 'POST', route: '/api/items/batch-events', body }))
      .digest('hex');
  }

  it('applies separation of duties per item: an ACCEPT batch refuses the item the leader rectified, the others pass', async () => {
    const byCadre2 = await pendingAcceptance('cadre2');
    // A second leader of 城关镇 names the first, who rectifies and may then not accept it.
    ids.leader_b ??= await createUser(t, {
      username: 'leader_b',
      displayName: '钱勇（城关镇分管负责人）',
      orgUnitId: t.demo.orgUnits.chengguan.id,
      roles: ['township_leader'],
    });
    const byLeader = await pendingAcceptance('leader', 'leader_b');
    const byCadre = await pendingAcceptance('cadre');
    const res = await batch('leader', { type: 'ACCEPT', comment: '验收合格', itemIds: [byCadre2, byLeader, byCadre] }, `batch-accept-${randomUUID()}`);
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { status: number }) => r.status)).toEqual([200, 409, 200]);
    expect(res.body.results[1].error).toMatchObject({ code: 'TRANSITION_REFUSED', reason: 'separation_of_duties', state: 'pending_acceptance' });
    expect({ succeeded: res.body.succeeded, failed: res.body.failed }).toEqual({ succeeded: 2, failed: 1 });
    expect(res.body.results[0].item.state).toBe('closed');
    expect(res.body.results[2].item.state).toBe('closed');
    expect((await signatureRows(byLeader)).map((s) => s.kind)).not.toContain('acceptance');
  });

  it("reads the payload with the single event's table: fields the event requires, and none it does not carry", async () => {
    const id = await pending();
    const missing = await batch('leader', { type: 'RETURN', itemIds: [id] });
    expect(missing.status).toBe(400);
    expect(missing.body.details).toEqual([{ field: 'reason', message: '理由不能为空' }]);
    const foreign = await batch('leader', { type: 'ACCEPT', reason: '多余', itemIds: [id] });
    expect(foreign.status).toBe(400);
    expect(foreign.body.details.map((d: { field: string }) => d.field)).toEqual(['reason']);
    // What depends on the item is checked per item: a CONFIRM without the 四项清单 fails on an item not fixed on the spot.
    const bare = await batch('leader', { type: 'CONFIRM', itemIds: [id] });
    expect(bare.status).toBe(200);
    expect(bare.body.results[0]).toMatchObject({ status: 400, error: { code: 'VALIDATION_FAILED' } });
    expect(bare.body.results[0].error.details.map((d: { field: string }) => d.field)).toEqual(['measures', 'rectifierId', 'deadline']);
    // A fixed-on-site item takes no fields and goes straight to acceptance.
    const fixed = await createDraft(t, cid, { description: '门前积水' });
    ok(await ev('cadre', fixed.id, { type: 'SUBMIT', fixedOnSite: true, measures: '已疏通' }), 'pending_review');
    const onSite = await batch('leader', { type: 'CONFIRM', itemIds: [fixed.id] });
    expect(onSite.body.results[0]).toMatchObject({ status: 200, item: { state: 'pending_acceptance' } });
  });

  it('refuses a batch of more than 200 items, duplicates, none, and events that are not batchable (400 naming the field)', async () => {
    const before = await counts();
    const many = await batch('leader', { type: 'ACCEPT', itemIds: Array.from({ length: 201 }, () => randomUUID()) });
    expect(many.status).toBe(400);
    expect(many.body.details.map((d: { field: string }) => d.field)).toEqual(['itemIds']);
    const id = randomUUID();
    const dup = await batch('leader', { type: 'ACCEPT', itemIds: [id, randomUUID(), id] });
    expect(dup.status).toBe(400);
    expect(dup.body.details).toEqual([{ field: 'itemIds', message: '问题不能重复' }]);
    const none = await batch('leader', { type: 'ACCEPT', itemIds: [] });
    expect(none.status).toBe(400);
    const notUuid = await batch('leader', { type: 'ACCEPT', itemIds: ['nope'] });
    expect(notUuid.status).toBe(400);
    for (const type of ['SUBMIT_RECTIFICATION', 'DISCARD', 'REOPEN', 'NOPE']) {
      const res = await batch('leader', { type, itemIds: [id] });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(['type']);
      expect(res.body.details[0].message).toContain('不能批量执行');
    }
    expect(await counts()).toEqual(before);
  });
});
