import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { bearer, rectificationCampaign } from './factories';
import { ConsoleUnderTest, DESKTOP, journeySteps, login, newSession, PHONE, screenshot, scrollsSideways, startConsole } from './browser/harness';

/**
 * 导入问题台账 in the console (Chromium), as 乡镇干部 `towncadre`: a ledger edited
 * after export creates only its new row and lists the rows that matched
 * existing items; a two-village workbook with bad cells lists each error with
 * its sheet; on 登记问题 the cadre picks any village of the township. The
 * ledgers are the openpyxl corpus (test/fixtures/ledgers).
 */
const CORPUS = resolve(__dirname, 'fixtures/ledgers');

describe('console: a township cadre imports ledgers (Chromium)', () => {
  let c: ConsoleUnderTest;
  let page: Page;
  let close: () => Promise<void>;
  let campaign: string;
  let numbers: number[];

  beforeAll(async () => {
    c = await startConsole();
    campaign = await rectificationCampaign(c.t, '台账导入');
    // Items 1–4 exist: 11-export-edited.xlsx names two of them by 问题编号.
    const first = await c.t.http
      .post(`/api/campaigns/${campaign}/ledger`)
      .set('authorization', await bearer(c.t, 'towncadre'))
      .attach('file', readFileSync(resolve(CORPUS, '01-template.xlsx')), '台账.xlsx');
    if (first.status !== 200) throw new Error(`import: ${first.status} ${JSON.stringify(first.body)}`);
    numbers = (first.body.items as Array<{ number: number }>).map((i) => i.number);
    const session = await newSession(c, DESKTOP);
    page = session.page;
    close = () => session.context.close();
  });
  afterAll(async () => {
    await close?.();
    await c?.close();
  });

  const step = journeySteps(() => (page ? [['ledger-import', page]] : []));
  const dialog = () => page.getByRole('dialog');

  step('an edited export creates its one new row and lists the two rows that matched items', async () => {
    expect(numbers).toEqual([1, 2, 3, 4]);
    await login(page, 'towncadre');
    await page.evaluate(`localStorage.setItem('qingling.campaignId', ${JSON.stringify(campaign)})`);
    await page.goto('/items');
    await page.getByText('共 4 个问题').waitFor();
    await page.getByRole('button', { name: /导\s*入/ }).click();
    await dialog().locator('input[type=file]').setInputFiles(resolve(CORPUS, '11-export-edited.xlsx'));
    await dialog()
      .getByRole('button', { name: /^导\s*入$/ })
      .click();
    await dialog().getByText('已导入 1 个问题').waitFor();
    const matched = dialog().getByTestId('import-matched');
    await matched.getByText('第 4 行 → 问题 #1').waitFor();
    await matched.getByText('第 5 行 → 问题 #3').waitFor();
    expect(await matched.getByText('按问题编号').count()).toBe(2);
    // Row 4 was re-worded after export: the item is not changed, and the cadre is told.
    expect(await matched.getByText('台账已修改，问题未更新').count()).toBe(1);
    await dialog().getByText('第 6 行 → 问题 #5').waitFor();
    await screenshot(page, 'ledger-import-matched-desktop');
  });

  step('a workbook of two village sheets with bad cells lists each error with its sheet, and imports nothing', async () => {
    await dialog().getByRole('button', { name: '继续导入' }).click();
    await dialog().locator('input[type=file]').setInputFiles(resolve(CORPUS, '12-errors-two-sheets.xlsx'));
    await dialog()
      .getByRole('button', { name: /^导\s*入$/ })
      .click();
    const errors = dialog().getByTestId('import-errors');
    await errors.getByText('身份证号码校验码不正确，请核对').waitFor();
    await errors.getByRole('columnheader', { name: '工作表' }).waitFor();
    expect(await errors.getByRole('cell', { name: '七里庙村', exact: true }).count()).toBe(2);
    await screenshot(page, 'ledger-import-errors-desktop');
    const list = await c.t.http.get(`/api/items?campaignId=${campaign}&limit=50`).set('authorization', await bearer(c.t, 'county'));
    expect(list.body.items).toHaveLength(5);
  });

  step('on 登记问题 乡镇干部 picks any village of 城关镇, and no other township', async () => {
    await dialog()
      .getByRole('button', { name: /取\s*消/ })
      .click();
    await page.goto('/items/new');
    const field = page.getByLabel('所在村（乡镇、部门）');
    await field.click();
    const dropdown = page.locator('.ant-select-dropdown:visible');
    for (const name of ['城关镇', '大同村', '七里庙村']) await dropdown.getByTitle(name, { exact: true }).waitFor();
    expect(await dropdown.getByTitle('河口镇东岗村').count()).toBe(0);
    await screenshot(page, 'new-item-township-cadre-desktop');
  });

  step('on a phone, the same edited export again creates nothing and lists its three rows, without scrolling sideways', async () => {
    const phone = await newSession(c, PHONE);
    try {
      const p = phone.page;
      await login(p, 'towncadre');
      await p.evaluate(`localStorage.setItem('qingling.campaignId', ${JSON.stringify(campaign)})`);
      await p.goto('/items');
      await p.getByRole('button', { name: /导\s*入/ }).click();
      const modal = p.getByRole('dialog');
      await modal.locator('input[type=file]').setInputFiles(resolve(CORPUS, '11-export-edited.xlsx'));
      await modal.getByRole('button', { name: /^导\s*入$/ }).click();
      await modal.getByText('没有新的问题').waitFor();
      const matched = modal.getByTestId('import-matched');
      for (const line of ['第 4 行 → 问题 #1', '第 5 行 → 问题 #3', '第 6 行 → 问题 #5']) await matched.getByText(line).waitFor();
      expect(await matched.getByText('与已有问题相同').count()).toBe(1);
      expect(await scrollsSideways(p)).toBe(false);
      await screenshot(p, 'ledger-import-matched-phone');
    } finally {
      await phone.context.close();
    }
  });
});
