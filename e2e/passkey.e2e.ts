// A user registers a passkey in the real browser (Chromium's virtual authenticator via
// the DevTools protocol) and then passes a step-up with it.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoLogins } from '../server/src/demo/index.js';
import { launchBrowser, newPage, signIn } from './browser.js';

let browser: Browser;
const baseUrl = inject('baseUrl');

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('step-up with a passkey', () => {
  it('registers a passkey and uses it to confirm a sensitive action', async () => {
    const page = await newPage(browser, baseUrl);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
      },
    });
    const user = demoLogins.find((l) => l.role === 'service_advisor');
    if (!user) throw new Error('no service advisor demo login');
    await signIn(page, user.email, user.password);
    await page.waitForURL('**/agent/**');
    await page.goto('/agent/account');
    await page.getByTestId('passkey-name').fill('Laptop');
    await page.getByTestId('passkey-add').click();
    await page.getByTestId('passkey-row').first().waitFor();
    expect(await page.getByTestId('passkey-row').first().textContent()).toContain('Laptop');

    await page.reload();
    await page.getByTestId('stepup-test').click();
    await page.getByTestId('stepup-method').getByText('Passkey').click();
    await page.getByTestId('stepup-passkey').click();
    await page.getByTestId('elevated-until').waitFor();
    const me = await (await page.request.get('/api/me')).json();
    expect(me.stepUp.passkeyCount).toBe(1);
    expect(new Date(me.stepUp.elevatedUntil).getTime()).toBeGreaterThan(Date.now());
    await page.context().close();
  });
});
