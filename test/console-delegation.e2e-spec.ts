import { Client } from 'pg';
import type { Page } from 'playwright-core';
import { ConsoleUnderTest, DESKTOP, login, newSession, PHONE, screenshot, scrollsSideways, startConsole, journeySteps } from './browser/harness';
import { chinaDay, createDraft, createUser, rectificationCampaign, signingGrant } from './factories';

/**
 * 委派, notifications and 督办 receipt in the console (Chromium): the
 * township leader delegates to a colleague on 委派; the colleague's inbox
 * says whose items they now review, and their signature reads "代 李明" in
 * the item's timeline; the rectifier reads what to do on 消息 and marks all
 * read; the leader signs for a 督办通知书 and replies; the leader ends the
 * delegation.
 */
describe('console: delegation, notifications and notice receipt (Chromium)', () => {
  let c: ConsoleUnderTest;
  let db: Client;
  const pages: Record<string, Page> = {};
  const closers: Array<() => Promise<void>> = [];
  let cid: string;
  let item: { id: string; number: number };

  beforeAll(async () => {
    c = await startConsole();
    cid = await rectificationCampaign(c.t, '委派演示');
    await createUser(c.t, { username: 'deputy', displayName: '黄敏（城关镇干部）', orgUnitId: c.t.demo.orgUnits.chengguan.id, roles: ['investigator'] });
    const draft = await createDraft(c.t, cid, { description: '危房改造未完成（委派）' });
    const submit = await c.t.http
      .post(`/api/items/${draft.id}/events`)
      .set('authorization', `Bearer ${await c.t.token('cadre')}`)
      .set('X-Signing-Grant', await signingGrant(c.t, 'cadre'))
      .send({ type: 'SUBMIT' });
    expect(submit.status).toBe(200);
    item = { id: draft.id, number: draft.number };
    db = new Client({ connectionString: c.t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    for (const close of closers) await close();
    await db?.end();
    await c?.close();
  });

  const as = async (username: string, viewport = DESKTOP): Promise<Page> => {
    const key = `${username}-${viewport.width}`;
    if (!pages[key]) {
      const session = await newSession(c, viewport);
      closers.push(() => session.context.close());
      await login(session.page, username);
      pages[key] = session.page;
    }
    return pages[key];
  };
  const step = journeySteps(() => Object.entries(pages));

  step('the leader delegates review and acceptance to a colleague of the township on 委派', async () => {
    const page = await as('leader');
    await page.getByRole('menuitem', { name: '委派' }).click();
    await page.waitForURL(/\/delegations$/);
    await page.getByLabel('受托人').click();
    await page.locator('.ant-select-dropdown:visible').getByTitle('黄敏（城关镇干部）', { exact: true }).click();
    const range = page.locator('.ant-picker-range');
    await range.locator('input').first().click();
    await range.locator('input').first().fill(chinaDay(0));
    await range.locator('input').nth(1).click();
    await range.locator('input').nth(1).fill(chinaDay(5));
    // Leaving the field commits the typed range (Enter would submit the form at once).
    await page.getByLabel('事由').click();
    await page.getByLabel('事由').fill('休假');
    await page
      .locator('form')
      .getByRole('button', { name: /委\s*派/ })
      .click();
    await page.getByText(`已委派给黄敏（城关镇干部）（${chinaDay(0)} 至 ${chinaDay(5)}）`).waitFor();
    await page.getByText('委派中').waitFor();
    await page.getByText(`城关镇 · ${chinaDay(0)} 至 ${chinaDay(5)} · 休假`).waitFor();
    await screenshot(page, 'delegation-leader-desktop');
  });

  step('the delegate’s inbox says whose duties they hold and lists the township’s item for review', async () => {
    const page = await as('deputy');
    await page.getByTestId('delegation-banner').getByText('您正代 李明（城关镇分管负责人） 审核验收').waitFor();
    await page.getByTestId(`item-row-${item.number}`).getByRole('button', { name: '审核确认' }).waitFor();
    await page.getByTestId(`acting-for-${item.number}`).getByText('代 李明（城关镇分管负责人）').waitFor();
    await screenshot(page, 'delegation-inbox-deputy-desktop');
    // The confirmation form says in whose place the delegate signs.
    await page.getByTestId(`item-row-${item.number}`).getByRole('button', { name: '审核确认' }).click();
    await page.getByRole('dialog').getByText('此操作将以您的名义代 李明（城关镇分管负责人） 签字（委派）', { exact: false }).waitFor();
    await page.keyboard.press('Escape');
  });

  step('the delegate’s confirmation reads “代 李明” in the item’s signature timeline', async () => {
    const confirm = await c.t.http
      .post(`/api/items/${item.id}/events`)
      .set('authorization', `Bearer ${await c.t.token('deputy')}`)
      .set('X-Signing-Grant', await signingGrant(c.t, 'deputy'))
      .send({ type: 'CONFIRM', measures: '改造屋面', rectifierId: c.t.demo.userIds.cadre2, deadline: chinaDay(10) });
    expect(confirm.status).toBe(200);
    const page = await as('deputy');
    await page.goto(`/items/${item.id}`);
    await page.getByTestId('on-behalf-2').getByText('代 李明（城关镇分管负责人）').waitFor();
    await screenshot(page, 'delegation-signature-desktop');
  });

  step('the rectifier reads what to do by when on 消息, on a phone, and marks all read', async () => {
    const page = await as('cadre2', PHONE);
    await page.goto('/notifications');
    const [m, d] = chinaDay(10).slice(5).split('-').map(Number);
    await page.getByText(`问题 #${item.number}「危房改造未完成（委派）」已审核确认，待您整改（时限 ${m}月${d}日）`).waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, 'notifications-rectifier-phone');
    await page.getByRole('button', { name: /全部标为已读/ }).click();
    await page.getByText('未读（0）').waitFor();
  });

  step('the leader signs for a 督办通知书 and replies; the county office sees both', async () => {
    // The item became overdue (its deadline set back, as time passing would).
    await db.query('UPDATE problem_items SET deadline = $2 WHERE id = $1', [item.id, chinaDay(-2)]);
    const issued = await c.t.http
      .post(`/api/campaigns/${cid}/notices`)
      .set('authorization', `Bearer ${await c.t.token('county')}`)
      .send({ recipientOrgUnitId: c.t.demo.orgUnits.chengguan.id, deadline: chinaDay(7), note: '限期整改' });
    expect(issued.status).toBe(201);
    const page = await as('leader');
    await page.goto('/notifications');
    await page.getByText(`督办通知书第 ${issued.body.number} 号（委派演示）`, { exact: false }).first().waitFor();
    await page.goto(`/campaigns/${cid}`);
    await page.getByRole('tab', { name: '督办通知书' }).click();
    await page.getByTestId(`notice-row-${issued.body.number}`).getByText('未签收').waitFor();
    await page.getByTestId(`notice-row-${issued.body.number}`).getByRole('button', { name: '查看' }).click();
    const drawer = page.locator('.ant-drawer');
    await drawer.getByRole('button', { name: /签\s*收/ }).click();
    await drawer.getByTestId('notice-acknowledged').getByText('李明（城关镇分管负责人）', { exact: false }).waitFor();
    await drawer.getByRole('button', { name: '回复整改情况' }).click();
    const dialog = page.getByRole('dialog', { name: `回复督办通知书第 ${issued.body.number} 号` });
    await dialog.getByLabel('整改落实情况').fill('已组织入户鉴定，月底前完成改造');
    await dialog.getByRole('button', { name: '提交回复' }).click();
    await drawer.getByTestId('notice-reply').getByText('已组织入户鉴定，月底前完成改造').waitFor();
    await screenshot(page, 'notice-receipt-leader-desktop');

    const county = await as('county');
    await county.goto(`/campaigns/${cid}`);
    await county.getByRole('tab', { name: '督办通知书' }).click();
    await county.getByTestId(`notice-row-${issued.body.number}`).getByText('已回复').waitFor();
  });

  step('the leader ends the delegation early; the delegate’s inbox no longer says they stand in', async () => {
    const page = await as('leader');
    await page.goto('/delegations');
    await page.getByRole('button', { name: '结束委派' }).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: '结束委派' }).click();
    await page.getByText('委派已结束').waitFor();
    await page.getByText('已结束', { exact: true }).waitFor();
    await screenshot(page, 'delegation-ended-desktop');
    const deputy = await as('deputy');
    await deputy.goto('/delegations');
    await deputy.getByText('已结束', { exact: true }).waitFor();
    await deputy.goto('/inbox');
    await deputy.getByText(/待办/).first().waitFor();
    expect(await deputy.getByTestId('delegation-banner').count()).toBe(0);
  });
});
