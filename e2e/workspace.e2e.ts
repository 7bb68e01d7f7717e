// An agent signs in, switches to German, finds a customer and opens the customer 360;
// an owner signs in to the portal and sees only their own vehicles.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_PASSWORD, demoLogins, demoStaff } from '../server/src/demo/index.js';
import { launchBrowser, newPage, signIn } from './browser.js';

let browser: Browser;
const baseUrl = inject('baseUrl');
const loginFor = (role: string) => {
  const login = demoLogins.find((l) => l.role === role);
  if (!login) throw new Error(`no demo login for ${role}`);
  return login;
};

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('agent workspace', () => {
  it('an agent signs in, switches to German, searches and opens a customer 360', async () => {
    const page = await newPage(browser, baseUrl, 'en-GB');
    // An English-speaking agent, so the switch to German is the test's own doing.
    const agent = demoStaff.find((s) => s.role === 'agent' && s.language === 'en');
    if (!agent) throw new Error('no English-speaking demo agent');
    await signIn(page, agent.email, DEMO_PASSWORD);
    // Staff who work cases land in the inbox.
    await page.waitForURL('**/agent/cases');
    await page.getByTestId('nav-customers').click();
    await page.waitForURL('**/agent/customers');
    await expect(page.getByTestId('nav-customers').textContent()).resolves.toMatch(/Customers/);

    await page.getByTestId('lang-switch').getByText('Deutsch').click();
    await expect.poll(() => page.getByTestId('nav-customers').textContent()).toMatch(/Kunden/);
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('de');
    // What the server named in English (market names) is fetched again in German.
    await page.getByTestId('customer-market-filter').click();
    await page
      .getByRole('option', { name: /Schweden|Niederlande|Vereinigtes Königreich|Deutschland/ })
      .first()
      .waitFor();
    await page.keyboard.press('Escape');

    const rows = page.getByTestId('customer-row');
    await rows.first().waitFor();
    const firstName = ((await rows.first().textContent()) ?? '').trim().split(/\s+/)[0] ?? '';
    await page.getByTestId('customer-search').fill(firstName.slice(0, 4));
    await rows.first().waitFor();
    await rows.first().click();
    await page.getByTestId('customer-360').waitFor();
    await expect(page.getByTestId('customer-name').textContent()).resolves.toBeTruthy();
    await page.getByTestId('vehicle-row').first().waitFor();
    expect(await page.getByTestId('vehicle-row').first().textContent()).toMatch(/[A-HJ-NPR-Z0-9]{17}/);
    await expect(page.getByText('Fahrzeuge').first().isVisible()).resolves.toBe(true);

    // The choice is remembered: a reload keeps German.
    await page.reload();
    await page.getByTestId('customer-360').waitFor();
    await expect.poll(() => page.getByTestId('nav-customers').textContent()).toMatch(/Kunden/);
    await page.context().close();
  });

  it('an agent opens a phone case from the customer 360, logs the call and lands on the case', async () => {
    const page = await newPage(browser, baseUrl, 'en-GB');
    const agent = demoStaff.find((s) => s.role === 'agent' && s.language === 'en');
    if (!agent) throw new Error('no English-speaking demo agent');
    await signIn(page, agent.email, DEMO_PASSWORD);
    await page.waitForURL('**/agent/cases');
    await page.getByTestId('nav-customers').click();
    await page.getByTestId('customer-row').first().click();
    await page.getByTestId('customer-cases').waitFor();

    await page.getByTestId('new-case').click();
    await page.getByTestId('new-case-subject').fill('Wallbox trips the breaker');
    await page.getByTestId('new-case-body').fill('Caller says the wallbox trips the breaker at 11 kW.');
    // Phone is the default channel (the first test left this agent's profile in German).
    await expect(page.getByTestId('new-case-channel').inputValue()).resolves.toMatch(/^(Phone|Telefon)$/);
    await page.getByTestId('new-case-submit').click();

    await page.waitForURL(/\/agent\/cases\/PW-\d{4}-\d{6}$/);
    await page.getByText('Caller says the wallbox trips the breaker at 11 kW.').waitFor();
    await page.getByTestId('call-details').waitFor();
    await page.goBack();
    await page.getByTestId('customer-cases').getByText('Wallbox trips the breaker').waitFor();
    await page.context().close();
  });

  it('an admin reaches macros, SLA policies and teams; an unknown placeholder is explained', async () => {
    const page = await newPage(browser, baseUrl, 'en-GB');
    await signIn(page, loginFor('admin').email, DEMO_PASSWORD);
    await page.waitForURL('**/agent/cases');
    await page.getByTestId('nav-sla').click();
    await page.getByTestId('sla-row').first().waitFor();
    await page.getByTestId('nav-teams').click();
    await page.getByTestId('team-row').first().waitFor();

    await page.getByTestId('nav-macros').click();
    await page.getByTestId('macro-row').first().waitFor();
    await page.getByTestId('macro-create').click();
    await page.getByTestId('macro-title').fill('Greeting');
    await page.getByTestId('macro-body-de').fill('Hallo {{customer.nickname}}, ');
    await page.getByTestId('macro-placeholder').first().click();
    await expect(page.getByTestId('macro-body-de').inputValue()).resolves.toBe(
      'Hallo {{customer.nickname}}, {{customer.firstName}}',
    );
    await page.getByTestId('macro-body-en').fill('Hello!');
    await page.getByTestId('macro-save').click();
    await expect.poll(() => page.getByTestId('macro-error').textContent()).toContain('{{customer.nickname}}');
    await page.context().close();
  });

  it('a wrong password shows a readable error and stays on the login page', async () => {
    const page = await newPage(browser, baseUrl);
    await signIn(page, loginFor('agent').email, 'definitely-wrong');
    await expect
      .poll(() => page.getByText('The email address or password is wrong.').count())
      .toBeGreaterThan(0);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.context().close();
  });
});

describe('owner portal', () => {
  it('an owner signs in to the portal and sees their profile and vehicles, not the agent workspace', async () => {
    const page = await newPage(browser, baseUrl, 'de-DE');
    const owner = demoLogins.find((l) => l.role.startsWith('owner'));
    if (!owner) throw new Error('no owner demo login');
    await signIn(page, owner.email, owner.password);
    await page.waitForURL('**/portal**');
    await page.getByTestId('portal-home').waitFor();
    await page.getByTestId('vehicle-row').first().waitFor();
    const response = await page.request.get('/api/customers');
    expect(response.status()).toBe(403);
    await page.goto('/agent/customers');
    await expect.poll(() => page.getByTestId('customer-row').count()).toBe(0);
    await page.context().close();
  });
});
