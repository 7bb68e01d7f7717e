// The SMTP receiver's copy of the addresses it takes mail for, against the real PostgreSQL: a
// second receiver with a listening connection of its own stands for another server process, and
// its database handle records every statement. Changes are typed into the table (as at a psql
// prompt), so only their NOTIFY can reach that receiver's copy.
import { Kysely, PostgresDialect, sql } from 'kysely';
import nodemailer, { type Transporter } from 'nodemailer';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Db } from '../../../platform/database.js';
import { LiveHub } from '../../../platform/live.js';
import { until } from '../../../test/until.js';
import { addSmtpMailbox } from './email-in.mailboxes.js';
import { type SmtpReceiver, startSmtpReceiver } from './email-in.smtp.js';
import { type MailHarness, mail, startMailHarness, TEST_DOMAIN } from './testing/harness.js';

const log = pino({ level: 'silent' });
/** NOTIFY is delivered after the commit, asynchronously: a change counts within this. */
const NOTICE_MS = 2_000;

let h: MailHarness;
let recording: Db;
const statements: string[] = [];
/** The other process: its own LISTEN connection and its own SMTP receiver. */
let otherLive: LiveHub;
let other: SmtpReceiver;
let client: Transporter;
let sent = 0;

beforeAll(async () => {
  h = await startMailHarness();
  recording = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: h.database.url, max: 2 }) }),
    log: (event) => {
      if (event.level === 'query') statements.push(event.query.sql);
    },
  });
  otherLive = new LiveHub(h.database.url, log);
  await otherLive.start();
  other = await startSmtpReceiver({
    db: recording,
    log,
    host: '127.0.0.1',
    port: 0,
    maxBytes: 1024 * 1024,
    live: otherLive,
  });
  client = smtpClient(other.port);
});
afterAll(async () => {
  client?.close();
  await other?.stop();
  await otherLive?.stop();
  await recording?.destroy();
  await h?.stop();
});

function smtpClient(port: number): Transporter {
  return nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
}

async function send(to: string, via: Transporter = client): Promise<string> {
  const n = ++sent;
  const info = await via.sendMail({
    envelope: { from: 'kunde@customer.test', to: [to] },
    raw: mail(
      { From: 'kunde@customer.test', Subject: `Cache ${n}`, 'Message-ID': `<cache-${n}@customer.test>` },
      'x',
    ),
  });
  return String(info.response);
}

/** The SMTP error of a refused mail, or null when it was taken. */
const refusal = (to: string) =>
  send(to).then(
    () => null,
    (error: Error) => error,
  );

/** Statements the other receiver sent that read the mailbox table. */
const mailboxReads = () => statements.filter((text) => text.includes('"email_mailboxes"')).length;

/** Sends a mail and says how many mailbox reads it cost. */
async function readsFor(to: string, via?: Transporter): Promise<number> {
  const before = mailboxReads();
  expect(await send(to, via)).toMatch(/^250 /);
  return mailboxReads() - before;
}

describe('the SMTP receiver’s copy of its addresses', () => {
  it('is read once at the start, and a mail costs no mailbox statement after that', async () => {
    expect(mailboxReads()).toBe(1);
    let reads = 0;
    for (const market of ['de', 'at', 'nl', 'de', 'se'])
      reads += await readsFor(`service-${market}@${TEST_DOMAIN}`);
    expect(reads).toBe(0);
    expect(mailboxReads()).toBe(1);
  });

  it('takes mail for an address added in the table with the very next mail, and from the copy once the NOTIFY arrives', async () => {
    const address = `neu@${TEST_DOMAIN}`;
    expect((await refusal(address))?.message).toMatch(/5\.1\.1 .*unknown mailbox/);
    await addSmtpMailbox(h.db, { address, market: 'DE', language: 'de' });
    // Missing from a copy that has not heard of it yet, the address is looked up in the table.
    expect(await send(address)).toMatch(/^250 /);
    await until(async () => (await readsFor(address)) === 0, NOTICE_MS);
  });

  it('refuses an address disabled in the table with 5.2.1 as soon as the NOTIFY arrives, and takes it again once enabled', async () => {
    const address = `service-nl@${TEST_DOMAIN}`;
    expect(await readsFor(address)).toBe(0);
    await sql`UPDATE email_mailboxes SET enabled = false WHERE address = ${address}`.execute(h.db);
    const refused = await until(() => refusal(address), NOTICE_MS);
    expect(refused).toMatchObject({ responseCode: 550 });
    expect(refused.message).toMatch(/5\.2\.1 .*mailbox disabled/);
    await sql`UPDATE email_mailboxes SET enabled = true WHERE address = ${address}`.execute(h.db);
    await until(async () => (await refusal(address)) === null, NOTICE_MS);
    await until(async () => (await readsFor(address)) === 0, NOTICE_MS);
  });

  it('is not trusted while the listening connection is down or after it reconnects: a change made meanwhile counts', async () => {
    const address = `service-se@${TEST_DOMAIN}`;
    expect(await readsFor(address)).toBe(0);
    await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
               WHERE datname = current_database() AND application_name = 'pitwall-live'`.execute(h.db);
    await until(async () => !otherLive.isListening(), NOTICE_MS);
    // Nobody hears this notice: the copy still says "enabled".
    await sql`UPDATE email_mailboxes SET enabled = false WHERE address = ${address}`.execute(h.db);
    expect((await refusal(address))?.message).toMatch(/5\.2\.1 .*mailbox disabled/);
    expect(await readsFor(`service-de@${TEST_DOMAIN}`)).toBeGreaterThan(0);

    await until(async () => otherLive.isListening(), 10_000);
    // Listening again, on a new connection: what was read before it is not used.
    expect((await refusal(address))?.message).toMatch(/5\.2\.1 .*mailbox disabled/);
    // The mail that found the copy untrusted had it read again.
    await until(async () => (await readsFor(`service-de@${TEST_DOMAIN}`)) === 0, 5_000);
    expect((await refusal(address))?.message).toMatch(/5\.2\.1 .*mailbox disabled/);
  });

  it('without a listening connection reads the table for every mail', async () => {
    const unlistened = await startSmtpReceiver({
      db: recording,
      log,
      host: '127.0.0.1',
      port: 0,
      maxBytes: 1024 * 1024,
    });
    const via = smtpClient(unlistened.port);
    try {
      expect(await readsFor(`service-de@${TEST_DOMAIN}`, via)).toBe(1);
      expect(await readsFor(`service-at@${TEST_DOMAIN}`, via)).toBe(1);
    } finally {
      via.close();
      await unlistened.stop();
    }
  });
});
