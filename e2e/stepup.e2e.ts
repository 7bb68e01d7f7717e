// A user enrols an authenticator app (TOTP) and then passes a step-up with it.
import * as OTPAuth from 'otpauth';
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

function codeFor(secret: string, offsetSteps = 0): string {
  const totp = new OTPAuth.TOTP({
    secret: OTPAuth.Secret.fromBase32(secret),
    digits: 6,
    period: 30,
    algorithm: 'SHA1',
  });
  return totp.generate({ timestamp: Date.now() + offsetSteps * 30_000 });
}

describe('step-up with an authenticator app', () => {
  it('enrols TOTP, shows recovery codes, and a later step-up with a fresh code elevates the session', async () => {
    const page = await newPage(browser, baseUrl);
    const user = demoLogins.find((l) => l.role === 'quality');
    if (!user) throw new Error('no quality demo login');
    await signIn(page, user.email, user.password);
    await page.waitForURL('**/agent/**');
    await page.goto('/agent/account');
    await page.getByTestId('totp-enrol').click();
    const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s+/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await page.getByTestId('totp-code').fill(codeFor(secret));
    await page.getByTestId('totp-confirm').click();
    await page.getByTestId('recovery-codes').waitFor();
    expect(((await page.getByTestId('recovery-codes').textContent()) ?? '').length).toBeGreaterThan(50);

    // A TOTP code cannot be used twice; the next time step is a fresh code.
    await page.reload();
    await page.getByTestId('stepup-test').click();
    await page.getByTestId('stepup-code').fill(codeFor(secret, 1));
    await page.getByTestId('stepup-submit').click();
    await page.getByTestId('elevated-until').waitFor();
    const me = await page.request.get('/api/me');
    const elevatedUntil = (await me.json()).stepUp.elevatedUntil;
    expect(new Date(elevatedUntil).getTime()).toBeGreaterThan(Date.now());
    await page.context().close();
  });
});
