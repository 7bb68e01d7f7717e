// Hostile HTML mail in the agent's timeline: nothing in it runs, navigates or fetches from
// elsewhere, neither after the receiving side's sanitiser nor if the sanitiser were bypassed
// (raw HTML straight into the database); remote images load only when the agent asks.
import type { Browser, Frame, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_PASSWORD, demoStaff } from '../server/src/demo/index.js';
import { storeAttachment } from '../server/src/modules/cases/attachments/index.js';
import { receiveInboundMessage } from '../server/src/modules/cases/index.js';
import { sanitiseEmailHtml } from '../server/src/modules/channels/email-in/index.js';
import { createDb, type Db } from '../server/src/platform/database.js';
import { launchBrowser, newPage, signIn } from './browser.js';
import { EVIL_HOST, vectorsHtml, xssVectors } from './xss-vectors.js';

declare global {
  interface Window {
    __pwned?: number;
  }
}

const baseUrl = inject('baseUrl');
const appHost = new URL(baseUrl).host;
const REMOTE_IMAGE = 'https://images.example.test/pixel.png';
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const agent = demoStaff.find((member) => member.role === 'agent' && member.language === 'en');
let browser: Browser;
let db: Db;
let caseNumber: string;

beforeAll(async () => {
  if (!agent) throw new Error('no English-speaking demo agent');
  db = createDb(inject('databaseUrl'), { max: 2 });
  const customer = await db
    .selectFrom('customers')
    .select('id')
    .where('market', 'in', [...agent.markets])
    .orderBy('id')
    .executeTakeFirstOrThrow();
  const logo = await storeAttachment(db, { filename: 'logo.png', content: PNG, uploadedBy: null });
  const hostile =
    `<p>Hello, my car will not charge.</p><p><img src="cid:logo@mail" alt="inline logo"></p>` +
    `<p><img src="${REMOTE_IMAGE}" alt="remote picture"></p>${vectorsHtml()}` +
    '<blockquote class="gmail_quote">On Monday the workshop wrote: QUOTED-HISTORY</blockquote>';
  const sanitised = sanitiseEmailHtml(hostile, {
    inlineImages: new Map([['logo@mail', logo.previewUrl ?? '']]),
  });
  const first = await receiveInboundMessage(db, {
    channel: 'email',
    externalId: `<xss-sanitised-${Date.now()}@customer.test>`,
    customerId: customer.id,
    subject: 'Charging <script>alert(1)</script>',
    bodyText: 'Hello, my car will not charge.',
    bodyHtml: sanitised,
    quotedText: 'On Monday the workshop wrote:\n> QUOTED-HISTORY',
    attachmentIds: [logo.id],
  });
  caseNumber = first.caseNumber;
  // The second wall on its own: the same mail as if the sanitiser had let all of it through.
  await receiveInboundMessage(db, {
    channel: 'email',
    externalId: `<xss-raw-${Date.now()}@customer.test>`,
    customerId: customer.id,
    subject: 'Charging',
    bodyText: 'Raw HTML, not sanitised.',
    bodyHtml: hostile,
    caseRef: caseNumber,
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await db?.destroy();
});

interface Watch {
  dialogs: string[];
  remote: Request[];
  popups: string[];
  navigations: string[];
  /** A message frame leaving its own document (meta refresh, a link in the frame itself). */
  frameNavigations: string[];
}

/** Remote requests that left the browser. Chrome reports a fetch the frame's Content Security
 * Policy refused as a request too, failed with `csp`: it never went out. */
const sentRemote = (seen: Watch) =>
  seen.remote.filter((request) => request.failure()?.errorText !== 'csp').map((request) => request.url());
const blockedRemote = (seen: Watch) =>
  seen.remote.filter((request) => request.failure()?.errorText === 'csp').map((request) => request.url());

function watch(page: Page): Watch {
  const seen: Watch = { dialogs: [], remote: [], popups: [], navigations: [], frameNavigations: [] };
  page.on('dialog', (dialog) => {
    seen.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.context().on('request', (request: Request) => {
    const url = request.url();
    if (/^https?:/.test(url) && new URL(url).host !== appHost) seen.remote.push(request);
  });
  page.context().on('page', (popup) => seen.popups.push(popup.url()));
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) seen.navigations.push(frame.url());
    else if (frame.url() !== 'about:srcdoc') seen.frameNavigations.push(frame.url());
  });
  return seen;
}

/** `__pwned` of a frame; a frame whose scripts are disabled answers undefined too. */
async function pwnedIn(frame: Frame): Promise<number | undefined> {
  try {
    return await frame.evaluate(() => window.__pwned);
  } catch {
    return undefined;
  }
}

async function messageFrames(page: Page): Promise<Frame[]> {
  const handles = await page.getByTestId('message-html').elementHandles();
  const frames = await Promise.all(handles.map((handle) => handle.contentFrame()));
  return frames.filter((frame): frame is Frame => frame !== null);
}

describe('hostile mail in the timeline', () => {
  it(`runs none of ${xssVectors.length} XSS vectors, navigates nowhere and fetches nothing remote`, async () => {
    expect(xssVectors.length).toBeGreaterThanOrEqual(30);
    const page = await newPage(browser, baseUrl);
    const seen = watch(page);
    await signIn(page, agent?.email ?? '', DEMO_PASSWORD);
    await page.waitForURL('**/agent/**');
    await page.goto(`/agent/cases/${caseNumber}`);
    await expect.poll(() => page.getByTestId('message-html').count()).toBe(2);
    const caseUrl = page.url();
    const navigationsBefore = seen.navigations.length;

    const frames = await messageFrames(page);
    expect(frames).toHaveLength(2);
    for (const frame of frames) await frame.waitForLoadState('load');
    await expect.poll(() => frames[0]?.getByText('Hello, my car will not charge.').count()).toBe(1);
    let clicked = 0;
    for (const frame of frames) {
      for (const vector of xssVectors.filter((v) => v.click)) {
        const target = frame.getByText(vector.click ?? '', { exact: true });
        if ((await target.count()) === 0) continue; // removed by a sanitiser
        // A click that cannot finish (a dialog open, the frame gone) is judged by the checks below.
        await target
          .first()
          .click({ timeout: 2000, force: true })
          .then(() => clicked++)
          .catch(() => {});
      }
    }
    expect(clicked).toBeGreaterThanOrEqual(10);
    for (const element of await page.getByTestId('message-html').all()) await element.hover();
    await page.waitForTimeout(1500);

    expect(seen.dialogs).toEqual([]);
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
    for (const frame of page.frames()) expect(await pwnedIn(frame)).toBeUndefined();
    expect(page.url()).toBe(caseUrl);
    expect(seen.navigations.slice(navigationsBefore)).toEqual([]);
    expect(seen.popups).toEqual([]);
    expect(seen.frameNavigations).toEqual([]);
    expect(sentRemote(seen)).toEqual([]);
    // Whatever remote fetch a frame tried was refused by its own policy.
    expect(blockedRemote(seen).every((url) => new URL(url).host === EVIL_HOST)).toBe(true);
    // The frames are sandboxed without scripts or same-origin access, under a strict policy.
    for (const handle of await page.getByTestId('message-html').elementHandles()) {
      expect(await handle.getAttribute('sandbox')).toBe('allow-popups allow-popups-to-escape-sandbox');
      expect(await handle.getAttribute('srcdoc')).toContain(
        `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data: ${baseUrl}/api/cases/attachments/; style-src 'unsafe-inline';`,
      );
    }

    // Quoted history starts folded.
    const sanitisedFrame = frames[0] as Frame;
    await expect.poll(() => sanitisedFrame.getByText(/QUOTED-HISTORY/).isVisible()).toBe(false);
    await page.getByTestId('toggle-quoted').first().click();
    const unfolded = (await messageFrames(page))[0] as Frame;
    await expect.poll(() => unfolded.getByText(/QUOTED-HISTORY/).isVisible()).toBe(true);

    // Remote images: only for this message, only after the click, and only the parked images.
    await page.getByTestId('load-remote-images').first().click();
    await expect.poll(() => seen.remote.map((request) => request.url())).toContain(REMOTE_IMAGE);
    await page.waitForTimeout(1000);
    const allowed = new Set([REMOTE_IMAGE, `https://${EVIL_HOST}/track.gif`]);
    expect(sentRemote(seen).filter((url) => !allowed.has(url))).toEqual([]);
    expect(await page.getByTestId('message-html').nth(1).getAttribute('data-remote-images')).toBe('false');
    expect(seen.dialogs).toEqual([]);
    expect(seen.frameNavigations).toEqual([]);
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
    expect(page.url()).toBe(caseUrl);
    await page.context().close();
  });
});
