// A view with more than 1,000 cases: the inbox says "1,000+" (and "1.000+" in German) instead
// of counting them all, and counts further as the agent pages on.
import { sql } from 'kysely';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_PASSWORD, demoStaff } from '../server/src/demo/index.js';
import { createDb, type Db } from '../server/src/platform/database.js';
import { launchBrowser, newPage, signIn } from './browser.js';

const baseUrl = inject('baseUrl');
// An English-speaking admin and a German-speaking agent, both of whom see Austria.
const admin = demoStaff.find((member) => member.role === 'admin' && member.language === 'en');
const agent = demoStaff.find((member) => member.role === 'agent' && member.language === 'de');
const NUMBER_PREFIX = 'PW-2098-';
let browser: Browser;
let db: Db;

beforeAll(async () => {
  db = createDb(inject('databaseUrl'), { max: 2 });
  const owner = await db
    .selectFrom('customers')
    .select('id')
    .where('market', '=', 'AT')
    .orderBy('id')
    .executeTakeFirstOrThrow();
  // Long untouched, so they sort after every case the other browser tests work on.
  await sql`
    INSERT INTO cases (number, subject, status, priority, channel, customer_id, market, language, updated_at)
    SELECT ${NUMBER_PREFIX}::text || lpad(i::text, 6, '0'), 'Ladekabel', 'open', 'normal', 'email',
           ${owner.id}::uuid, 'AT', 'de', timestamptz '2020-01-01T00:00:00Z'
    FROM generate_series(1, 2100) AS i`.execute(db);
  browser = await launchBrowser();
});
afterAll(async () => {
  await db?.deleteFrom('cases').where('number', 'like', `${NUMBER_PREFIX}%`).execute();
  await db?.destroy();
  await browser?.close();
});

describe('a big inbox view', () => {
  it('shows "1,000+" cases, counts further on later pages, and "1.000+" in German', async () => {
    if (!admin || !agent)
      throw new Error('no English-speaking admin or German-speaking agent in the demo data');
    const page = await newPage(browser, baseUrl, 'en-GB');
    await signIn(page, admin.email, DEMO_PASSWORD);
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await page.goto('/agent/cases?market=AT');
    await expect.poll(() => page.getByTestId('case-total').textContent()).toBe('1,000+ cases');
    await page.goto('/agent/cases?market=AT&page=40');
    await expect.poll(() => page.getByTestId('case-total').textContent()).toBe('1,975+ cases');

    const german = await newPage(browser, baseUrl, 'de-DE');
    await signIn(german, agent.email, DEMO_PASSWORD);
    await german.waitForURL('**/agent/cases');
    await german.goto('/agent/cases?market=AT');
    await expect.poll(() => german.getByTestId('case-total').textContent()).toBe('1.000+ Fälle');
  });
});
