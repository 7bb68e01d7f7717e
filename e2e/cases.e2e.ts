// Issue 4's story in a real browser: an owner opens a case with an attachment in the
// portal; the agent sees it appear live and replies with a macro; the owner sees the reply
// live; the agent finds the case by an inflected German word; another owner cannot open it.
import { deflateSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_PASSWORD, demoOwners, demoStaff } from '../server/src/demo/index.js';
import { launchBrowser, newPage, signIn } from './browser.js';

let browser: Browser;
const baseUrl = inject('baseUrl');

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** A real 2x2 PNG, built here so no binary is committed. */
function png(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const byte of buf) c = (crcTable[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(2, 0);
  header.writeUInt32BE(2, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const pixels = Buffer.from([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 255, 255, 0]);
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function pickFirstOption(page: Page, testId: string) {
  await page.getByTestId(testId).click();
  await page.getByRole('option').first().click();
}

describe('cases end to end', () => {
  it('portal case with attachment -> live in the inbox -> macro reply -> live in the portal -> found by "Batterien"', async () => {
    const lena = demoOwners.find((o) => o.firstName === 'Lena');
    const oliver = demoOwners.find((o) => o.firstName === 'Oliver');
    const agentLogin = demoStaff.find((s) => s.role === 'agent' && s.markets.includes('DE'));
    if (!lena || !oliver || !agentLogin) throw new Error('demo people missing');

    const agent = await newPage(browser, baseUrl, 'de-DE');
    await signIn(agent, agentLogin.email, DEMO_PASSWORD);
    await agent.waitForURL('**/agent/**');
    await agent.goto('/agent/cases');
    await agent.getByTestId('case-row').first().waitFor();

    const owner = await newPage(browser, baseUrl, 'de-DE');
    await signIn(owner, lena.email, DEMO_PASSWORD);
    await owner.waitForURL('**/portal**');
    await owner.getByTestId('portal-new-case').click();
    await pickFirstOption(owner, 'portal-case-topic');
    await pickFirstOption(owner, 'portal-case-vehicle');
    await owner.getByTestId('portal-case-subject').fill('Batterie lädt nicht mehr');
    await owner
      .getByTestId('portal-case-body')
      .fill('Seit dem Update lädt meine Batterie an der Wallbox nicht mehr. Foto anbei.');
    await owner
      .getByTestId('portal-case-file')
      .setInputFiles({ name: 'wallbox.png', mimeType: 'image/png', buffer: png() });
    await expect.poll(() => owner.getByText('wallbox.png').count()).toBeGreaterThan(0);
    await owner.getByTestId('portal-case-submit').click();
    await owner.waitForURL(/\/portal\/cases\/PW-\d{4}-\d{6}/);
    const number = /PW-\d{4}-\d{6}/.exec(owner.url())?.[0] ?? '';
    await owner.getByTestId('portal-timeline-entry').first().waitFor();

    // The agent's open inbox shows the new case without a reload.
    const row = agent.locator(`[data-testid="case-row"][data-case-number="${number}"]`);
    await row.waitFor({ timeout: 5000 });
    await row.click();
    await agent.getByTestId('timeline-entry').first().waitFor();
    await expect.poll(() => agent.locator('img[src*="/preview"]').count()).toBeGreaterThan(0);

    await agent.getByTestId('macro-select').click();
    await agent.getByRole('option', { name: 'Ask for a photo' }).click();
    await agent.getByTestId('macro-apply').click();
    await expect
      .poll(() => agent.locator('[data-testid="timeline-entry"][data-kind="reply"]').count())
      .toBe(2);

    // The owner's open case page shows the reply live, in German, with the placeholders filled.
    await expect.poll(() => owner.getByTestId('portal-timeline-entry').count(), { timeout: 5000 }).toBe(2);
    await expect.poll(() => owner.getByText(`Hallo ${lena.firstName}`).count()).toBeGreaterThan(0);
    expect(await owner.getByText(number).count()).toBeGreaterThan(0);

    // Search by an inflected German word finds the case ("Batterien" -> "Batterie").
    await agent.goto('/agent/cases/search?q=Batterien');
    await expect
      .poll(() => agent.locator('[data-testid="search-result"]', { hasText: number }).count())
      .toBe(1);
    expect(await agent.getByTestId('search-snippet').first().innerHTML()).toContain('<mark>');

    // Another owner can open it neither by URL nor by the API.
    const stranger = await newPage(browser, baseUrl, 'en-GB');
    await signIn(stranger, oliver.email, DEMO_PASSWORD);
    await stranger.waitForURL('**/portal**');
    await stranger.goto(`/portal/cases/${number}`);
    await expect.poll(() => stranger.getByTestId('portal-timeline-entry').count()).toBe(0);
    await expect.poll(() => stranger.getByText('Seit dem Update').count()).toBe(0);
    expect((await stranger.request.get(`/api/cases/${number}`)).status()).toBe(404);
    for (const page of [agent, owner, stranger]) await page.context().close();
  });
});
