import { Client } from 'pg';
import { Clock, DAY_MS } from '../src/common/clock';
import { DelegationDirectory } from '../src/delegations/delegation-directory';
import { RemindersService } from '../src/reminders/reminders.service';
import { createTestApp, TestApp } from './app';
import { bearer, chinaDay, createDraft, createUser, itemEvent, rectificationCampaign, tamperWith, uploadPdf, verifyItemChain } from './factories';

/**
 * 委派: the township leader hands review and acceptance to a colleague of the
 * township for some days. The delegate then sees and signs what the leader
 * would, each signature naming both (signer = delegate, onBehalfOf = leader);
 * separation of duties holds for the delegate; ending the delegation takes
 * it all back at once. Start and end are audited.
 */
describe('delegation (委派)', () => {
  let t: TestApp;
  let cid: string;
  let db: Client;
  let ids: Record<string, string>;
  let deputy: string;
  let countyDeputy: string;

  beforeAll(async () => {
    t = await createTestApp();
    cid = await rectificationCampaign(t, '委派审核');
    ids = t.demo.userIds;
    // A township cadre (乡镇干部) of 城关镇: the same unit as the leader.
    deputy = await createUser(t, { username: 'deputy', displayName: '黄敏（城关镇干部）', orgUnitId: t.demo.orgUnits.chengguan.id, roles: ['investigator'] });
    countyDeputy = await createUser(t, { username: 'countydeputy', displayName: '钱进（县巩固办）', orgUnitId: t.demo.countyId, roles: ['county_office'] });
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  const post = async (username: string, path: string, body: object = {}) =>
    t.http
      .post(path)
      .set('authorization', await bearer(t, username))
      .send(body);
  const get = async (username: string, path: string) => t.http.get(path).set('authorization', await bearer(t, username));
  const submitted = async (description: string): Promise<string> => {
    const draft = await createDraft(t, cid, { description });
    await itemEvent(t, 'cadre', draft.id, { type: 'SUBMIT' });
    return draft.id as string;
  };
  const inbox = async (username: string): Promise<Array<{ id: string; availableActions: string[] }>> => (await get(username, '/api/inbox')).body;
  const audits = async (id: string) => (await db.query('SELECT action, actor_id FROM audit_events WHERE subject_id = $1 ORDER BY created_at', [id])).rows;

  it('refuses what is not a delegation of one’s own duties to a colleague of the unit, naming the field', async () => {
    const field = (res: { status: number; body: { code: string; details: Array<{ field: string }> } }) => [
      res.status,
      res.body.code,
      res.body.details?.[0]?.field,
    ];
    const days = { startsOn: chinaDay(0), endsOn: chinaDay(3) };
    expect(field(await post('leader', '/api/delegations', { ...days, delegateId: ids.cadre }))).toEqual([400, 'VALIDATION_FAILED', 'delegateId']);
    expect(field(await post('leader', '/api/delegations', { ...days, delegateId: ids.leader }))).toEqual([400, 'VALIDATION_FAILED', 'delegateId']);
    expect(field(await post('leader', '/api/delegations', { delegateId: deputy, startsOn: chinaDay(-1), endsOn: chinaDay(3) }))).toEqual([
      400,
      'VALIDATION_FAILED',
      'startsOn',
    ]);
    expect(field(await post('leader', '/api/delegations', { delegateId: deputy, startsOn: chinaDay(3), endsOn: chinaDay(2) }))).toEqual([
      400,
      'VALIDATION_FAILED',
      'endsOn',
    ]);
    expect(field(await post('leader', '/api/delegations', { delegateId: deputy, startsOn: chinaDay(0), endsOn: chinaDay(120) }))).toEqual([
      400,
      'VALIDATION_FAILED',
      'endsOn',
    ]);
    expect(field(await post('leader', '/api/delegations', { delegateId: deputy, startsOn: '2030-02-31', endsOn: chinaDay(2) }))).toEqual([
      400,
      'VALIDATION_FAILED',
      'startsOn',
    ]);
    // Only reviewers delegate.
    expect((await post('cadre', '/api/delegations', { ...days, delegateId: ids.cadre2 })).status).toBe(403);
    expect((await db.query('SELECT count(*)::int AS n FROM delegations')).rows[0].n).toBe(0);
    // The candidates are the leader's colleagues of the unit who sign.
    expect((await get('leader', '/api/delegations/candidates')).body).toEqual([
      { id: ids.towncadre, name: '吴杰（城关镇）', roles: ['investigator'] },
      { id: deputy, name: '黄敏（城关镇干部）', roles: ['investigator'] },
    ]);
  });

  it('while it holds, the delegate reviews and accepts the leader’s items, signing “代 李明”; separation of duties still binds the delegate', async () => {
    const before = await submitted('危房改造（委派前）');
    // Before any delegation the deputy has nothing to review.
    expect((await inbox('deputy')).map((i) => i.id)).not.toContain(before);

    const created = await post('leader', '/api/delegations', { delegateId: deputy, startsOn: chinaDay(0), endsOn: chinaDay(5), reason: '休假' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      delegator: { id: ids.leader, name: '李明（城关镇分管负责人）' },
      delegate: { id: deputy, name: '黄敏（城关镇干部）' },
      orgUnitName: '城关镇',
      startsOn: chinaDay(0),
      endsOn: chinaDay(5),
      reason: '休假',
      status: 'active',
      endedAt: null,
    });
    const delegationId = created.body.id as string;
    expect(await audits(delegationId)).toEqual([{ action: 'delegation.start', actor_id: ids.leader }]);
    // Overlapping days: one stand-in at a time.
    expect((await post('leader', '/api/delegations', { delegateId: deputy, startsOn: chinaDay(2), endsOn: chinaDay(8) })).status).toBe(409);
    // Both see it in their lists.
    for (const u of ['leader', 'deputy']) expect((await get(u, '/api/delegations')).body.map((d: { id: string }) => d.id)).toEqual([delegationId]);
    expect((await get('cadre', '/api/delegations')).body).toEqual([]);

    // The delegate's inbox has the township's items waiting for review, and new submissions tell the delegate too.
    const row = (await inbox('deputy')).find((i) => i.id === before) as { availableActions: string[]; actingFor: unknown } | undefined;
    expect(row?.availableActions).toEqual(expect.arrayContaining(['CONFIRM', 'RETURN', 'DISMISS']));
    expect(row?.actingFor).toEqual({ id: ids.leader, name: '李明（城关镇分管负责人）' });
    // The leader acts in their own right.
    expect(((await inbox('leader')).find((i) => i.id === before) as { actingFor: unknown } | undefined)?.actingFor).toBeNull();
    const id = await submitted('饮水不安全（委派中）');
    const told = (await get('deputy', '/api/notifications')).body.filter((n: { itemId: string }) => n.itemId === id);
    expect(told.map((n: { message: string }) => n.message)).toEqual([expect.stringMatching(/已提交，待您审核$/)]);
    // The delegate may name rectifiers, as the leader would.
    expect((await get('deputy', `/api/directory/rectifiers?itemId=${id}`)).body.map((u: { id: string }) => u.id)).toContain(ids.cadre2);
    expect((await get('cadre', `/api/directory/rectifiers?itemId=${id}`)).body).toEqual([]);

    await itemEvent(t, 'deputy', id, { type: 'CONFIRM', measures: '更换管网', rectifierId: ids.cadre2, deadline: chinaDay(10) });
    await itemEvent(t, 'cadre2', id, { type: 'SUBMIT_RECTIFICATION', comment: '已更换', evidence: [await uploadPdf(t, 'cadre2')] });
    await itemEvent(t, 'deputy', id, { type: 'ACCEPT', comment: '验收合格' });
    const chain = (await get('leader', `/api/items/${id}/signatures`)).body as Array<{
      eventType: string;
      signer: { id: string; role: string };
      onBehalfOf: { id: string; name: string } | null;
    }>;
    expect(chain.map((s) => [s.eventType, s.signer.id, s.signer.role, s.onBehalfOf])).toEqual([
      ['SUBMIT', ids.cadre, 'investigator', null],
      ['CONFIRM', deputy, 'township_leader', { id: ids.leader, name: '李明（城关镇分管负责人）' }],
      ['SUBMIT_RECTIFICATION', ids.cadre2, 'rectifier', null],
      ['ACCEPT', deputy, 'township_leader', { id: ids.leader, name: '李明（城关镇分管负责人）' }],
    ]);
    expect(await verifyItemChain(t, id)).toEqual({ valid: true, length: 4, firstBroken: null });

    // Separation of duties: the delegate named rectifier cannot accept their own rectification; the leader can.
    const own = await submitted('厕所改造（受托人整改）');
    // (the leader names the deputy: nobody may name themself rectifier)
    await itemEvent(t, 'leader', own, { type: 'CONFIRM', measures: '改厕', rectifierId: deputy, deadline: chinaDay(10) });
    await itemEvent(t, 'deputy', own, { type: 'SUBMIT_RECTIFICATION', comment: '已改', evidence: [await uploadPdf(t, 'deputy')] });
    const refused = await post('deputy', `/api/items/${own}/events`, { type: 'ACCEPT' });
    expect([refused.status, refused.body.reason]).toEqual([409, 'separation_of_duties']);
    await itemEvent(t, 'leader', own, { type: 'ACCEPT' });
  });

  it('a signature’s delegator is under the chain’s hash: changing it breaks the chain there', async () => {
    const id = await submitted('医保未参保（篡改）');
    await itemEvent(t, 'deputy', id, { type: 'RETURN', reason: '补充材料' });
    await tamperWith(db, [`UPDATE signatures SET on_behalf_of_name = '别人' WHERE subject_id = $1 AND seq = 2`, [id]]);
    expect(await verifyItemChain(t, id)).toMatchObject({ valid: false, firstBroken: { seq: 2, reason: 'hash_mismatch' } });
  });

  it('a delegation that runs its course is audited as ended once, by the daily job', async () => {
    const made = await post('county', '/api/delegations', { delegateId: countyDeputy, startsOn: chinaDay(0), endsOn: chinaDay(1) });
    expect(made.status).toBe(201);
    const clock = t.app.get(Clock);
    const runAt = async (days: number) => {
      clock.travel(days * DAY_MS);
      try {
        return await t.app.get(RemindersService).run();
      } finally {
        clock.travel(-days * DAY_MS);
      }
    };
    // The last day is still within it.
    expect((await runAt(1)).delegationsExpired).toBe(0);
    expect((await runAt(2)).delegationsExpired).toBe(1);
    expect((await runAt(3)).delegationsExpired).toBe(0);
    expect((await audits(made.body.id)).map((a) => [a.action, a.actor_id])).toEqual([
      ['delegation.start', ids.county],
      ['delegation.expire', null],
    ]);
  });

  it('ended early, or past its last day, the delegation gives nothing more; ending is audited and only the delegator may end it', async () => {
    const [delegation] = (await get('leader', '/api/delegations')).body as Array<{ id: string }>;
    expect(delegation).toMatchObject({ delegator: { id: ids.leader } });
    const id = await submitted('就业帮扶（委派结束）');
    expect((await inbox('deputy')).map((i) => i.id)).toContain(id);
    expect((await post('deputy', `/api/delegations/${delegation.id}/end`)).status).toBe(403);
    expect((await post('leader2', `/api/delegations/${delegation.id}/end`)).status).toBe(404);

    // Past the last day, without ending it: the delegate is back to their own duties.
    const clock = t.app.get(Clock);
    clock.travel(6 * DAY_MS);
    try {
      const later = await t.app.get(DelegationDirectory).delegatorsOf(deputy, t.demo.orgUnits.chengguan.id);
      expect(later).toEqual([]);
    } finally {
      clock.travel(-6 * DAY_MS);
    }

    const ended = await post('leader', `/api/delegations/${delegation.id}/end`);
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ status: 'ended', endedAt: expect.any(String) });
    expect((await audits(delegation.id)).map((a) => a.action)).toEqual(['delegation.start', 'delegation.end']);
    // Ending again changes nothing.
    await post('leader', `/api/delegations/${delegation.id}/end`);
    expect((await audits(delegation.id)).map((a) => a.action)).toEqual(['delegation.start', 'delegation.end']);

    expect((await inbox('deputy')).map((i) => i.id)).not.toContain(id);
    const refused = await post('deputy', `/api/items/${id}/events`, {
      type: 'CONFIRM',
      measures: '安排公益岗',
      rectifierId: ids.cadre2,
      deadline: chinaDay(10),
    });
    expect([refused.status, refused.body.reason]).toEqual([409, 'not_permitted']);
    await itemEvent(t, 'leader', id, { type: 'CONFIRM', measures: '安排公益岗', rectifierId: ids.cadre2, deadline: chinaDay(10) });
  });
});
