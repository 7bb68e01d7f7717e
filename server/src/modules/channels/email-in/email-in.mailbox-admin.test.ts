// Managing mailboxes in the app, against the real PostgreSQL, the real SMTP receiver and a
// real Dovecot: an IMAP mailbox added through the API is polled by an already running
// process without a restart (it hears the change over NOTIFY), disabling stops it, the SMTP
// receiver refuses a disabled address and takes a new one at once, and no answer or audit
// entry ever carries the password.
import type { ImapFlow } from 'imapflow';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveHub } from '../../../platform/live.js';
import { login, type Session, TEST_SECRET_KEY } from '../../../test/app.js';
import { createStaff, TEST_PASSWORD } from '../../../test/factories.js';
import { until } from '../../../test/until.js';
import { type ImapPollers, startImapPollers } from './email-in.imap.js';
import { type Dovecot, startDovecot } from './testing/dovecot.js';
import { type MailHarness, mail, startMailHarness, TEST_DOMAIN } from './testing/harness.js';

const FOLDER = 'Werkstatt';
const IMAP_ADDRESS = `werkstatt-imap@${TEST_DOMAIN}`;
const WRONG_PASSWORD = 'definitely-not-the-password-9f2c';

let h: MailHarness;
let dovecot: Dovecot;
let imap: ImapFlow;
/** A second server process: its own LiveHub (own LISTEN connection) and its own pollers. */
let otherLive: LiveHub;
let otherPollers: ImapPollers;
let admin: Session;
/** Messages follow the signed-in user's language. */
let adminDe: Session;
const bodies: string[] = [];

async function call(session: Session, method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown) {
  const response = await session.request(method, url, body);
  bodies.push(response.body);
  return response;
}

async function elevate(session: Session) {
  await sql`UPDATE sessions SET elevated_until = now() + interval '5 minutes' WHERE user_id = ${session.userId}`.execute(
    h.db,
  );
}

const storedFor = async (address: string) => {
  const row = await h.db
    .selectFrom('inbound_emails')
    .innerJoin('email_mailboxes', 'email_mailboxes.id', 'inbound_emails.mailbox_id')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('email_mailboxes.address', '=', address)
    .executeTakeFirstOrThrow();
  return Number(row.n);
};
const letter = (n: number) =>
  mail(
    {
      From: `werkstatt-${n}@customer.test`,
      Subject: `Admin IMAP ${n}`,
      'Message-ID': `<adm-${n}@customer.test>`,
    },
    `Mail ${n}`,
  );

beforeAll(async () => {
  [h, dovecot] = await Promise.all([startMailHarness(), startDovecot()]);
  imap = await dovecot.connect();
  await imap.mailboxCreate(FOLDER);
  const log = pino({ level: 'silent' });
  otherLive = new LiveHub(h.database.url, log);
  await otherLive.start();
  // Started before the mailbox exists, with the periodic reconcile far away: only the
  // NOTIFY can make it poll within the test's time.
  otherPollers = await startImapPollers({
    db: h.db,
    log,
    secretKey: TEST_SECRET_KEY,
    live: otherLive,
    reconcileSeconds: 3600,
  });
  const user = await createStaff(h.db, { roles: ['admin'] });
  admin = await login(h.app, user.email, TEST_PASSWORD);
  const german = await createStaff(h.db, { roles: ['admin'], language: 'de' });
  adminDe = await login(h.app, german.email, TEST_PASSWORD);
}, 60_000);
afterAll(async () => {
  await otherPollers?.stop();
  await otherLive?.stop();
  await imap?.logout().catch(() => {});
  await dovecot?.stop();
  await h?.stop();
});

describe('who may manage mailboxes', () => {
  it('answers 403 to staff without email:manage and asks admins for a step-up before credentials', async () => {
    const agent = await createStaff(h.db, { roles: ['agent'], markets: ['DE'] });
    const agentSession = await login(h.app, agent.email, TEST_PASSWORD);
    expect((await call(agentSession, 'GET', '/api/channels/mailboxes')).statusCode).toBe(403);
    const refused = await call(agentSession, 'POST', '/api/channels/mailboxes/smtp', {
      address: `agent@${TEST_DOMAIN}`,
      market: 'DE',
      language: 'de',
    });
    expect(refused.statusCode).toBe(403);
    const noStepUp = await call(admin, 'POST', '/api/channels/mailboxes/imap', {
      address: `nostepup@${TEST_DOMAIN}`,
      market: 'DE',
      language: 'de',
      host: dovecot.host,
      port: dovecot.port,
      secure: false,
      user: dovecot.user,
      password: dovecot.password,
    });
    expect(noStepUp.statusCode).toBe(403);
    expect(noStepUp.json().error.code).toBe('step_up_required');
    expect(
      await h.db
        .selectFrom('email_mailboxes')
        .where('address', '=', `nostepup@${TEST_DOMAIN}`)
        .select('id')
        .executeTakeFirst(),
    ).toBeUndefined();
  });
});

describe('validation', () => {
  it('refuses bad addresses, unknown markets, duplicates and impossible changes with clear messages', async () => {
    const bad = await call(admin, 'POST', '/api/channels/mailboxes/smtp', {
      address: 'not an address',
      market: 'DE',
      language: 'de',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/address/);

    const market = await call(adminDe, 'POST', '/api/channels/mailboxes/smtp', {
      address: `xx@${TEST_DOMAIN}`,
      market: 'XX',
      language: 'en',
    });
    expect(market.statusCode).toBe(422);
    expect(market.json().error).toMatchObject({ code: 'market_unknown', message: 'Unbekannter Markt XX.' });

    const duplicate = await call(adminDe, 'POST', '/api/channels/mailboxes/smtp', {
      address: `SERVICE-DE@${TEST_DOMAIN}`,
      market: 'DE',
      language: 'de',
    });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error.code).toBe('mailbox_address_taken');
    expect(duplicate.json().error.message).toContain(
      `Pitwall empfängt bereits E-Mails für service-de@${TEST_DOMAIN}`,
    );

    const list = (await call(admin, 'GET', '/api/channels/mailboxes')).json().items as Array<{
      id: string;
      address: string;
    }>;
    const smtpDe = list.find((m) => m.address === `service-de@${TEST_DOMAIN}`);
    const folderOnSmtp = await call(admin, 'PATCH', `/api/channels/mailboxes/${smtpDe?.id}`, { folder: 'X' });
    expect(folderOnSmtp.statusCode).toBe(409);
    expect(folderOnSmtp.json().error.code).toBe('mailbox_not_imap');
    expect((await call(admin, 'PATCH', `/api/channels/mailboxes/${smtpDe?.id}`, {})).statusCode).toBe(400);
    expect(
      (await call(admin, 'PATCH', `/api/channels/mailboxes/${smtpDe?.id}`, { enabled: true, password: 'x' }))
        .statusCode,
    ).toBe(400);
    const unknown = await call(
      admin,
      'PATCH',
      '/api/channels/mailboxes/00000000-0000-4000-8000-000000000000',
      {
        enabled: false,
      },
    );
    expect(unknown.statusCode).toBe(404);
    const port = await call(admin, 'POST', '/api/channels/mailboxes/test', {
      host: 'imap.example.test',
      port: 70000,
      secure: true,
      user: 'u',
      password: 'p',
    });
    expect(port.statusCode).toBe(400);
  });
});

describe('SMTP addresses', () => {
  it('accepts mail for a newly added address at once and refuses it with 5.2.1 once disabled', async () => {
    const address = `werkstatt@${TEST_DOMAIN}`;
    const raw = mail({ From: 'kunde@customer.test', To: address, Subject: 'Hallo' }, 'Text');
    await expect(h.sendRaw(raw, { to: [address] })).rejects.toThrow(/5\.1\.1/);

    const created = await call(admin, 'POST', '/api/channels/mailboxes/smtp', {
      address: 'Werkstatt@pitwall.test',
      market: 'AT',
      language: 'de',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ address, market: 'AT', kind: 'smtp', enabled: true, imap: null });
    expect(await h.sendRaw(raw, { to: [address] })).toMatch(/^250/);
    expect(await storedFor(address)).toBe(1);

    const disabled = await call(admin, 'PATCH', `/api/channels/mailboxes/${created.json().id}`, {
      enabled: false,
    });
    expect(disabled.json().enabled).toBe(false);
    await expect(
      h.sendRaw(mail({ From: 'kunde@customer.test', Subject: 'Noch da?' }, 'x'), { to: [address] }),
    ).rejects.toThrow(/5\.2\.1 .*mailbox disabled/);
    expect(await storedFor(address)).toBe(1);

    const audit = await h.db
      .selectFrom('audit_log')
      .select(['action', 'before', 'after'])
      .where('entity_id', '=', created.json().id)
      .orderBy('id')
      .execute();
    expect(audit.map((entry) => entry.action)).toEqual(['email_mailbox.created', 'email_mailbox.disabled']);
  });
});

describe('IMAP mailboxes', () => {
  let mailboxId: string;

  it('tests a connection before saving: signed in, wrong password, nothing listening, no such folder', async () => {
    const settings = {
      host: dovecot.host,
      port: dovecot.port,
      secure: false,
      user: dovecot.user,
      password: dovecot.password,
      folder: FOLDER,
    };
    const ok = await call(admin, 'POST', '/api/channels/mailboxes/test', settings);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ ok: true, code: 'ok', messages: 0 });
    const wrong = await call(adminDe, 'POST', '/api/channels/mailboxes/test', {
      ...settings,
      password: WRONG_PASSWORD,
    });
    expect(wrong.json()).toMatchObject({ ok: false, code: 'auth_failed' });
    expect(wrong.json().message).toContain('hat Benutzername oder Passwort abgelehnt');
    const closed = await call(admin, 'POST', '/api/channels/mailboxes/test', { ...settings, port: 1 });
    expect(closed.json()).toMatchObject({ ok: false, code: 'connection_refused' });
    const folder = await call(admin, 'POST', '/api/channels/mailboxes/test', { ...settings, folder: 'Nope' });
    expect(folder.json()).toMatchObject({ ok: false, code: 'folder_not_found' });
  });

  it('is polled by a running process as soon as it is added, without a restart', async () => {
    expect(otherPollers.count).toBe(0);
    await imap.append(FOLDER, letter(1));
    await elevate(admin);
    const created = await call(admin, 'POST', '/api/channels/mailboxes/imap', {
      address: IMAP_ADDRESS,
      market: 'SE',
      language: 'en',
      host: dovecot.host,
      port: dovecot.port,
      secure: false,
      user: dovecot.user,
      password: dovecot.password,
      folder: FOLDER,
    });
    expect(created.statusCode).toBe(201);
    mailboxId = created.json().id;
    expect(created.json()).toMatchObject({
      kind: 'imap',
      enabled: true,
      imap: { host: dovecot.host, port: dovecot.port, secure: false, user: dovecot.user, folder: FOLDER },
    });
    await until(async () => (await storedFor(IMAP_ADDRESS)) === 1);
    expect(otherPollers.count).toBe(1);
    await imap.append(FOLDER, letter(2));
    await until(async () => (await storedFor(IMAP_ADDRESS)) === 2);
    const listed = await until(async () => {
      const items = (await call(admin, 'GET', '/api/channels/mailboxes')).json().items as Array<{
        id: string;
        lastPolledAt: string | null;
        lastUid: number;
      }>;
      const item = items.find((m) => m.id === mailboxId);
      return item?.lastPolledAt && item.lastUid === 2 ? item : null;
    });
    expect(listed).toMatchObject({ lastPollError: null, uidValidity: expect.any(Number) });
  });

  it('stops polling when disabled and resumes when enabled again', async () => {
    const disabled = await call(admin, 'PATCH', `/api/channels/mailboxes/${mailboxId}`, { enabled: false });
    expect(disabled.statusCode).toBe(200);
    await until(async () => otherPollers.count === 0);
    await imap.append(FOLDER, letter(3));
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(await storedFor(IMAP_ADDRESS)).toBe(2);
    await call(admin, 'PATCH', `/api/channels/mailboxes/${mailboxId}`, { enabled: true });
    await until(async () => (await storedFor(IMAP_ADDRESS)) === 3);
  });

  it('reconnects with a changed password (step-up) and shows the failure on the list', async () => {
    await elevate(admin);
    const changed = await call(admin, 'PATCH', `/api/channels/mailboxes/${mailboxId}/connection`, {
      password: WRONG_PASSWORD,
    });
    expect(changed.statusCode).toBe(200);
    const failing = await until(async () => {
      const items = (await call(admin, 'GET', '/api/channels/mailboxes')).json().items as Array<{
        id: string;
        lastPollError: string | null;
      }>;
      return items.find((m) => m.id === mailboxId && m.lastPollError);
    });
    expect(failing?.lastPollError).toBeTruthy();
    const stored = await call(admin, 'POST', `/api/channels/mailboxes/${mailboxId}/test`);
    expect(stored.json()).toMatchObject({ ok: false, code: 'auth_failed' });

    await call(admin, 'PATCH', `/api/channels/mailboxes/${mailboxId}/connection`, {
      password: dovecot.password,
    });
    await imap.append(FOLDER, letter(4));
    await until(async () => (await storedFor(IMAP_ADDRESS)) === 4, 20_000);
    expect((await call(admin, 'POST', `/api/channels/mailboxes/${mailboxId}/test`)).json()).toMatchObject({
      ok: true,
    });
  });

  it('moved to another folder, reads it from the start even if its UIDVALIDITY matches the old one', async () => {
    const other = 'Werkstatt-Archiv';
    await imap.mailboxCreate(other);
    await imap.append(other, letter(5));
    const status = await imap.status(other, { uidValidity: true });
    if (!status) throw new Error(`no status for ${other}`);
    await call(admin, 'PATCH', `/api/channels/mailboxes/${mailboxId}`, { enabled: false });
    await until(async () => otherPollers.count === 0);
    // Folders are numbered separately: the new one may well carry the old one's UIDVALIDITY.
    await sql`UPDATE email_mailboxes SET uidvalidity = ${String(status.uidValidity)}, last_uid = 4
               WHERE id = ${mailboxId}`.execute(h.db);
    const moved = await call(admin, 'PATCH', `/api/channels/mailboxes/${mailboxId}`, {
      folder: other,
      enabled: true,
    });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ uidValidity: null, lastUid: 0, imap: { folder: other } });
    // UID 1 of the new folder is below the old folder's last UID; it is fetched all the same.
    await until(async () => (await storedFor(IMAP_ADDRESS)) === 5, 20_000);
  });

  it('never shows the password, sealed or plain, in any answer or audit entry', async () => {
    const row = await h.db
      .selectFrom('email_mailboxes')
      .select('imap')
      .where('id', '=', mailboxId)
      .executeTakeFirstOrThrow();
    const sealed = row.imap?.passwordSealed ?? '';
    expect(sealed.length).toBeGreaterThan(10);
    const audit = await h.db
      .selectFrom('audit_log')
      .select(['action', 'before', 'after'])
      .where('entity_type', '=', 'email_mailbox')
      .execute();
    expect(audit.map((entry) => entry.action)).toEqual(
      expect.arrayContaining(['email_mailbox.created', 'email_mailbox.connection_changed']),
    );
    const everything = [...bodies, ...audit.map((entry) => JSON.stringify(entry))].join('\n');
    for (const secret of [dovecot.password, WRONG_PASSWORD, sealed, 'passwordSealed'])
      expect(everything).not.toContain(secret);
  });
});
