import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { residentIdCheckChar } from '../src/common/validation/resident-id';
import { DEMO_PASSWORD } from '../src/demo/demo-seed.service';
import { ConsoleUnderTest, DESKTOP, login, newSession, PHONE, screenshot, scrollsSideways, sign, startConsole, journeySteps } from './browser/harness';
import { chinaDay, rectificationCampaign } from './factories';

jest.setTimeout(180_000);

/**
 * One whole campaign through the console pages, in Chromium against the real
 * service: the village cadre files two problems (one with a mistyped ID
 * number first), the township leader confirms one and returns the other on
 * 待办, the cadre resubmits and rectifies with a photo, the leader accepts,
 * the supervision group reopens, and the county office reads the result on
 * 统计. The leader's 待办 and the item page at phone size, and a cadre
 * recording a problem without a network. Signing proves presence (step-up,
 * on as in production): the first signature of each session asks for the
 * password in its dialog, later ones within the grant's minutes do not, and a
 * rectification signed offline waits for the password before it is sent.
 * Only the campaign is set up through the API; everything after goes through
 * the pages, and the API is read afterwards to check what the pages did.
 */
describe('console: one campaign from 登记 to 重新打开 (Chromium)', () => {
  let c: ConsoleUnderTest;
  let campaignId: string;
  const sessions = new Map<string, { context: BrowserContext; page: Page }>();
  const pageErrors: string[] = [];

  // GB 11643: 341522 (霍邱县) · 1965-03-12 · 031 · check character
  const FIRST17 = '34152219650312031';
  const VALID_ID = FIRST17 + residentIdCheckChar(FIRST17);
  const WRONG_ID = FIRST17 + (VALID_ID[17] === '1' ? '2' : '1');
  const HOUSEHOLD = '王德福';
  const DESC1 = '危房改造后屋顶漏雨，存在住房安全隐患';
  const DESC2 = '村内安全饮水工程水池护栏破损';
  const DESC2_FIXED = '村内集中供水工程水池护栏破损，存在落水隐患（已核实位置：村部东侧）';
  const RETURN_REASON = '请写明破损设施的具体位置';
  const MEASURES = '更换屋面防水层，修补檩条';
  const RECTIFY_COMMENT = '已更换屋面防水层并修补檩条，雨天复查不再漏雨';
  const REOPEN_REASON = '督查入户发现西侧墙角仍有渗水';
  const PHOTO = join(__dirname, '..', 'test-output', 'journey-evidence.jpg');

  let item1 = { id: '', number: 0 };
  let item2 = { id: '', number: 0 };

  /** One browser profile per user and screen size, logged in once and reused by the later steps. */
  async function as(username: string, viewport = DESKTOP): Promise<Page> {
    const key = `${username}@${viewport.width}`;
    const known = sessions.get(key);
    if (known) return known.page;
    const session = await newSession(c, viewport);
    session.page.on('pageerror', (e) => pageErrors.push(`${key}: ${e.message}`));
    sessions.set(key, session);
    await login(session.page, username);
    return session.page;
  }

  async function apiGet(username: string, path: string): Promise<any> {
    const res = await c.t.http.get(path).set('authorization', `Bearer ${await c.t.token(username)}`);
    if (res.status !== 200) throw new Error(`GET ${path} as ${username}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /**
   * The harness's full-page screenshot, taken from the top of the page: scrolled down
   * (after filling a field low on the form) the sticky header would be drawn mid-page.
   */
  async function shot(page: Page, name: string): Promise<void> {
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot(page, name);
  }

  /** ECharts draws its lines in an animation: the chart's canvas stops changing once they are drawn. */
  async function chartDrawn(page: Page): Promise<void> {
    const canvas = page.getByLabel('进度趋势图').locator('canvas').first();
    await canvas.waitFor();
    let before = '';
    await until(
      async () => {
        const now = await canvas.evaluate((c: { toDataURL(): string }) => c.toDataURL());
        const same = now === before;
        before = now;
        return same;
      },
      'the progress chart to be drawn',
      15_000,
      300,
    );
  }

  /** The phone's menu: the drawer opened from the header, a page picked, the drawer closed again. */
  async function phoneMenu(page: Page, name: string): Promise<void> {
    await page.getByRole('button', { name: '菜单' }).click();
    await page.getByRole('menuitem', { name }).click();
    await page.locator('.ant-drawer-content-wrapper').waitFor({ state: 'hidden' });
  }

  /** A date this far into the months ahead (Beijing calendar), as the date picker's cells name them. */
  function dayOfMonthAhead(months: number, day: number): string {
    const [y, m] = chinaDay(0).split('-').map(Number);
    const d = new Date(Date.UTC(y, m - 1 + months, day));
    return d.toISOString().slice(0, 10);
  }

  /**
   * Opens the date picker of a form field, pages forward to the day's month and clicks the day (the picker,
   * not typing). The picker may open on this month or on a month a default value suggests.
   */
  async function pickDate(page: Page, field: Locator, isoDate: string): Promise<void> {
    await field.click();
    const panel = page.locator('.ant-picker-dropdown:visible');
    const cell = panel.locator(`td.ant-picker-cell-in-view[title="${isoDate}"]`);
    await panel.getByRole('button', { name: '下个月' }).waitFor();
    for (let i = 0; i < 12 && (await cell.count()) === 0; i++) await panel.getByRole('button', { name: '下个月' }).click();
    await cell.click();
    // closed (its fade-out would cover the form in a screenshot); under load the animation can lag, so wait longer, then close it by hand
    await panel.waitFor({ state: 'hidden', timeout: 30_000 }).catch(async () => {
      await page.keyboard.press('Escape');
      await panel.waitFor({ state: 'hidden' });
    });
    await until(async () => (await field.inputValue()) === isoDate, `the date field to read ${isoDate}`);
  }

  const PASSWORD_LABEL = '签字确认：请输入登录密码';

  /** The first signature of a session: the dialog asks for the password (step-up signing); it is typed in. */
  async function enterPassword(dialog: Locator): Promise<void> {
    await dialog.getByLabel(PASSWORD_LABEL).fill(DEMO_PASSWORD);
  }

  /**
   * A later signature of the same session: its signing grant lasts minutes, so whether the dialog asks again
   * depends on how long the journey took so far; the password is typed in if it does.
   */
  async function passwordIfAsked(dialog: Locator): Promise<void> {
    await dialog.getByRole('button').last().waitFor();
    if (await dialog.getByLabel(PASSWORD_LABEL).count()) await enterPassword(dialog);
  }

  /** Polls a condition (every 100 ms, up to 15 s): for values no locator can wait on. */
  async function until(check: () => Promise<boolean>, what: string, timeoutMs = 15_000, everyMs = 100): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }

  /** Picks a node of an open TreeSelect / an option of an open Select by its text. */
  async function pickFromDropdown(page: Page, field: Locator, text: string): Promise<void> {
    await field.click();
    const dropdown = page.locator('.ant-select-dropdown:visible');
    await dropdown.getByTitle(text, { exact: true }).click();
  }

  /** The item page the browser is on, from its URL. */
  async function itemFromUrl(page: Page, username: string): Promise<{ id: string; number: number }> {
    await page.waitForURL(/\/items\/[0-9a-f-]{36}$/);
    const id = /\/items\/([0-9a-f-]{36})$/.exec(page.url())![1];
    const body = await apiGet(username, `/api/items/${id}`);
    return { id, number: body.number };
  }

  const step = journeySteps(() => [...sessions].map(([key, { page }]) => [key, page]));

  beforeAll(async () => {
    c = await startConsole();
    campaignId = await rectificationCampaign(c.t, '巩固拓展脱贫攻坚成果集中排查');
  });
  afterAll(async () => {
    for (const s of sessions.values()) await s.context.close().catch(() => undefined);
    await c?.close();
  });

  step('the cadre files two problems on 登记问题: the ID number is checked as typed, both are signed', async () => {
    expect(VALID_ID).not.toBe(WRONG_ID);
    const page = await as('cadre');
    await page.getByRole('menuitem', { name: '登记问题' }).click();
    await page.waitForURL(/\/items\/new$/);
    const typeField = page.getByLabel('问题类型', { exact: true });
    await typeField.waitFor();
    // one running campaign and one village: both chosen already
    await page.getByTitle('巩固拓展脱贫攻坚成果集中排查').first().waitFor();
    await page.getByTitle('大同村').first().waitFor();

    await pickFromDropdown(page, typeField, '三保障和饮水安全');
    await page.getByLabel('户主姓名').fill(HOUSEHOLD);
    const idField = page.getByLabel('身份证号码');
    await idField.fill(WRONG_ID);
    const idItem = page.locator('.ant-form-item').filter({ has: idField });
    const idError = idItem.locator('.ant-form-item-explain-error');
    await idError.waitFor();
    expect(await idError.innerText()).toBe('身份证号码校验位错误，请对照身份证核对号码');
    await page.getByLabel('具体问题').fill(DESC1);
    await shot(page, 'new-item-id-error-desktop');

    await idField.fill(VALID_ID);
    await idError.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: '提交（排查签字）' }).click();
    const confirm = page.getByRole('dialog', { name: '提交并排查签字' });
    await confirm.getByText('提交后以您的名义签字').waitFor();
    // Step-up signing: the password again, checked by the server (a wrong one is refused and nothing is recorded).
    const fieldError = confirm.locator('.ant-form-item-explain-error');
    await confirm.getByLabel(PASSWORD_LABEL).waitFor();
    // Signing without it is refused in the form. (A click landing while the dialog still animates in can be
    // lost on a loaded host: an empty field may be submitted again, it records nothing.)
    await until(async () => {
      await confirm.getByRole('button', { name: '提交签字' }).click();
      return fieldError
        .getByText('请输入登录密码', { exact: true })
        .waitFor({ timeout: 2_000 })
        .then(() => true)
        .catch(() => false);
    }, 'the form to ask for the password');
    await confirm.getByLabel(PASSWORD_LABEL).fill('Wrong@2021x');
    await confirm.getByRole('button', { name: '提交签字' }).click();
    await fieldError.getByText('密码不正确，未能确认签字').waitFor();
    expect(page.url()).toMatch(/\/items\/new$/);
    await enterPassword(confirm);
    // typing the password again clears the refusal
    await fieldError.waitFor({ state: 'detached' });
    await shot(page, 'sign-password-desktop');
    await sign(confirm, '提交签字');
    item1 = await itemFromUrl(page, 'cadre');
    await page.getByTestId('item-state').getByText('待审核').waitFor();
    // the cadre sees the number masked: address code, 8 stars, last four
    await page
      .getByTestId('id-number')
      .getByText(`341522********${VALID_ID.slice(-4)}`)
      .waitFor();
    await shot(page, 'item-detail-submitted-cadre-desktop');

    // a village-level problem: no household
    await page.getByRole('menuitem', { name: '登记问题' }).click();
    await page.waitForURL(/\/items\/new$/);
    await pickFromDropdown(page, page.getByLabel('问题类型', { exact: true }), '三保障和饮水安全');
    await page.getByLabel('具体问题').fill(DESC2);
    await shot(page, 'new-item-desktop');
    await page.getByRole('button', { name: '提交（排查签字）' }).click();
    const again = page.getByRole('dialog', { name: '提交并排查签字' });
    await again.getByText('提交后以您的名义签字').waitFor();
    // Within the grant's minutes the same session signs again without the password.
    expect(await again.getByLabel(PASSWORD_LABEL).count()).toBe(0);
    await sign(again, '提交签字');
    item2 = await itemFromUrl(page, 'cadre');
    await page.getByTestId('item-state').getByText('待审核').waitFor();
    expect(item2.number).toBe(item1.number + 1);

    const one = await apiGet('county', `/api/items/${item1.id}`);
    expect(one).toEqual(expect.objectContaining({ state: 'pending_review', description: DESC1 }));
    expect(one.household).toEqual(expect.objectContaining({ name: HOUSEHOLD, idNumber: VALID_ID }));
    const two = await apiGet('county', `/api/items/${item2.id}`);
    expect(two).toEqual(expect.objectContaining({ state: 'pending_review', description: DESC2, household: null }));
  });

  step("fits the leader's 待办 on a phone", async () => {
    const page = await as('leader', PHONE);
    await page.getByTestId(`item-row-${item1.number}`).waitFor();
    await page.getByTestId(`item-row-${item2.number}`).waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    await shot(page, 'inbox-leader-phone');
  });

  step(
    'the leader confirms the first on 待办 (measures, rectifier from the list, deadline by the picker) and returns the second; the rows update in place',
    async () => {
      const page = await as('leader');
      await page.getByRole('heading', { name: '待办' }).waitFor();
      const row1 = page.getByTestId(`item-row-${item1.number}`);
      const row2 = page.getByTestId(`item-row-${item2.number}`);
      await row1.getByText(HOUSEHOLD).waitFor();
      await row2.getByText(DESC2).waitFor();
      await shot(page, 'inbox-leader-desktop');

      const deadline = dayOfMonthAhead(1, 15);
      await row1.getByRole('button', { name: '审核确认' }).click();
      const dialog = page.getByRole('dialog', { name: `审核确认（序号 ${item1.number}）` });
      await dialog.getByLabel('整改措施').fill(MEASURES);
      await pickFromDropdown(page, dialog.getByLabel('整改责任人'), '张伟（大同村）');
      await pickDate(page, dialog.getByLabel('整改时限'), deadline);
      await enterPassword(dialog);
      await shot(page, 'inbox-confirm-form-leader-desktop');
      await sign(dialog, '确认签字');
      await page.getByText('已审核确认（已签字）').waitFor();
      await dialog.waitFor({ state: 'hidden' });
      // nothing waits on the leader for item 1 any more: its row leaves the list, no reload
      await row1.waitFor({ state: 'detached' });
      await row2.waitFor();

      await row2.getByRole('button', { name: '退回' }).click();
      const back = page.getByRole('dialog', { name: `退回（序号 ${item2.number}）` });
      await back.getByLabel('退回原因').fill(RETURN_REASON);
      expect(await back.getByLabel(PASSWORD_LABEL).count()).toBe(0);
      await sign(back, '确认签字');
      await page.getByText('已退回（已签字）').waitFor();
      await row2.waitFor({ state: 'detached' });
      await page.getByText('暂无待办').waitFor();
      await shot(page, 'inbox-leader-empty-desktop');

      const one = await apiGet('leader', `/api/items/${item1.id}`);
      expect(one).toEqual(expect.objectContaining({ state: 'rectifying', measures: MEASURES, deadline }));
      expect(one.rectifier).toEqual(expect.objectContaining({ id: c.t.demo.userIds.cadre }));
      expect((await apiGet('leader', `/api/items/${item2.id}`)).state).toBe('returned');
    },
  );

  step('the cadre sees the returned item on 待办, corrects it and signs again', async () => {
    const page = await as('cadre');
    await page.getByRole('menuitem', { name: '待办' }).click();
    const row2 = page.getByTestId(`item-row-${item2.number}`);
    await row2.getByText('已退回').waitFor();
    await page.getByTestId(`item-row-${item1.number}`).getByRole('button', { name: '提交整改' }).waitFor();
    await shot(page, 'inbox-cadre-desktop');

    await row2.getByRole('button', { name: '修改' }).click();
    await page.waitForURL(new RegExp(`/items/${item2.id}/edit$`));
    await page.getByText('该问题已被退回，请按退回意见修改后重新提交').waitFor();
    await page.getByText(RETURN_REASON).waitFor();
    await page.getByLabel('具体问题').fill(DESC2_FIXED);
    await shot(page, 'item-edit-returned-desktop');
    await page.getByRole('button', { name: '提交（排查签字）' }).click();
    const resubmit = page.getByRole('dialog', { name: '提交并排查签字' });
    await passwordIfAsked(resubmit);
    await sign(resubmit, '提交签字');
    await page.waitForURL(new RegExp(`/items/${item2.id}$`));
    await page.getByTestId('item-state').getByText('待审核').waitFor();

    const two = await apiGet('cadre', `/api/items/${item2.id}`);
    expect(two).toEqual(expect.objectContaining({ state: 'pending_review', description: DESC2_FIXED }));
    const kinds = (await apiGet('cadre', `/api/items/${item2.id}/signatures`)).map((s: { kind: string }) => s.kind);
    expect(kinds).toEqual(['investigation', 'return', 'investigation']);
  });

  step('the cadre, now the rectifier, submits the rectification on 待办 with a comment and a photo taken by Chromium', async () => {
    const page = await as('cadre');
    // a JPEG written by another program than ours: Chromium's own encoder
    mkdirSync(join(PHOTO, '..'), { recursive: true });
    await page.screenshot({ path: PHOTO, type: 'jpeg', quality: 70 });
    const photo = readFileSync(PHOTO);
    expect(photo.subarray(0, 3).toString('hex')).toBe('ffd8ff');

    await page.getByRole('menuitem', { name: '待办' }).click();
    const row1 = page.getByTestId(`item-row-${item1.number}`);
    await row1.getByRole('button', { name: '提交整改' }).click();
    const dialog = page.getByRole('dialog', { name: `提交整改（序号 ${item1.number}）` });
    await dialog.getByLabel('整改情况').fill(RECTIFY_COMMENT);
    await dialog.locator('input[type="file"]').setInputFiles(PHOTO);
    await dialog.locator('.ant-upload-list-item').first().waitFor();
    await passwordIfAsked(dialog);
    await shot(page, 'rectification-form-cadre-desktop');
    await sign(dialog, '确认签字');
    await page.getByText('已提交整改，等待验收（已签字）').waitFor();
    await row1.waitFor({ state: 'detached' });

    const chain = await apiGet('cadre', `/api/items/${item1.id}/signatures`);
    const rect = chain.find((s: { kind: string }) => s.kind === 'rectification');
    expect(rect.comment ?? rect.payload.comment).toBe(RECTIFY_COMMENT);
    expect(rect.evidence).toHaveLength(1);
    // the photo arrived byte for byte (small enough not to be shrunk on the device)
    expect(rect.evidence[0].sha256).toBe(createHash('sha256').update(photo).digest('hex'));
  });

  step('the leader accepts (验收销号) on 待办', async () => {
    const page = await as('leader');
    await page.getByRole('button', { name: '刷新' }).click();
    const row1 = page.getByTestId(`item-row-${item1.number}`);
    await row1.getByText('待验收').waitFor();
    // item 2 came back too, for review
    await page.getByTestId(`item-row-${item2.number}`).getByRole('button', { name: '审核确认' }).waitFor();
    await row1.getByRole('button', { name: '验收销号' }).click();
    const dialog = page.getByRole('dialog', { name: `验收销号（序号 ${item1.number}）` });
    await dialog.getByLabel('验收意见').fill('已入户核实，整改到位');
    await passwordIfAsked(dialog);
    await sign(dialog, '确认签字');
    await page.getByText('已验收销号（已签字）').waitFor();
    await row1.waitFor({ state: 'detached' });
    expect((await apiGet('leader', `/api/items/${item1.id}`)).state).toBe('closed');

    await page.getByRole('menuitem', { name: '消息' }).click();
    await page
      .getByText(new RegExp(`问题 #${item1.number}「.*」已(修改并重新)?提交，待您审核`))
      .first()
      .waitFor();
    await page
      .getByText(new RegExp(`问题 #${item1.number}「.*」已提交整改（整改签字），待您验收`))
      .first()
      .waitFor();
    await shot(page, 'notifications-leader-desktop');
  });

  step('the inspector reopens the closed item from its detail page, with a reason and a new deadline', async () => {
    const page = await as('inspector');
    const row1 = page.getByTestId(`item-row-${item1.number}`);
    await row1.getByText('已销号').waitFor();
    await shot(page, 'inbox-inspector-desktop');
    await row1.getByText(HOUSEHOLD).click();
    await page.waitForURL(new RegExp(`/items/${item1.id}$`));
    await page.getByTestId('item-state').getByText('已销号').waitFor();

    const deadline = dayOfMonthAhead(1, 20);
    await page.getByRole('button', { name: '重新打开' }).click();
    const dialog = page.getByRole('dialog', { name: `重新打开（序号 ${item1.number}）` });
    await dialog.getByLabel('重新打开的原因').fill(REOPEN_REASON);
    await pickDate(page, dialog.getByLabel('新的整改时限'), deadline);
    await enterPassword(dialog);
    await sign(dialog, '确认签字');
    await page.getByText('已重新打开（已签字）').waitFor();
    // the page shows the item as it is now, no reload
    await page.getByTestId('item-state').getByText('整改中').waitFor();
    await page.getByText('督查重新打开 1 次').waitFor();
    await page.getByText(REOPEN_REASON).waitFor();

    const chain = await apiGet('inspector', `/api/items/${item1.id}/signatures`);
    expect(chain.map((s: { kind: string }) => s.kind)).toEqual(['investigation', 'review', 'rectification', 'acceptance', 'reopen']);
    expect(await apiGet('inspector', `/api/items/${item1.id}/signatures/verify`)).toEqual({ valid: true, length: 5, firstBroken: null });
    const sha = chain.find((s: { kind: string }) => s.kind === 'rectification').evidence[0].sha256;
    // the evidence hash on the page is the API's
    await page.getByText(`SHA-256 ${sha}`).waitFor();
    await page.getByTestId('chain-verdict').waitFor();
    await page.getByTestId(`signature-${chain.length}`).waitFor();
    await page.getByTestId('workflow-diagram').locator('svg').first().waitFor();
    await shot(page, 'item-detail-inspector-desktop');

    const now = await apiGet('inspector', `/api/items/${item1.id}`);
    expect(now).toEqual(expect.objectContaining({ state: 'rectifying', reopenCount: 1, deadline }));
  });

  step('the county office reads the reopened count on 统计, and sees the ledger and the campaigns', async () => {
    const page = await as('county');
    await page.getByRole('menuitem', { name: '统计' }).click();
    await page.waitForURL(/\/stats$/);
    const figure = (key: string) => page.getByTestId(`stat-${key}`).locator('.ant-statistic-content-value');
    await figure('reopened').filter({ hasText: /^1$/ }).waitFor();
    await figure('found').filter({ hasText: /^2$/ }).waitFor();
    await figure('confirmed').filter({ hasText: /^1$/ }).waitFor();
    // the 城关镇 row of the table: 重新打开过 1
    const table = page.getByTestId('progress-table');
    const header = await table.locator('thead th').allInnerTexts();
    const col = header.findIndex((h) => h.trim() === '重新打开过');
    expect(col).toBeGreaterThan(0);
    const township = table.locator('tbody tr').filter({ has: page.getByRole('button', { name: '城关镇' }) });
    expect((await township.locator('td').nth(col).innerText()).trim()).toBe('1');
    await chartDrawn(page);
    await shot(page, 'stats-county-desktop');
    const stats = await apiGet('county', `/api/campaigns/${campaignId}/stats`);
    expect(stats.total).toEqual(expect.objectContaining({ found: 2, confirmed: 1, reopened: 1, closed: 0 }));

    await page.getByRole('menuitem', { name: '问题台账' }).click();
    const ledger1 = page.getByTestId(`item-row-${item1.number}`);
    await ledger1.getByText('整改中').waitFor();
    await ledger1.getByText(VALID_ID).waitFor(); // the county office sees the full number
    await page.getByTestId(`item-row-${item2.number}`).getByText('待审核').waitFor();
    await shot(page, 'ledger-county-desktop');

    await page.getByRole('menuitem', { name: '专项行动' }).click();
    const row = page.getByTestId(`campaign-row-${campaignId}`);
    await row.getByText('巩固拓展脱贫攻坚成果集中排查').waitFor();
    await row.getByText('问题整改及动态管理').waitFor();
    await shot(page, 'campaigns-county-desktop');
  });

  step('fits the item page on a phone: signature chain and workflow diagram, no sideways scrolling', async () => {
    const page = await as('leader', PHONE);
    await page.goto(`/items/${item1.id}`);
    await page.getByTestId('item-state').getByText('整改中').waitFor();
    await page.getByTestId('chain-verdict').waitFor();
    for (let seq = 1; seq <= 5; seq++) await page.getByTestId(`signature-${seq}`).waitFor();
    await page.getByText('流程图（红框为当前所处状态）').click();
    await page.getByTestId('workflow-diagram').locator('svg').first().waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    await shot(page, 'item-detail-phone');

    await phoneMenu(page, '待办');
    await page.getByTestId(`item-row-${item2.number}`).getByRole('button', { name: '审核确认' }).waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    await shot(page, 'inbox-leader-phone-after');
  });

  it('keeps an item recorded offline on the phone and sends it exactly once when back online', async () => {
    const page = await as('cadre', PHONE);
    const context = page.context();
    await phoneMenu(page, '登记问题');
    await page.waitForURL(/\/items\/new$/);
    await page.getByLabel('问题类型', { exact: true }).waitFor();
    await page.getByTitle('大同村').first().waitFor();
    await page.waitForLoadState('networkidle');

    await context.setOffline(true);
    expect(await page.evaluate<boolean>('navigator.onLine')).toBe(false);
    const description = `离线登记：村部供水井盖破损 ${Date.now()}`;
    await pickFromDropdown(page, page.getByLabel('问题类型', { exact: true }), '三保障和饮水安全');
    await page.getByLabel('具体问题').fill(description);
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.getByText('已保存在本机').waitFor();
    const indicator = page.getByTestId('outbox-indicator');
    await page.getByRole('button', { name: '待发送 1' }).waitFor();
    expect(await indicator.innerText()).toContain('1');
    expect(await scrollsSideways(page)).toBe(false);
    await shot(page, 'new-item-offline-phone');
    // On a phone the 6-second 已保存在本机 toast lies over the middle of the header: the tap waits for it to go.
    await indicator.click();
    await page.getByText(`登记问题：${description.slice(0, 20)}…`).waitFor();
    await page.getByText('网络未连接，联网后自动发送').waitFor();
    await shot(page, 'outbox-offline-phone');
    await page.keyboard.press('Escape');

    const count = async () => {
      const body = await apiGet('cadre', `/api/items?campaignId=${campaignId}&q=${encodeURIComponent(description)}`);
      return (body.items as Array<{ description: string }>).filter((i) => i.description === description).length;
    };
    expect(await count()).toBe(0);

    await context.setOffline(false);
    await until(async () => (await count()) >= 1, 'the queued item to arrive after going online');
    await page.getByText(`已发送：登记问题：${description.slice(0, 20)}…`).waitFor();
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await count()).toBe(1);
    if (await indicator.isVisible()) {
      await indicator.click();
      await page.getByRole('button', { name: '立即发送' }).click();
      await new Promise((r) => setTimeout(r, 2_000));
      expect(await count()).toBe(1);
    }
    await indicator.waitFor({ state: 'detached' });
    expect(await count()).toBe(1);
    const sent = (await apiGet('cadre', `/api/items?campaignId=${campaignId}&q=${encodeURIComponent(description)}`)).items[0];
    expect(sent).toEqual(expect.objectContaining({ state: 'draft', household: null }));
    expect(sent.orgUnit.id).toBe(c.t.demo.orgUnits.datong.id);
    expect(sent.problemType.code).toBe('HQ-01');
    await shot(page, 'new-item-sent-phone');
  });

  it('keeps a rectification signed offline on the phone until the password is entered, then signs it exactly once', async () => {
    const page = await as('cadre', PHONE);
    const context = page.context();
    // A fresh page: no signing grant in its memory.
    await page.goto(`/items/${item1.id}`);
    await page.getByTestId('item-state').getByText('整改中').waitFor();
    await page.waitForLoadState('networkidle');
    const kinds = async () => (await apiGet('cadre', `/api/items/${item1.id}/signatures`)).map((s: { kind: string }) => s.kind);
    const before = await kinds();
    expect(before.at(-1)).toBe('reopen');

    await context.setOffline(true);
    await page.getByRole('button', { name: '提交整改' }).click();
    const sheet = page.locator('.ant-drawer-content-wrapper:visible');
    await sheet.getByText(`提交整改（序号 ${item1.number}）`).waitFor();
    await sheet.getByLabel('整改情况').fill('西侧墙角已重新做防水，复查不再渗水');
    // the phone offers the camera and the gallery: the gallery's picker takes a file
    await sheet.locator('input[type="file"][multiple]').setInputFiles(PHOTO);
    await sheet.locator('.ant-upload-list-item').first().waitFor();
    // No network, no password to check: the signature waits on the device.
    expect(await sheet.getByLabel(PASSWORD_LABEL).count()).toBe(0);
    await sheet.getByRole('button', { name: '确认签字' }).click();
    await page.getByText('已保存在本机，联网后自动发送').waitFor();

    await context.setOffline(false);
    const ask = page.getByRole('dialog', { name: '发送离线时的签字' });
    await ask.getByText(`提交整改：序号 ${item1.number}`).waitFor();
    await ask.getByLabel(PASSWORD_LABEL).waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    await shot(page, 'outbox-sign-password-phone');
    // Nothing was signed without the password.
    expect(await kinds()).toEqual(before);

    await enterPassword(ask);
    await ask.getByRole('button', { name: '确认并发送' }).click();
    await page.getByText(`已发送：提交整改：序号 ${item1.number}`).waitFor();
    await until(async () => (await kinds()).length === before.length + 1, 'the rectification to be signed');
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await kinds()).toEqual([...before, 'rectification']);
    expect((await apiGet('cadre', `/api/items/${item1.id}`)).state).toBe('pending_acceptance');
    await page.getByTestId('outbox-indicator').waitFor({ state: 'detached' });
  });

  it('raised no uncaught errors in any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
