// IMAP polling against a real Dovecot: each mail stored once across poller restarts, new
// mail noticed through IDLE, \Seen set after the commit, and a UIDVALIDITY change refetched
// without storing anything twice.
import type { ImapFlow } from 'imapflow';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SECRET_KEY } from '../../../test/app.js';
import { type ImapPollers, startImapPollers } from './email-in.imap.js';
import { addImapMailbox } from './email-in.mailboxes.js';
import { type Dovecot, startDovecot } from './testing/dovecot.js';
import { type MailHarness, mail, startMailHarness } from './testing/harness.js';

let h: MailHarness;
let dovecot: Dovecot;
let client: ImapFlow;
let pollers: ImapPollers | null = null;
const FOLDER = 'Support';

beforeAll(async () => {
  [h, dovecot] = await Promise.all([startMailHarness(), startDovecot()]);
  client = await dovecot.connect();
  await client.mailboxCreate(FOLDER);
  await addImapMailbox(h.db, TEST_SECRET_KEY, {
    address: 'service-imap@pitwall.test',
    market: 'SE',
    language: 'en',
    host: dovecot.host,
    port: dovecot.port,
    secure: false,
    user: dovecot.user,
    password: dovecot.password,
    folder: FOLDER,
  });
});
afterAll(async () => {
  await pollers?.stop();
  await client?.logout().catch(() => {});
  await dovecot?.stop();
  await h?.stop();
});

const start = async () => {
  pollers = await startImapPollers({ db: h.db, log: pino({ level: 'silent' }), secretKey: TEST_SECRET_KEY });
};
const letter = (n: number) =>
  mail(
    { From: `imap-${n}@customer.test`, Subject: `IMAP ${n}`, 'Message-ID': `<imap-${n}@customer.test>` },
    `Mail number ${n}`,
  );
const append = async (...numbers: number[]) => {
  for (const n of numbers) await client.append(FOLDER, letter(n));
};
async function storedCount(expected: number): Promise<number> {
  const deadline = Date.now() + 15_000;
  let count = 0;
  while (Date.now() < deadline) {
    const row = await h.db
      .selectFrom('inbound_emails')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('source', '=', 'imap')
      .executeTakeFirstOrThrow();
    count = Number(row.n);
    if (count >= expected) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await new Promise((resolve) => setTimeout(resolve, 300)); // anything extra would show up now
  const row = await h.db
    .selectFrom('inbound_emails')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('source', '=', 'imap')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
const messages = async () =>
  (
    await h.db
      .selectFrom('case_messages')
      .select('external_id')
      .where('external_id', 'like', '<imap-%')
      .execute()
  )
    .map((r) => r.external_id)
    .sort();

describe('IMAP polling', () => {
  it('stores each mail once across a restart of the poller and flags it \\Seen after the commit', async () => {
    await append(1, 2);
    await start();
    expect(await storedCount(2)).toBe(2);
    await pollers?.stop();
    pollers = null;
    await append(3, 4);
    await start();
    expect(await storedCount(4)).toBe(4);
    await h.settled();
    expect(await messages()).toEqual([1, 2, 3, 4].map((n) => `<imap-${n}@customer.test>`));
    const lock = await client.getMailboxLock(FOLDER);
    try {
      const flags = await client.fetchAll('1:*', { uid: true, flags: true });
      expect(flags.map((m) => m.flags?.has('\\Seen'))).toEqual([true, true, true, true]);
    } finally {
      lock.release();
    }
    const customer = await h.db
      .selectFrom('customer_emails')
      .innerJoin('customers', 'customers.id', 'customer_id')
      .select('market')
      .where('address', '=', 'imap-1@customer.test')
      .executeTakeFirstOrThrow();
    expect(customer.market).toBe('SE');
  });

  it('notices new mail through IDLE without waiting for the next poll', async () => {
    const began = Date.now();
    await append(5);
    expect(await storedCount(5)).toBe(5);
    // The periodic poll is every 60 s: only IDLE brings it this fast.
    expect(Date.now() - began).toBeLessThan(6_000);
  });

  it('refetches safely when UIDVALIDITY changes: nothing is stored twice, new mail is stored', async () => {
    const before = await h.db
      .selectFrom('email_mailboxes')
      .select(['uidvalidity', 'last_uid'])
      .where('address', '=', 'service-imap@pitwall.test')
      .executeTakeFirstOrThrow();
    expect(Number(before.last_uid)).toBe(5);
    await pollers?.stop();
    pollers = null;
    await client.mailboxDelete(FOLDER);
    await client.mailboxCreate(FOLDER);
    await append(1, 2, 3, 4, 5, 6);
    await start();
    expect(await storedCount(6)).toBe(6);
    await h.settled();
    const after = await h.db
      .selectFrom('email_mailboxes')
      .select(['uidvalidity', 'last_uid'])
      .where('address', '=', 'service-imap@pitwall.test')
      .executeTakeFirstOrThrow();
    expect(after.uidvalidity).not.toBe(before.uidvalidity);
    expect(Number(after.last_uid)).toBe(6);
    expect(await messages()).toEqual([1, 2, 3, 4, 5, 6].map((n) => `<imap-${n}@customer.test>`));
  });
});
