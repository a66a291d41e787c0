import { createTestApp, TestApp } from './app';

describe('items smoke', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('runs an item from draft to closed and spot check', async () => {
    const auth = async (u: string) => `Bearer ${await t.token(u)}`;
    const camp = await t.http
      .post('/api/campaigns')
      .set('authorization', await auth('county'))
      .send({ preset: 'huoqiu', title: '集中排查', docNumber: '霍扶组〔2021〕5号' });
    expect(camp.status).toBe(201);
    const cid = camp.body.id;
    for (let i = 0; i < 3; i++) {
      const adv = await t.http
        .post(`/api/campaigns/${cid}/advance`)
        .set('authorization', await auth('county'))
        .send({});
      expect(adv.status).toBe(200);
    }
    const created = await t.http
      .post('/api/items')
      .set('authorization', await auth('cadre'))
      .send({
        campaignId: cid,
        orgUnitId: t.demo.orgUnits.datong.id,
        problemTypeCode: 'HQ-01',
        description: '住房漏雨',
        householdName: '张三',
        householdIdNumber: '11010519491231002X',
      });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const ev = async (u: string, body: object) =>
      t.http
        .post(`/api/items/${id}/events`)
        .set('authorization', await auth(u))
        .send(body);
    let r = await ev('cadre', { type: 'SUBMIT' });
    expect([r.status, r.body.state]).toEqual([200, 'pending_review']);
    const deadline = new Date(Date.now() + 10 * 86400000).toISOString().slice(0, 10);
    r = await ev('leader', { type: 'CONFIRM', measures: '维修屋顶', rectifierId: t.demo.userIds.cadre2, deadline });
    expect([r.status, r.body.state, r.body]).toEqual([200, 'rectifying', expect.anything()]);
    const up = await t.http
      .post('/api/attachments')
      .set('authorization', await auth('cadre2'))
      .attach('file', Buffer.from('%PDF-1.4 test'), 'proof.pdf');
    expect(up.status).toBe(201);
    r = await ev('cadre2', { type: 'SUBMIT_RECTIFICATION', comment: '已维修', evidence: [up.body.id] });
    expect([r.status, r.body.state]).toEqual([200, 'pending_acceptance']);
    r = await ev('leader', { type: 'ACCEPT' });
    expect([r.status, r.body.state]).toEqual([200, 'closed']);
    r = await ev('inspector', { type: 'SPOT_CHECK_PASS' });
    expect([r.status, r.body.inspected]).toEqual([200, true]);
    const chain = await t.http.get(`/api/items/${id}/signatures`).set('authorization', await auth('county'));
    expect(chain.body.map((s: { kind: string }) => s.kind)).toEqual(['investigation', 'review', 'rectification', 'acceptance', 'inspection']);
    const verify = await t.http.get(`/api/items/${id}/signatures/verify`).set('authorization', await auth('county'));
    expect(verify.body).toEqual({ valid: true, length: 5, firstBroken: null });
    const got = await t.http.get(`/api/items/${id}`).set('authorization', await auth('leader'));
    expect(got.body.household.idNumber).toBe('110105********002X');
    const list = await t.http.get(`/api/items?campaignId=${cid}`).set('authorization', await auth('county'));
    expect(list.body.items[0].household.idNumber).toBe('11010519491231002X');
    const inbox = await t.http.get('/api/inbox').set('authorization', await auth('inspector'));
    expect(inbox.status).toBe(200);
    const wf = await t.http.get('/api/workflows/problem-item').set('authorization', await auth('county'));
    expect(wf.body.mermaid).toContain('stateDiagram');
  });
});
