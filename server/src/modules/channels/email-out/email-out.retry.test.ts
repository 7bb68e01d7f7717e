// A recipient's server that refuses the mail (550): the job retries with growing pauses,
// gives up after the last attempt, and the failure is visible to the admin in the outbox and
// to agents on the case. Without SMTP, mail stays in the outbox; notices share the layout.
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskList } from '../../../jobs.js';
import { type JobWorker, startJobWorker } from '../../../platform/jobs.js';
import { buildTestApp, login, type TestApp } from '../../../test/app.js';
import { insertCase } from '../../../test/cases-extensions.js';
import { createCustomer, createStaff, seedMarkets, TEST_PASSWORD } from '../../../test/factories.js';
import { type SmtpSink, startSmtpSink } from '../../../test/smtp.js';
import { until } from '../../../test/until.js';
import { markOutboxBounced, queueMail, SEND_ATTEMPTS } from '../index.js';

let t: TestApp;
let smtp: SmtpSink;
let worker: JobWorker;

beforeAll(async () => {
  t = await buildTestApp();
  await seedMarkets(t.db);
  smtp = await startSmtpSink();
  const log = pino({ level: 'silent' });
  worker = await startJobWorker({
    connectionString: t.database.url,
    concurrency: 2,
    log,
    tasks: taskList({
      db: t.db,
      log,
      mail: { from: 'Pitwall <no-reply@pitwall.test>', smtpUrl: smtp.url, domain: 'care.example.test' },
      publicUrl: 'https://care.example.test',
    }),
  });
});
afterAll(async () => {
  await worker?.stop();
  await smtp?.close();
  await t?.close();
});

interface SendJob {
  id: string;
  attempts: number;
  run_at: Date;
  last_error: string | null;
  locked_at: Date | null;
}

async function sendJobOf(outboxId: string): Promise<SendJob | undefined> {
  // The public `jobs` view has no payload (see platform/jobs.ts listJobs).
  const result = await sql<SendJob>`
    SELECT jobs.id, jobs.attempts, jobs.run_at, jobs.last_error, jobs.locked_at
    FROM graphile_worker._private_jobs jobs JOIN graphile_worker._private_tasks tasks ON tasks.id = jobs.task_id
    WHERE tasks.identifier = 'channels.send_mail' AND jobs.payload->>'outboxId' = ${outboxId}`.execute(t.db);
  return result.rows[0];
}

const outboxRow = (caseMessageId: string) =>
  t.db
    .selectFrom('outbox_messages')
    .selectAll()
    .where('case_message_id', '=', caseMessageId)
    .executeTakeFirst();

describe('a refused mail', () => {
  it('is retried with backoff, fails after the last attempt and shows in the outbox and on the case', async () => {
    const customer = await createCustomer(t.db);
    smtp.refused.add(customer.email);
    const kase = await insertCase(t.db, { customerId: customer.id });
    const agentUser = await createStaff(t.db, { roles: ['agent'] });
    const agent = await login(t.app, agentUser.email, TEST_PASSWORD);
    const posted = await agent.request('POST', `/api/cases/${kase.number}/messages`, {
      kind: 'reply',
      body: 'Your appointment is confirmed.',
    });
    expect(posted.statusCode).toBe(201);
    const caseMessageId = (posted.json() as { id: string }).id;

    const queued = await until(() => outboxRow(caseMessageId));
    let previousPause = 1000;
    for (let attempt = 1; attempt < SEND_ATTEMPTS; attempt++) {
      const job = await until(async () => {
        const current = await sendJobOf(queued.id);
        // Unlocked again: the attempt is over and its failure recorded.
        const settled = current && !current.locked_at && current.attempts === attempt;
        return settled && current.last_error ? current : undefined;
      });
      const row = await outboxRow(caseMessageId);
      expect(row).toMatchObject({ status: 'queued', attempts: attempt });
      expect(row?.last_error).toContain('550');
      // graphile-worker waits longer after every failure; the test does not wait it out.
      const pause = job.run_at.getTime() - Date.now();
      expect(pause).toBeGreaterThan(previousPause);
      previousPause = pause;
      await sql`SELECT graphile_worker.reschedule_jobs(ARRAY[${job.id}::bigint], run_at => now())`.execute(
        t.db,
      );
    }
    const failed = await until(async () => {
      const row = await outboxRow(caseMessageId);
      return row?.status === 'failed' ? row : undefined;
    });
    expect(failed.attempts).toBe(SEND_ATTEMPTS);
    expect(failed.failed_at).toBeInstanceOf(Date);
    expect(failed.last_error).toMatch(/550.*user unknown/);
    expect(smtp.mailsTo(customer.email)).toHaveLength(0);

    const adminUser = await createStaff(t.db, { roles: ['admin'] });
    const admin = await login(t.app, adminUser.email, TEST_PASSWORD);
    const list = await admin.request('GET', `/api/channels/outbox?caseId=${kase.id}&status=failed`);
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({
      items: [
        { id: failed.id, to: customer.email, status: 'failed', attempts: SEND_ATTEMPTS, caseId: kase.id },
      ],
    });
    expect((list.json() as { items: { lastError: string }[] }).items[0]?.lastError).toContain('550');

    // Agents may not read the outbox, but they see the failure on the case they work on.
    expect((await agent.request('GET', `/api/channels/outbox?caseId=${kase.id}`)).statusCode).toBe(403);
    const deliveries = await agent.request('GET', `/api/channels/deliveries?caseId=${kase.number}`);
    expect(deliveries.statusCode).toBe(200);
    expect(deliveries.json()).toMatchObject({
      items: [{ outboxId: failed.id, caseMessageId, status: 'failed', to: customer.email }],
    });
  }, 60_000);
});

describe('deliveries of a case', () => {
  it('are hidden from staff of another market like the case itself', async () => {
    const customer = await createCustomer(t.db, { market: 'DE' });
    const kase = await insertCase(t.db, { customerId: customer.id, market: 'DE' });
    const other = await createStaff(t.db, { roles: ['agent'], markets: ['SE'] });
    const session = await login(t.app, other.email, TEST_PASSWORD);
    expect((await session.request('GET', `/api/channels/deliveries?caseId=${kase.id}`)).statusCode).toBe(404);
  });

  it('a bounce reported for a sent mail marks it on the case', async () => {
    const customer = await createCustomer(t.db);
    const kase = await insertCase(t.db, { customerId: customer.id });
    const agentUser = await createStaff(t.db, { roles: ['agent'] });
    const agent = await login(t.app, agentUser.email, TEST_PASSWORD);
    const posted = await agent.request('POST', `/api/cases/${kase.number}/messages`, {
      kind: 'reply',
      body: 'Hi',
    });
    const caseMessageId = (posted.json() as { id: string }).id;
    const sent = await smtp.mailTo(customer.email);
    await until(async () => (await outboxRow(caseMessageId))?.status === 'sent');
    const marked = await markOutboxBounced(t.db, {
      messageId: sent.messageId ?? '',
      reason: '5.2.2 mailbox full',
    });
    expect(marked).toMatchObject({ caseId: kase.id, caseMessageId });
    const deliveries = await agent.request('GET', `/api/channels/deliveries?caseId=${kase.id}`);
    expect(deliveries.json()).toMatchObject({
      items: [{ caseMessageId, status: 'bounced', lastError: '5.2.2 mailbox full' }],
    });
    expect(await markOutboxBounced(t.db, { messageId: '<unknown@elsewhere>', reason: 'x' })).toBeNull();
  });
});

describe('without SMTP', () => {
  it('mail stays in the outbox, laid out with the signature in the recipient language', async () => {
    const id = await queueMail(
      t.db,
      { from: 'Pitwall <no-reply@pitwall.test>', smtpUrl: null },
      {
        to: 'Someone@Example.test',
        subject: 'Passwort',
        text: 'Hallo Erika,\n\nöffnen Sie https://care.example.test/reset?token=a&b=1 bitte.',
        language: 'de',
        template: 'identity.password_reset',
      },
    );
    const adminUser = await createStaff(t.db, { roles: ['admin'] });
    const admin = await login(t.app, adminUser.email, TEST_PASSWORD);
    const list = await admin.request('GET', '/api/channels/outbox?status=outbox&to=someone@example');
    expect((list.json() as { items: { id: string }[] }).items.map((item) => item.id)).toEqual([id]);
    const message = (await admin.request('GET', `/api/channels/outbox/${id}`)).json() as Record<
      string,
      unknown
    >;
    expect(message).toMatchObject({
      status: 'outbox',
      from: 'Pitwall <no-reply@pitwall.test>',
      language: 'de',
    });
    expect(message.messageId).toMatch(/^<[0-9a-f-]{36}@pitwall\.test>$/);
    expect(message.text).toContain('bitte.\n\nIhr Pitwall-Team\n\n-- \nDiese Nachricht wurde automatisch');
    expect(message.html).toContain('<a href="https://care.example.test/reset?token=a&amp;b=1"');
    expect(message.html).toContain('Ihr Pitwall-Team');
    expect(await sendJobOf(id)).toBeUndefined();
  });
});
