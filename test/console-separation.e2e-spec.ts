import type { Locator, Page } from 'playwright-core';
import { ConsoleUnderTest, DESKTOP, login, logout, newSession, PHONE, screenshot, scrollsSideways, startConsole, journeySteps } from './browser/harness';

/**
 * 三权分立 in the console (Chromium): the admin creates an account and asks for
 * 县巩固办 for it; the security admin approves it on 安全管理; the account then
 * holds the role. Each sees only their own pages.
 */
describe('console: the admin proposes a role, the security admin approves it (Chromium)', () => {
  let c: ConsoleUnderTest;
  let page: Page;
  let close: () => Promise<void>;
  beforeAll(async () => {
    c = await startConsole();
    const session = await newSession(c, DESKTOP);
    page = session.page;
    close = () => session.context.close();
  });
  afterAll(async () => {
    await close?.();
    await c?.close();
  });

  const step = journeySteps(() => (page ? [['separation', page]] : []));

  /** Waits until the element stops moving (a modal zooming in places a dropdown where the field was a moment ago). */
  async function settled(el: Locator): Promise<void> {
    let last = '';
    for (let i = 0; i < 50; i++) {
      const box = JSON.stringify(await el.boundingBox());
      if (box === last && box !== 'null') return;
      last = box;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Picks an option of a Select / a node of a TreeSelect by its text, and waits until the field shows it. */
  async function pickFromDropdown(field: Locator, item: Locator, text: string): Promise<void> {
    await settled(dialog());
    await field.click();
    const option = page.locator('.ant-select-dropdown:visible').getByTitle(text, { exact: true });
    await option.waitFor();
    await settled(option);
    await option.click();
    await item.getByTitle(text, { exact: true }).first().waitFor();
  }
  /** The form item (label, field, errors) of the dialog's field labelled `label`. */
  const formItem = (label: string) =>
    dialog()
      .locator('.ant-form-item')
      .filter({ has: page.getByText(label, { exact: true }) });

  const menu = () => page.locator('.ant-layout-sider .ant-menu');
  const dialog = () => page.getByRole('dialog');
  const rolesOf = async (username: string): Promise<string[]> => {
    const res = await c.t.http.get('/api/users').set('authorization', `Bearer ${await c.t.token('security')}`);
    return (res.body as Array<{ username: string; roles: string[] }>).find((u) => u.username === username)!.roles;
  };

  step('the admin lands on 管理, with no 安全管理 or 审计 in the menu, and creates an account (no role yet)', async () => {
    await login(page, 'admin');
    await page.waitForURL(/\/admin$/);
    await expect(menu().getByText('管理', { exact: true }).count()).resolves.toBe(1);
    await expect(menu().getByText('安全管理').count()).resolves.toBe(0);
    await expect(menu().getByText('审计').count()).resolves.toBe(0);
    await page.getByRole('tab', { name: '用户' }).click();
    await page.getByRole('button', { name: /新建用户/ }).click();
    await dialog().getByLabel('用户名（登录名）').fill('xianban');
    await dialog().getByLabel('姓名').fill('钱进（县巩固办）');
    await pickFromDropdown(dialog().getByLabel('所属单位'), formItem('所属单位'), '霍邱县（县（区））');
    await dialog().getByLabel('初始密码').fill('Qianjin#2021');
    await dialog()
      .getByRole('button', { name: /新\s*建/ })
      .click();
    await page.getByText('已新建用户 钱进（县巩固办）（xianban），角色由安全管理员设置').waitFor();
    const row = page.getByTestId('user-row-xianban');
    await row.getByText('无角色').waitFor();
    expect(await rolesOf('xianban')).toEqual([]);
  });

  step('the admin asks for 县巩固办 for it: the row shows it waiting', async () => {
    const row = page.getByTestId('user-row-xianban');
    await row.getByRole('button', { name: '申请授予' }).click();
    await pickFromDropdown(dialog().getByLabel('角色'), formItem('角色'), '县巩固办');
    await dialog().getByLabel('理由（可选）').fill('霍扶组〔2021〕12号 任命');
    await dialog().getByRole('button', { name: '提交申请' }).click();
    await page.getByText('已申请为 钱进（县巩固办） 授予县巩固办，待安全管理员批准').waitFor();
    await row.getByText('待批准：县巩固办').waitFor();
    // The admin's own list of requests shows it, with nothing to decide.
    await page.getByRole('tab', { name: '角色授予申请' }).click();
    const grant = page.getByTestId('grant-row-xianban-county_office');
    await grant.getByText('等待安全管理员批准').waitFor();
    expect(await grant.getByRole('button', { name: /批\s*准/ }).count()).toBe(0);
    await screenshot(page, 'separation-admin-grant-pending-desktop');
    expect(await rolesOf('xianban')).toEqual([]);
    await logout(page);
  });

  step('the security admin lands on 安全管理 and approves it; the account holds 县巩固办', async () => {
    await login(page, 'security');
    await page.waitForURL(/\/security$/);
    await expect(menu().getByText('安全管理').count()).resolves.toBe(1);
    for (const other of ['管理', '审计', '待办', '问题台账']) await expect(menu().getByText(other, { exact: true }).count()).resolves.toBe(0);
    const grant = page.getByTestId('grant-row-xianban-county_office');
    await grant.getByText('霍扶组〔2021〕12号 任命').waitFor();
    await screenshot(page, 'separation-security-grants-desktop');
    await grant.getByRole('button', { name: /批\s*准/ }).click();
    await dialog().getByLabel('意见（可选）').fill('已核对任命文件');
    await dialog()
      .getByRole('button', { name: /批\s*准/ })
      .click();
    await page.getByText('已批准：钱进（县巩固办） 获得县巩固办角色，其全部登录已结束').waitFor();
    await page.getByText('没有待批准的申请').waitFor();
    expect(await rolesOf('xianban')).toEqual(['county_office']);

    await page.getByRole('tab', { name: '用户与角色' }).click();
    const user = page.getByTestId('security-user-xianban');
    await user.getByText('县巩固办', { exact: true }).waitFor();
    await screenshot(page, 'separation-security-users-desktop');
    // The roles editor offers 县巩固办 only to keep or remove; others' privileged roles cannot be ticked here.
    await user.getByRole('button', { name: '设置角色' }).click();
    await dialog()
      .getByRole('checkbox', { name: /^系统管理员/ })
      .waitFor();
    expect(await dialog().getByRole('checkbox', { name: '县巩固办', exact: true }).isChecked()).toBe(true);
    expect(await dialog().getByRole('checkbox', { name: '安全管理员（须经系统管理员申请）', exact: true }).isDisabled()).toBe(true);
    await dialog()
      .getByRole('button', { name: /取\s*消/ })
      .click();

    await page.getByRole('tab', { name: '密码策略' }).click();
    await page.getByText('服务默认值（本县尚未设置）').waitFor();
    await screenshot(page, 'separation-security-password-policy-desktop');
  });

  step('the audit log shows who proposed and who approved', async () => {
    const events = (await c.t.http.get('/api/audit-events?action=role_grant.').set('authorization', `Bearer ${await c.t.token('auditor')}`)).body as Array<{
      action: string;
      actor: { username: string };
    }>;
    expect(events.map((e) => [e.action, e.actor.username])).toEqual([
      ['role_grant.approve', 'security'],
      ['role_grant.propose', 'admin'],
    ]);
  });

  step('an account whose roles are not set yet sees why, and nothing else', async () => {
    const res = await c.t.http
      .post('/api/admin/users')
      .set('authorization', `Bearer ${await c.t.token('admin')}`)
      .send({ username: 'daiding', displayName: '孙待定', orgUnitId: c.t.demo.orgUnits.datong.id, password: 'Waiting#2021' });
    expect(res.status).toBe(201);
    const fresh = await newSession(c, DESKTOP);
    await fresh.page.goto('/');
    await fresh.page.getByLabel('用户名').fill('daiding');
    await fresh.page.getByLabel('密码').fill('Waiting#2021');
    await fresh.page.getByRole('button', { name: /登\s*录/ }).click();
    await fresh.page.getByText('账号尚未授予角色').waitFor();
    expect(await fresh.page.locator('.ant-menu').count()).toBe(0);
    await screenshot(fresh.page, 'separation-no-roles-desktop');
    await fresh.context.close();
  });

  step('安全管理 fits a phone screen', async () => {
    const phone = await newSession(c, PHONE);
    await login(phone.page, 'security');
    await phone.page.waitForURL(/\/security$/);
    await phone.page.getByRole('tab', { name: '用户与角色' }).click();
    await phone.page.getByTestId('security-user-xianban').waitFor();
    expect(await scrollsSideways(phone.page)).toBe(false);
    await screenshot(phone.page, 'separation-security-users-phone');
    await phone.context.close();
  });
});
