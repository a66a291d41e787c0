import type { Page } from 'playwright-core';
import { createDraft, rectificationCampaign, signingGrant, uploadPdf } from './factories';
import { ConsoleUnderTest, DESKTOP, journeySteps, login, logout, newSession, PHONE, screenshot, scrollsSideways, sign, startConsole } from './browser/harness';

/**
 * 抽查复核 and 签字责任 in the console (Chromium), on the demo county: the
 * inspector draws a sample on 统计 › 抽查复核 (signing with the password),
 * sees it with the coverage per village; the county office reads the
 * accountability tab and the half-month series.
 */
describe('console: spot-check draws, coverage and accountability (Chromium)', () => {
  let c: ConsoleUnderTest;
  let page: Page;
  let close: () => Promise<void>;
  beforeAll(async () => {
    c = await startConsole();
    // A campaign in rectification with closed items in both villages of 城关镇 and one dismissed (signed as the console would: with grants).
    const t = c.t;
    const cid = await rectificationCampaign(t, '抽查复核演示');
    const grants: Record<string, string> = {};
    const ev = async (user: string, id: string, body: Record<string, unknown>) => {
      grants[user] ??= await signingGrant(t, user);
      const res = await t.http
        .post(`/api/items/${id}/events`)
        .set('authorization', `Bearer ${await t.token(user)}`)
        .set('X-Signing-Grant', grants[user])
        .send(body);
      if (res.status !== 200) throw new Error(`${user} ${JSON.stringify(body)}: ${res.status} ${JSON.stringify(res.body)}`);
    };
    for (const [village, cadre, n] of [
      ['datong', 'cadre', 3],
      ['qilimiao', 'cadre2', 2],
    ] as const) {
      for (let i = 0; i < n; i++) {
        const { id } = await createDraft(t, cid, { description: `${village} 问题 ${i + 1}`, orgUnitId: t.demo.orgUnits[village].id }, cadre);
        await ev(cadre, id, { type: 'SUBMIT' });
        await ev('leader', id, { type: 'CONFIRM', measures: '整改', rectifierId: t.demo.userIds[cadre], deadline: '2099-12-31' });
        await ev(cadre, id, { type: 'SUBMIT_RECTIFICATION', comment: '完成', evidence: [await uploadPdf(t, cadre)] });
        await ev('leader', id, { type: 'ACCEPT' });
      }
    }
    const session = await newSession(c, DESKTOP);
    page = session.page;
    close = () => session.context.close();
  });
  afterAll(async () => {
    await close?.();
    await c?.close();
  });

  const step = journeySteps(() => (page ? [['inspection', page]] : []));

  step('the inspector draws a sample on 抽查复核, signing with the password, and sees it with the coverage', async () => {
    await login(page, 'inspector');
    await page.goto('/stats?tab=spot-checks');
    await page.getByRole('tab', { name: '抽查复核', selected: true }).waitFor();
    await page.getByRole('button', { name: '每乡镇数量' }).or(page.getByText('每乡镇数量')).first().click();
    await page.getByRole('button', { name: /抽\s*取/ }).click();
    const dialog = page.getByRole('dialog');
    await sign(dialog, '抽取并签字');
    await page.getByText(/已抽取第 1 轮/).waitFor();
    const rows = page.getByTestId('draw-items').locator('tbody tr.ant-table-row');
    // The sample's table fills in once the draw's answer has been read: wait for its first row, as a user would.
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThan(0);
    await page.getByTestId('draw-items').getByText('待复核').first().waitFor();
    await page.getByTestId('coverage-table').getByText('大同村').waitFor();
    const worklist = page.getByTestId('worklist').locator('tbody tr.ant-table-row');
    await page.getByText(`待复核（${await rows.count()}）`).waitFor();
    expect(await worklist.count()).toBe(await rows.count());
    await screenshot(page, 'spot-checks-inspector-desktop');
  });

  step('a spot check on a drawn item takes it off the worklist and shows on the sample', async () => {
    const first = page.getByTestId('worklist').locator('tbody tr.ant-table-row').first();
    const number = (await first.locator('a').first().innerText()).trim();
    const before = await page.getByTestId('worklist').locator('tbody tr.ant-table-row').count();
    await first.locator('a').first().click();
    await page.getByRole('button', { name: '督查通过' }).click();
    const dialog = page.getByRole('dialog');
    // The signing grant of the draw is still held: the password is asked again only if it has run out.
    await sign(dialog, '确认签字');
    await page.goto('/stats?tab=spot-checks');
    await page.getByText(`待复核（${before - 1}）`).waitFor();
    const checked = page.getByTestId('draw-items').locator('tbody tr.ant-table-row').filter({ hasText: number });
    await checked.getByText('督查通过').waitFor();
    await checked.getByText('周强（第一督查组）').waitFor();
  });

  step('the county office reads 签字责任 by person and by township, and the half-month series', async () => {
    await logout(page);
    await login(page, 'county');
    await page.goto('/stats?tab=accountability');
    const people = page.getByTestId('accountability-people');
    await people.getByText('张伟（大同村）').waitFor();
    await screenshot(page, 'accountability-county-desktop');
    await page.getByText('按乡镇', { exact: true }).click();
    await page.getByTestId('accountability-townships').getByText('城关镇').waitFor();
    await page.getByRole('tab', { name: '进度统计' }).click();
    await page.getByText('半月', { exact: true }).click();
    await page.getByText('半月进度（15日、月末）').waitFor();
    // The chart animates its lines in (about a second); the photograph is for people, so it waits for them to be drawn.
    await page.waitForTimeout(1500);
    await screenshot(page, 'series-half-month-desktop');
  });

  step('the spot-check tab fits a phone', async () => {
    await page.setViewportSize(PHONE);
    await page.goto('/stats?tab=spot-checks');
    await page.getByTestId('coverage-table').getByText('大同村').waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, 'spot-checks-county-phone');
  });
});
