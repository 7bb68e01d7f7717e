// An admin adds an SMTP address on Admin → Mailboxes and sees it in the list; a duplicate is
// refused with the server's message in the form; the page reads in German too.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_PASSWORD, demoStaff } from '../server/src/demo/index.js';
import { launchBrowser, newPage, signIn } from './browser.js';

const baseUrl = inject('baseUrl');
const admin = demoStaff.find((member) => member.role === 'admin');
const address = `werkstatt-${Date.now()}@pitwall.local`;
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('the mailboxes page', () => {
  it('adds an SMTP address and lists it; the same address again shows the server error', async () => {
    const page = await newPage(browser, baseUrl);
    await signIn(page, admin?.email ?? '', DEMO_PASSWORD);
    await page.waitForURL('**/agent/**');
    await page.getByTestId('nav-mailboxes').click();
    await page.waitForURL('**/agent/admin/mailboxes');
    // The default service-<market>@ addresses are there from the first start.
    await expect.poll(() => page.getByTestId('mailbox-row').count()).toBeGreaterThan(0);

    const add = async () => {
      await page.getByTestId('mailbox-add-smtp').click();
      await page.getByTestId('mailbox-address').fill(address);
      await page.getByTestId('mailbox-market').click();
      await page.getByRole('option', { name: /\(AT\)/ }).click();
      await page.getByTestId('mailbox-save').click();
    };
    await add();
    const row = page.locator(`[data-testid=mailbox-row][data-address="${address}"]`);
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('AT');
    await expect(row.textContent()).resolves.toContain('Receiving');

    await add();
    await expect
      .poll(() => page.getByTestId('mailbox-error').textContent())
      .toContain(`Pitwall already receives mail for ${address}`);
    await page.keyboard.press('Escape');

    await row.getByTestId('mailbox-row-toggle').click();
    await expect.poll(() => row.textContent()).toContain('Disabled');
    await page.context().close();
  });

  it('reads in German', async () => {
    const page = await newPage(browser, baseUrl);
    await signIn(page, admin?.email ?? '', DEMO_PASSWORD);
    await page.waitForURL('**/agent/**');
    await page.goto('/agent/admin/mailboxes');
    await page.getByTestId('lang-switch').getByText('Deutsch').click();
    try {
      await page.getByRole('heading', { name: 'Postfächer' }).waitFor();
      await expect(page.getByTestId('nav-mailboxes').textContent()).resolves.toBe('Postfächer');
      await expect(page.getByTestId('mailbox-add-smtp').textContent()).resolves.toBe(
        'SMTP-Adresse hinzufügen',
      );
      await expect(page.getByTestId('mailbox-row').first().textContent()).resolves.toMatch(
        /Empfängt|Deaktiviert/,
      );
    } finally {
      // The switch is saved on the profile; the other browser tests expect English.
      await page.getByTestId('lang-switch').getByText('English').click();
      await page.getByRole('heading', { name: 'Mailboxes' }).waitFor();
    }
    await page.context().close();
  });
});
