import type { Locator, Page } from 'playwright-core';
import { signingGrant } from './factories';
import { ConsoleUnderTest, DESKTOP, journeySteps, login, logout, newSession, screenshot, startConsole } from './browser/harness';

/**
 * 行业排查, township campaigns, phase windows and the rectifier picker in the
 * console (Chromium): 住建局 staff record for a household in another township
 * and are offered only their sector's types; the county office sees the plan's
 * passed phases tagged 已超期; a township leader creates their township's own
 * campaign from the 干汊河 preset; the 审核确认 rectifier picker offers only the
 * township's people, never the leader himself.
 */
describe('console: 行业排查, township campaigns, phase windows, rectifier picker (Chromium)', () => {
  let c: ConsoleUnderTest;
  let page: Page;
  let close: () => Promise<void>;
  let campaignId: string;
  let pendingId: string;

  const api = async (username: string, method: 'get' | 'post', path: string, body: object = {}, signed = false) => {
    const req = c.t.http[method](path).set('authorization', `Bearer ${await c.t.token(username)}`);
    if (signed) req.set('X-Signing-Grant', await signingGrant(c.t, username));
    const res = await (method === 'post' ? req.send(body) : req);
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  beforeAll(async () => {
    c = await startConsole();
    const session = await newSession(c, DESKTOP);
    page = session.page;
    close = () => session.context.close();
    // A 霍邱 plan of 2021 (every window long past), 三保障和饮水安全 mapped to 住建局, in 问题整改及动态管理.
    const campaign = await api('county', 'post', '/api/campaigns', {
      preset: 'huoqiu',
      title: '霍邱县集中排查（行业排查）',
      docNumber: '霍扶组〔2021〕5号',
      year: 2021,
      sectors: [{ problemTypeCode: 'HQ-01', departmentIds: [c.t.demo.orgUnits.zhujian.id] }],
    });
    campaignId = campaign.id;
    for (let i = 0; i < 3; i++) await api('county', 'post', `/api/campaigns/${campaignId}/advance`, {}, true);
    const item = await api('cadre', 'post', '/api/items', {
      campaignId,
      orgUnitId: c.t.demo.orgUnits.datong.id,
      problemTypeCode: 'HQ-01',
      description: '住房漏雨',
    });
    await api('cadre', 'post', `/api/items/${item.id}/events`, { type: 'SUBMIT' }, true);
    pendingId = item.id;
  });
  afterAll(async () => {
    await close?.();
    await c?.close();
  });

  const step = journeySteps(() => (page ? [['sector', page]] : []));
  const dropdown = () => page.locator('.ant-select-dropdown:visible');
  const formItem = (label: string) => page.locator('.ant-form-item').filter({ has: page.getByText(label, { exact: true }) });

  async function pick(field: Locator, text: string): Promise<void> {
    await field.click();
    await dropdown().getByTitle(text, { exact: true }).click();
  }

  step('住建局 staff: 登记问题 offers every village of the county and, for a village, only the sector’s types', async () => {
    await login(page, 'dept');
    await page.goto('/items/new');
    await pick(formItem('专项行动').locator('.ant-select'), '霍邱县集中排查（行业排查）');
    await formItem('所在村（乡镇、部门）').locator('.ant-select').click();
    for (const place of ['城关镇', '大同村', '河口镇', '河口镇东岗村', '周集镇北岗村', '县住房和城乡建设局（住建局）']) {
      await dropdown().getByTitle(place, { exact: true }).waitFor();
    }
    expect(await dropdown().getByTitle('县教育体育局（教育局）', { exact: true }).count()).toBe(0);
    await dropdown().getByTitle('河口镇东岗村', { exact: true }).click();
    await formItem('问题类型').locator('.ant-select').click();
    await dropdown().getByTitle('三保障和饮水安全', { exact: true }).waitFor();
    expect(await dropdown().getByTitle('产业发展', { exact: true }).count()).toBe(0);
    await screenshot(page, 'sector-new-item-types-desktop');
    await dropdown().getByTitle('三保障和饮水安全', { exact: true }).click();
    await page.getByLabel('具体问题').fill('危房改造未验收（行业排查）');
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.getByText(/已保存草稿/).waitFor();
    await page.getByText('行业排查').first().waitFor();
    await screenshot(page, 'sector-item-detail-desktop');
    await logout(page);
  });

  step('the county office sees the plan’s passed phases tagged 已超期 (the current one included)', async () => {
    await login(page, 'county');
    await page.goto(`/campaigns/${campaignId}`);
    await page.getByText('问题整改及动态管理').first().waitFor();
    // Current (问题整改及动态管理) and ahead (工作总结): two in the plan, one more beside 当前阶段.
    await expect(page.getByText('已超期', { exact: true }).count()).resolves.toBe(3);
    await screenshot(page, 'campaign-phases-overdue-desktop');
    await logout(page);
  });

  step('the township leader creates 城关镇’s own campaign from the 干汊河 preset; it opens scoped to 城关镇, theirs to start', async () => {
    await login(page, 'leader');
    await page.goto('/campaigns');
    await page.getByRole('button', { name: /新建专项行动/ }).click();
    const drawer = page.locator('.ant-drawer');
    await drawer.getByText('这是城关镇自己的专项行动').waitFor();
    await drawer.getByText('干汊河镇脱贫攻坚“回头看”').first().waitFor();
    await drawer.getByLabel('专项行动名称').fill('城关镇脱贫攻坚“回头看”');
    await drawer.getByLabel('文号').fill('城办〔2026〕3号');
    await screenshot(page, 'township-campaign-create-desktop');
    await drawer.getByRole('button', { name: '新建' }).click();
    await page.waitForURL(/\/campaigns\/[0-9a-f-]{36}$/);
    await page.getByText('城关镇（乡镇的专项行动）').waitFor();
    await page.getByRole('button', { name: '启动' }).waitFor();
    await screenshot(page, 'township-campaign-detail-desktop');
  });

  step('审核确认: the rectifier picker offers 城关镇’s people only, never the leader himself', async () => {
    await page.goto(`/items/${pendingId}`);
    await page.getByRole('button', { name: '审核确认' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('整改责任人').click();
    await dropdown().getByTitle('张伟（大同村）', { exact: true }).waitFor();
    await dropdown().getByTitle('刘芳（七里庙村）', { exact: true }).waitFor();
    for (const outsider of ['李明（城关镇分管负责人）', '赵磊（河口镇东岗村）', '孙丽（住建局）', '周强（第一督查组）']) {
      expect([outsider, await dropdown().getByTitle(outsider, { exact: true }).count()]).toEqual([outsider, 0]);
    }
    await screenshot(page, 'rectifier-picker-township-desktop');
  });
});
