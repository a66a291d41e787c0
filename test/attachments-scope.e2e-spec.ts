import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { AttachmentsService } from '../src/attachments/attachments.service';
import { Clock } from '../src/common/clock';
import { createTestApp, TestApp } from './app';
import { bearer, chinaDay, createDraft, rectificationCampaign, uploadPdf } from './factories';

/**
 * Evidence files inside scope: who may fetch an attachment (its uploader and
 * whoever sees an item citing it), who may upload (roles that sign), what a
 * signature may cite (own uploads, or ones the same item already cites), and
 * the sweep of uploads nobody cited.
 */
describe('evidence files', () => {
  let t: TestApp;
  let campaignId: string;
  /** 城关镇 item rectified by cadre2 citing `cited`. */
  let itemId: string;
  let cited: string;

  const get = async (username: string, id: string) => (await t.http.get(`/api/attachments/${id}`).set('authorization', await bearer(t, username))).status;
  const ev = async (username: string, id: string, body: object) =>
    t.http
      .post(`/api/items/${id}/events`)
      .set('authorization', await bearer(t, username))
      .send(body);

  /** A 城关镇 item in rectifying, with `rectifier` named. */
  async function rectifying(rectifier: string): Promise<string> {
    const id = (await createDraft(t, campaignId)).id as string;
    expect((await ev('cadre', id, { type: 'SUBMIT' })).status).toBe(200);
    const confirmed = await ev('leader', id, { type: 'CONFIRM', measures: '维修屋顶', rectifierId: t.demo.userIds[rectifier], deadline: chinaDay(10) });
    expect(confirmed.status).toBe(200);
    return id;
  }

  beforeAll(async () => {
    t = await createTestApp();
    campaignId = await rectificationCampaign(t);
    itemId = await rectifying('cadre2');
    cited = await uploadPdf(t, 'cadre2');
    expect((await ev('cadre2', itemId, { type: 'SUBMIT_RECTIFICATION', comment: '已维修', evidence: [cited] })).status).toBe(200);
  });
  afterAll(() => t.close());

  it('is visible to its uploader and to whoever sees an item citing it; 404 for everybody else', async () => {
    for (const who of ['cadre2', 'cadre', 'leader', 'county', 'inspector', 'auditor']) expect([who, await get(who, cited)]).toEqual([who, 200]);
    // 河口镇 and a department the item is not assigned to do not see the item, so not its evidence either.
    for (const who of ['cadre3', 'leader2', 'dept']) expect([who, await get(who, cited)]).toEqual([who, 404]);
    expect((await t.http.get(`/api/items/${itemId}`).set('authorization', await bearer(t, 'cadre3'))).status).toBe(404);
  });

  it('an upload nobody cited yet is visible to its uploader only', async () => {
    const mine = await uploadPdf(t, 'cadre');
    expect(await get('cadre', mine)).toBe(200);
    for (const who of ['leader', 'county', 'cadre2']) expect([who, await get(who, mine)]).toEqual([who, 404]);
  });

  it('only roles that sign may upload: the admin and the auditor get 403', async () => {
    for (const who of ['admin', 'auditor']) {
      const res = await t.http
        .post('/api/attachments')
        .set('authorization', await bearer(t, who))
        .attach('file', Buffer.from('%PDF-1.4 x'), 'x.pdf');
      expect([who, res.status, res.body.code]).toEqual([who, 403, 'FORBIDDEN']);
    }
    for (const who of ['cadre', 'leader', 'county', 'dept', 'inspector']) expect(await uploadPdf(t, who)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("a signature cites only the signer's own uploads or ones the same item already cites", async () => {
    // Back to rectifying: cadre2 may cite the item's earlier evidence again, but not cadre's upload.
    expect((await ev('leader', itemId, { type: 'REJECT_RECTIFICATION', reason: '屋顶仍漏雨', deadline: chinaDay(15) })).status).toBe(200);
    const foreign = await uploadPdf(t, 'cadre');
    const refused = await ev('cadre2', itemId, { type: 'SUBMIT_RECTIFICATION', comment: '已维修', evidence: [cited, foreign] });
    expect([refused.status, refused.body.details.map((d: { field: string }) => d.field)]).toEqual([400, ['evidence']]);
    const again = await ev('cadre2', itemId, { type: 'SUBMIT_RECTIFICATION', comment: '已维修', evidence: [cited] });
    expect([again.status, again.body.state]).toEqual([200, 'pending_acceptance']);
    // Evidence cited on one item is not a pass to cite it on another.
    const other = await rectifying('cadre');
    const borrowed = await ev('cadre', other, { type: 'SUBMIT_RECTIFICATION', comment: '已维修', evidence: [cited] });
    expect([borrowed.status, borrowed.body.details.map((d: { field: string }) => d.field)]).toEqual([400, ['evidence']]);
    // And the foreign upload is still only cadre's to see.
    expect(await get('cadre2', foreign)).toBe(404);
  });

  it('uploads no signature cited within ATTACHMENT_ORPHAN_HOURS are deleted, file and row', async () => {
    const attachments = t.app.get(AttachmentsService);
    const clock = t.app.get(Clock);
    const ds = t.app.get(DataSource);
    const orphan = await uploadPdf(t, 'cadre');
    const [{ storage_key: key }] = (await ds.query('SELECT storage_key FROM attachments WHERE id = $1', [orphan])) as Array<{ storage_key: string }>;
    const file = resolve(t.config.UPLOAD_DIR, key);
    expect(existsSync(file)).toBe(true);

    // Younger than the limit: kept.
    await attachments.sweepOrphans();
    expect(await get('cadre', orphan)).toBe(200);

    clock.travel((t.config.ATTACHMENT_ORPHAN_HOURS + 1) * 3_600_000);
    try {
      const deleted = await attachments.sweepOrphans();
      expect(deleted).toBeGreaterThanOrEqual(1);
      // A second instance sweeping at the same time finds nothing left to delete.
      expect(await attachments.sweepOrphans()).toBe(0);
    } finally {
      clock.reset();
    }
    expect(await get('cadre', orphan)).toBe(404);
    expect(existsSync(file)).toBe(false);
    expect(await ds.query('SELECT id FROM attachments WHERE id = $1', [orphan])).toEqual([]);
    // Cited evidence stays.
    expect(await get('leader', cited)).toBe(200);
  });
});
