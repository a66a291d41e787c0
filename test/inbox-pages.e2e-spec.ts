import { createTestApp, TestApp } from './app';
import { bearer, chinaDay, createDraft, itemEvent, rectificationCampaign } from './factories';

/**
 * GET /api/inbox in pages: `limit` items at a time in the inbox's order
 * (deadline first, NULLS LAST, then the oldest found), the next page's cursor
 * in the X-Next-Cursor header; following the cursors gives every item once,
 * in the same order as one large page.
 */
describe('inbox pages', () => {
  let t: TestApp;
  const get = async (user: string, query = '') => t.http.get(`/api/inbox${query}`).set('authorization', await bearer(t, user));

  beforeAll(async () => {
    t = await createTestApp();
    const campaignId = await rectificationCampaign(t, '待办分页');
    // Seven items wait on the leader to review (no deadline; the cadre may still withdraw them); four on the cadre to rectify, deadlines out of order.
    for (let k = 0; k < 11; k++) {
      const draft = await createDraft(t, campaignId, { description: `待办${k}` });
      await itemEvent(t, 'cadre', draft.id, { type: 'SUBMIT' });
      if (k < 4) {
        await itemEvent(t, 'leader', draft.id, { type: 'CONFIRM', measures: '整改', rectifierId: t.demo.userIds.cadre, deadline: chinaDay(20 - 3 * k) });
        await itemEvent(t, 'cadre', draft.id, { type: 'REPORT_PROGRESS', comment: '进行中' });
      }
    }
  });
  afterAll(() => t.close());

  it.each([
    ['leader', 7, 0],
    ['cadre', 11, 4],
  ])('follows X-Next-Cursor through every item once, in the order of one page (%s)', async (user, count, withDeadline) => {
    const whole = await get(user, '?limit=200');
    expect(whole.status).toBe(200);
    expect(whole.headers['x-next-cursor']).toBeUndefined();
    const all = (whole.body as Array<{ id: string; deadline: string | null }>).map((i) => i.id);
    expect(all).toHaveLength(count);
    // Deadlines first, earliest first; then those without.
    const deadlines = (whole.body as Array<{ deadline: string | null }>).map((i) => i.deadline);
    const dated = deadlines.filter((d): d is string => d !== null);
    expect(dated).toHaveLength(withDeadline);
    expect(dated).toEqual([...dated].sort());
    expect(deadlines.slice(dated.length).every((d) => d === null)).toBe(true);

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await get(user, `?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.length).toBeLessThanOrEqual(3);
      seen.push(...(res.body as Array<{ id: string }>).map((i) => i.id));
      cursor = res.headers['x-next-cursor'];
      pages++;
    } while (cursor && pages < 20);
    expect(seen).toEqual(all);
    expect(pages).toBe(Math.ceil(all.length / 3));
  });

  it('answers 50 by default, and refuses a bad limit or cursor with 400 naming the field', async () => {
    expect((await get('leader')).body.length).toBe((await get('leader', '?limit=200')).body.length); // fewer than 50 here
    for (const [query, field] of [
      ['?limit=0', 'limit'],
      ['?limit=201', 'limit'],
      ['?cursor=bm90LWEtY3Vyc29y', 'cursor'],
      [`?cursor=${Buffer.from('2026-02-31|2026-01-01T00:00:00.000Z|00000000-0000-4000-8000-000000000000').toString('base64url')}`, 'cursor'],
    ]) {
      const res = await get('leader', query);
      expect([query, res.status, res.body.code]).toEqual([query, 400, 'VALIDATION_FAILED']);
      expect(JSON.stringify(res.body)).toContain(field);
    }
  });
});
