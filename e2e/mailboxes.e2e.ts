// An admin adds an SMTP address on Admin → Mailboxes and sees it in the list; a duplicate is
// refused with the server's message in the form; an address's market and language can be edited;
// the page reads in German too.
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

  it("edits an SMTP address's market and language and lists the change", async () => {
    const edited = `empfang-${Date.now()}@pitwall.local`;
    const page = await newPage(browser, baseUrl);
    await signIn(page, admin?.email ?? '', DEMO_PASSWORD);
    await page.waitForURL('**/agent/**');
    await page.goto('/agent/admin/mailboxes');
    await page.getByTestId('mailbox-add-smtp').click();
    await page.getByTestId('mailbox-address').fill(edited);
    await page.getByTestId('mailbox-market').click();
    await page.getByRole('option', { name: /\(AT\)/ }).click();
    await page.getByTestId('mailbox-save').click();
    const row = page.locator(`[data-testid=mailbox-row][data-address="${edited}"]`);
    await expect.poll(() => row.textContent()).toContain('German');

    await row.getByTestId('mailbox-row-edit').click();
    const form = page.getByTestId('mailbox-edit-form');
    // Prefilled with what is stored; nothing changed, nothing to save.
    await expect(form.getByTestId('mailbox-market').inputValue()).resolves.toContain('(AT)');
    await expect(form.getByTestId('mailbox-edit-save').isDisabled()).resolves.toBe(true);
    await expect(form.getByTestId('mailbox-host').count()).resolves.toBe(0);
    await form.getByTestId('mailbox-market').click();
    await page.getByRole('option', { name: /\(CH\)/ }).click();
    await form.getByTestId('mailbox-language').click();
    await page.getByRole('option', { name: 'English' }).click();
    await form.getByTestId('mailbox-edit-save').click();
    await form.waitFor({ state: 'detached' });

    const cells = row.locator('td');
    await expect.poll(() => cells.nth(1).textContent()).toBe('CH');
    await expect(cells.nth(2).textContent()).resolves.toBe('English');
    // What the list shows is what is stored.
    await page.reload();
    await expect.poll(() => cells.nth(1).textContent()).toBe('CH');
    await expect(cells.nth(2).textContent()).resolves.toBe('English');
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
