import { Client } from 'pg';
import { chineseDay } from '../workflows';
import { Clock, DAY_MS } from '../src/common/clock';
import { RemindersService } from '../src/reminders/reminders.service';
import { createTestApp, TestApp } from './app';
import { bearer, chinaDay, createDraft, itemEvent, rectificationCampaign, uploadPdf } from './factories';

type Note = { id: string; itemId: string | null; kind: string; message: string; readAt: string | null };

/**
 * Notifications as users read them: what happened and what the receiver is
 * to do by when, never for one's own action; read marks and the unread
 * count; the daily reminders job (once per item and deadline, once across
 * concurrent runs); and 督办通知书 receipt (签收, 回复).
 */
describe('notifications that say what to do', () => {
  let t: TestApp;
  let cid: string;
  let db: Client;
  let ids: Record<string, string>;

  beforeAll(async () => {
    t = await createTestApp();
    cid = await rectificationCampaign(t, '消息提醒');
    ids = t.demo.userIds;
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  const notes = async (username: string): Promise<Note[]> => {
    const res = await t.http.get('/api/notifications').set('authorization', await bearer(t, username));
    expect(res.status).toBe(200);
    return res.body as Note[];
  };
  const about = async (username: string, itemId: string): Promise<string[]> =>
    (await notes(username))
      .filter((n) => n.itemId === itemId)
      .map((n) => n.message)
      .reverse();
  const submitted = async (description: string): Promise<{ id: string; number: number }> => {
    const draft = await createDraft(t, cid, { description });
    await itemEvent(t, 'cadre', draft.id, { type: 'SUBMIT' });
    return { id: draft.id as string, number: draft.number as number };
  };

  describe('texts along the lifecycle', () => {
    it('each receiver reads what happened and what is theirs to do; the actor is never told of their own step', async () => {
      const { id, number } = await submitted('危房改造未完成');
      const title = `问题 #${number}「危房改造未完成」`;
      expect(await about('leader', id)).toEqual([`${title}已提交，待您审核`]);

      const deadline = chinaDay(10);
      await itemEvent(t, 'leader', id, { type: 'CONFIRM', measures: '改造屋面', rectifierId: ids.cadre2, deadline });
      expect(await about('cadre2', id)).toEqual([`${title}已审核确认，待您整改（时限 ${chineseDay(deadline)}）`]);
      expect(await about('cadre', id)).toEqual([`${title}已审核确认`]);
      // The leader confirmed: nothing about it for the leader.
      expect(await about('leader', id)).toHaveLength(1);

      const later = chinaDay(20);
      await itemEvent(t, 'cadre2', id, { type: 'REQUEST_EXTENSION', reason: '材料未到', newDeadline: later });
      const extension = (await about('leader', id)).at(-1)!;
      expect(extension).toBe(`${title}申请延期至 ${chineseDay(later)}，待您审批`);
      expect(extension).not.toContain('整改中');
      expect(await about('cadre2', id)).toHaveLength(1);

      await itemEvent(t, 'leader', id, { type: 'DENY_EXTENSION', reason: '按期完成' });
      expect((await about('cadre2', id)).at(-1)).toBe(`${title}延期申请未获批准，待您整改（时限 ${chineseDay(deadline)}）。原因：按期完成`);

      await itemEvent(t, 'cadre2', id, { type: 'SUBMIT_RECTIFICATION', comment: '已改造', evidence: [await uploadPdf(t, 'cadre2')] });
      expect((await about('leader', id)).at(-1)).toBe(`${title}已提交整改（整改签字），待您验收`);

      await itemEvent(t, 'leader', id, { type: 'REJECT_RECTIFICATION', reason: '屋面仍漏' });
      expect((await about('cadre2', id)).at(-1)).toBe(`${title}验收未通过，待您整改（时限 ${chineseDay(deadline)}）。原因：屋面仍漏`);

      await itemEvent(t, 'cadre2', id, { type: 'SUBMIT_RECTIFICATION', comment: '已返修', evidence: [await uploadPdf(t, 'cadre2')] });
      await itemEvent(t, 'leader', id, { type: 'ACCEPT' });
      expect((await about('cadre2', id)).at(-1)).toBe(`${title}已验收销号`);
      expect((await about('cadre', id)).at(-1)).toBe(`${title}已验收销号`);
      expect((await about('inspector', id)).at(-1)).toBe(`${title}已验收销号，可抽查复核`);

      const reopenBy = chinaDay(15);
      await itemEvent(t, 'inspector', id, { type: 'REOPEN', reason: '入户核实仍漏雨', deadline: reopenBy });
      expect((await about('cadre2', id)).at(-1)).toBe(`${title}已被督查重新打开，待您整改（时限 ${chineseDay(reopenBy)}）。原因：入户核实仍漏雨`);
      expect((await about('leader', id)).at(-1)).toBe(`${title}已被督查重新打开。原因：入户核实仍漏雨`);
      expect(await about('inspector', id)).toHaveLength(1);
    });

    it('a returned item tells its investigator to amend it, with the reason', async () => {
      const { id, number } = await submitted('低保漏保');
      await itemEvent(t, 'leader', id, { type: 'RETURN', reason: '缺户主身份证号' });
      expect(await about('cadre', id)).toEqual([`问题 #${number}「低保漏保」已退回，待您修改。原因：缺户主身份证号`]);
      await itemEvent(t, 'cadre', id, { type: 'SUBMIT' });
      expect((await about('leader', id)).at(-1)).toBe(`问题 #${number}「低保漏保」已修改并重新提交，待您审核`);
    });

    it('one message per person and step: an investigator named rectifier reads the rectifier’s', async () => {
      const { id, number } = await submitted('厕所未改造');
      const deadline = chinaDay(9);
      // CONFIRM tells the rectifier and the investigator: here both are cadre, who hears it once, as the one who must act.
      await itemEvent(t, 'leader', id, { type: 'CONFIRM', measures: '改造厕所', rectifierId: ids.cadre, deadline });
      expect(await about('cadre', id)).toEqual([`问题 #${number}「厕所未改造」已审核确认，待您整改（时限 ${chineseDay(deadline)}）`]);
      // Their own rectification tells the reviewers only.
      await itemEvent(t, 'cadre', id, { type: 'SUBMIT_RECTIFICATION', comment: '已改造', evidence: [await uploadPdf(t, 'cadre')] });
      expect(await about('cadre', id)).toHaveLength(1);
      expect((await about('leader', id)).at(-1)).toBe(`问题 #${number}「厕所未改造」已提交整改（整改签字），待您验收`);
    });
  });

  describe('read marks and the unread count', () => {
    it('counts unread, marks one and then all read; someone else’s notification is 404', async () => {
      await submitted('饮水不安全');
      await submitted('医保未参保');
      const auth = await bearer(t, 'leader');
      const count = async () => (await t.http.get('/api/notifications/unread-count').set('authorization', auth).expect(200)).body.unread as number;
      const before = await count();
      const unread = (await notes('leader')).filter((n) => n.readAt === null);
      expect(before).toBe(unread.length);
      expect(before).toBeGreaterThanOrEqual(2);

      await t.http.post(`/api/notifications/${unread[0].id}/read`).set('authorization', auth).expect(204);
      expect(await count()).toBe(before - 1);
      const first = (await notes('leader')).find((n) => n.id === unread[0].id)!;
      expect(first.readAt).not.toBeNull();
      // Reading again keeps the first time.
      await t.http.post(`/api/notifications/${unread[0].id}/read`).set('authorization', auth).expect(204);
      expect((await notes('leader')).find((n) => n.id === unread[0].id)!.readAt).toBe(first.readAt);
      await t.http
        .post(`/api/notifications/${unread[1].id}/read`)
        .set('authorization', await bearer(t, 'cadre'))
        .expect(404);

      await t.http.post('/api/notifications/read-all').set('authorization', auth).expect(204);
      expect(await count()).toBe(0);
      expect((await notes('leader')).every((n) => n.readAt !== null)).toBe(true);
      // Another user's marks are untouched.
      expect((await notes('cadre')).some((n) => n.readAt === null)).toBe(true);
    });
  });

  describe('the daily reminders job', () => {
    const reminders = () => t.app.get(RemindersService);
    const clock = () => t.app.get(Clock);
    /** One run with the clock `days` ahead; the clock is back before anything else happens. */
    const runAt = async (days: number) => {
      clock().travel(days * DAY_MS);
      try {
        return await reminders().run();
      } finally {
        clock().travel(-days * DAY_MS);
      }
    };
    const reminded = async (itemId: string, kind: string) =>
      (await db.query('SELECT user_id, message FROM notifications WHERE item_id = $1 AND kind = $2 ORDER BY created_at', [itemId, kind])).rows as Array<{
        user_id: string;
        message: string;
      }>;

    it('reminds the rectifier 3 days before and on the day after the deadline, each once per deadline; an extension brings new ones', async () => {
      const { id, number } = await submitted('产业奖补未发放');
      const deadline = chinaDay(10);
      await itemEvent(t, 'leader', id, { type: 'CONFIRM', measures: '发放奖补', rectifierId: ids.cadre2, deadline });
      const title = `问题 #${number}「产业奖补未发放」`;

      // Four days before: too early.
      await runAt(6);
      expect(await reminded(id, 'deadlineSoon')).toEqual([]);
      await runAt(7);
      await runAt(7);
      await runAt(8);
      expect(await reminded(id, 'deadlineSoon')).toEqual([
        { user_id: ids.cadre2, message: `${title}整改时限 ${chineseDay(deadline)}，还剩 3 天，待您整改；确需延期请及时申请` },
      ]);
      // The deadline day itself is not past.
      await runAt(10);
      expect(await reminded(id, 'deadlinePassed')).toEqual([]);
      await runAt(11);
      await runAt(12);
      expect(await reminded(id, 'deadlinePassed')).toEqual([
        { user_id: ids.cadre2, message: `${title}已超过整改时限（${chineseDay(deadline)}），已超期，待您尽快整改或申请延期` },
      ]);
      // Shown in the rectifier's list like any other.
      expect((await about('cadre2', id)).at(-1)).toContain('已超期');

      const extended = chinaDay(30);
      await itemEvent(t, 'cadre2', id, { type: 'REQUEST_EXTENSION', reason: '资金未到位', newDeadline: extended });
      await itemEvent(t, 'leader', id, { type: 'APPROVE_EXTENSION' });
      await runAt(27);
      expect((await reminded(id, 'deadlineSoon')).map((r) => r.message)).toEqual([
        `${title}整改时限 ${chineseDay(deadline)}，还剩 3 天，待您整改；确需延期请及时申请`,
        `${title}整改时限 ${chineseDay(extended)}，还剩 3 天，待您整改；确需延期请及时申请`,
      ]);
    });

    it('an item no longer rectifying is not reminded', async () => {
      const { id } = await submitted('就业帮扶未落实');
      await itemEvent(t, 'leader', id, { type: 'CONFIRM', measures: '安排公益岗', rectifierId: ids.cadre2, deadline: chinaDay(5) });
      await itemEvent(t, 'cadre2', id, { type: 'SUBMIT_RECTIFICATION', comment: '已安排', evidence: [await uploadPdf(t, 'cadre2')] });
      await runAt(3);
      await runAt(6);
      expect(await reminded(id, 'deadlineSoon')).toEqual([]);
      expect(await reminded(id, 'deadlinePassed')).toEqual([]);
    });

    it('two runs at the same time notify once: one takes the advisory lock, the other does nothing', async () => {
      const items = [await submitted('小额信贷逾期'), await submitted('消费帮扶未兑现')];
      for (const { id } of items) await itemEvent(t, 'leader', id, { type: 'CONFIRM', measures: '督促落实', rectifierId: ids.cadre2, deadline: chinaDay(4) });
      clock().travel(DAY_MS);
      let runs;
      try {
        runs = await Promise.all([reminders().run(), reminders().run(), reminders().run()]);
      } finally {
        clock().travel(-DAY_MS);
      }
      const worked = runs.filter((r) => r.ran);
      // However the runs interleave, the items are reminded once in all: by the lock, or by the marks of a run that came first.
      expect(runs.reduce((n, r) => n + r.deadlineSoon, 0)).toBe(2);
      expect(worked.length).toBeGreaterThanOrEqual(1);
      for (const { id } of items) expect(await reminded(id, 'deadlineSoon')).toHaveLength(1);
    });

    it('two runs holding the lock in turn: the one that finds it taken returns at once and sends nothing', async () => {
      const { id } = await submitted('饮水管网老化');
      await itemEvent(t, 'leader', id, { type: 'CONFIRM', measures: '更换管网', rectifierId: ids.cadre2, deadline: chinaDay(4) });
      // Another instance is in its run: it holds the lock in an open transaction.
      await db.query('BEGIN');
      const [{ locked }] = (await db.query(`SELECT pg_try_advisory_xact_lock(7165487265600000) AS locked`)).rows;
      expect(locked).toBe(true);
      const blocked = await runAt(1);
      await db.query('COMMIT');
      expect(blocked).toEqual({ ran: false, deadlineSoon: 0, deadlinePassed: 0, phaseEnded: 0, delegationsExpired: 0 });
      expect(await reminded(id, 'deadlineSoon')).toEqual([]);
      const free = await runAt(1);
      expect(free.ran).toBe(true);
      expect(await reminded(id, 'deadlineSoon')).toHaveLength(1);
    });

    it('tells the county office, once, of a campaign whose current phase is past its planned end', async () => {
      // The 霍邱 plan's 问题整改及动态管理 ends on 6月25日 of the campaign's year, which has passed when the spec runs after it.
      const title = '阶段超期提醒';
      await rectificationCampaign(t, title);
      const { rows } = await db.query(`SELECT snapshot->'context'->'phases'->2->>'endDate' AS "end" FROM campaigns WHERE title = $1`, [title]);
      const end = rows[0].end as string;
      const days = Math.max(1, Math.ceil((Date.parse(end) - Date.parse(chinaDay(0))) / DAY_MS) + 1);
      await runAt(days);
      await runAt(days + 1);
      const phase = (await notes('county')).filter((n) => n.kind === 'phaseEnded' && n.message.includes(`「${title}」`));
      expect(phase.map((n) => n.message)).toEqual([
        `专项行动「${title}」的「问题整改及动态管理」阶段计划于 ${chineseDay(end)}结束，已过期，待您推进阶段或调整计划`,
      ]);
      expect((await notes('leader')).filter((n) => n.kind === 'phaseEnded')).toEqual([]);
    });
  });

  describe('督办通知书: issued to the unit’s leader, acknowledged and replied', () => {
    it('the township leader is told, signs for it and replies; the county office sees both; others cannot', async () => {
      const { id } = await submitted('危房未鉴定');
      await itemEvent(t, 'leader', id, { type: 'CONFIRM', measures: '组织鉴定', rectifierId: ids.cadre2, deadline: chinaDay(2) });
      // Overdue: the deadline passed (the row is set back as time would have moved it).
      await db.query(`UPDATE problem_items SET deadline = $2 WHERE id = $1`, [id, chinaDay(-3)]);
      const county = await bearer(t, 'county');
      const issued = await t.http
        .post(`/api/campaigns/${cid}/notices`)
        .set('authorization', county)
        .send({ recipientOrgUnitId: t.demo.orgUnits.chengguan.id, deadline: chinaDay(7), note: '限期整改' });
      expect(issued.status).toBe(201);
      expect(issued.body).toMatchObject({ acknowledgement: null, reply: null });
      const noticeId = issued.body.id as string;
      const told = (await notes('leader')).filter((n) => n.kind === 'supervisionNotice');
      expect(told).toHaveLength(1);
      expect(told[0].message).toBe(
        `督办通知书第 ${issued.body.number} 号（消息提醒）：城关镇有 ${issued.body.items.length} 个超期问题，限 ${chineseDay(chinaDay(7))}前整改到位，待您签收并回复`,
      );
      expect((await notes('leader2')).filter((n) => n.kind === 'supervisionNotice')).toEqual([]);

      // Not the receiving unit's leader: another township's (404, it is not theirs to see), a cadre of the township (403).
      await t.http
        .post(`/api/notices/${noticeId}/acknowledge`)
        .set('authorization', await bearer(t, 'leader2'))
        .expect(404);
      await t.http
        .post(`/api/notices/${noticeId}/acknowledge`)
        .set('authorization', await bearer(t, 'county'))
        .expect(403);

      const leader = await bearer(t, 'leader');
      const ack = await t.http.post(`/api/notices/${noticeId}/acknowledge`).set('authorization', leader);
      expect(ack.status).toBe(200);
      expect(ack.body.acknowledgement).toEqual({ by: { id: ids.leader, name: '李明（城关镇分管负责人）' }, at: expect.any(String) });
      const again = await t.http.post(`/api/notices/${noticeId}/acknowledge`).set('authorization', leader).expect(200);
      expect(again.body.acknowledgement).toEqual(ack.body.acknowledgement);

      const empty = await t.http.post(`/api/notices/${noticeId}/reply`).set('authorization', leader).send({ text: '   ' });
      expect(empty.status).toBe(400);
      expect(empty.body.code).toBe('VALIDATION_FAILED');
      const reply = await t.http
        .post(`/api/notices/${noticeId}/reply`)
        .set('authorization', leader)
        .set('Idempotency-Key', 'reply-notice-1')
        .send({ text: '已组织鉴定，6月30日前完成' });
      expect(reply.status).toBe(200);
      expect(reply.body.reply).toEqual({ text: '已组织鉴定，6月30日前完成', by: { id: ids.leader, name: '李明（城关镇分管负责人）' }, at: expect.any(String) });
      // A retry with the key answers the same; a second reply is refused.
      const retry = await t.http
        .post(`/api/notices/${noticeId}/reply`)
        .set('authorization', leader)
        .set('Idempotency-Key', 'reply-notice-1')
        .send({ text: '已组织鉴定，6月30日前完成' });
      expect(retry.body).toEqual(reply.body);
      expect((await t.http.post(`/api/notices/${noticeId}/reply`).set('authorization', leader).send({ text: '再回复' })).status).toBe(409);

      const seen = await t.http.get(`/api/notices/${noticeId}`).set('authorization', county).expect(200);
      expect(seen.body.acknowledgement).toEqual(ack.body.acknowledgement);
      expect(seen.body.reply).toEqual(reply.body.reply);
      const countyNotes = (await notes('county')).filter((n) => n.kind === 'noticeAcknowledged' || n.kind === 'noticeReplied').map((n) => n.message);
      expect(countyNotes).toEqual([
        `城关镇已回复督办通知书第 ${issued.body.number} 号：已组织鉴定，6月30日前完成`,
        `城关镇已签收督办通知书第 ${issued.body.number} 号（李明（城关镇分管负责人））`,
      ]);
      const audited = await db.query(`SELECT action FROM audit_events WHERE subject_id = $1 ORDER BY created_at`, [noticeId]);
      expect(audited.rows.map((r) => r.action)).toEqual(['notice.issue', 'notice.acknowledge', 'notice.reply']);
    });
  });
});
