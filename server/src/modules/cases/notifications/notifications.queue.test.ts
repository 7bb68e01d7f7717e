// Notifications through the API and the real job queue: an agent's note never reaches
// the customer, the reply does, once.
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventTasks } from '../../../platform/events.js';
import { type JobWorker, startJobWorker } from '../../../platform/jobs.js';
import { buildTestApp, login, type TestApp } from '../../../test/app.js';
import { insertCase } from '../../../test/cases-extensions.js';
import { createCustomer, createStaff, seedMarkets, TEST_PASSWORD } from '../../../test/factories.js';
import { notificationEventHandlers } from './index.js';

let t: TestApp;
const notificationsOf = (userId: string) =>
  t.db.selectFrom('notifications').selectAll().where('user_id', '=', userId).execute();
const mailsTo = (address: string) =>
  t.db.selectFrom('outbox_messages').selectAll().where('to_address', '=', address).execute();

beforeAll(async () => {
  t = await buildTestApp();
  await seedMarkets(t.db);
});
afterAll(async () => {
  await t.close();
});

describe('through the API and the job queue', () => {
  let worker: JobWorker;
  beforeAll(async () => {
    worker = await startJobWorker({
      connectionString: t.database.url,
      concurrency: 2,
      log: pino({ level: 'silent' }),
      tasks: eventTasks(
        t.db,
        notificationEventHandlers({
          db: t.db,
          mail: { from: 'Pitwall <no-reply@pitwall.test>', smtpUrl: null },
          publicUrl: 'https://care.example.test',
        }),
      ),
    });
  });
  afterAll(async () => {
    await worker.stop();
  });

  async function queueDrained() {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const left = await sql<{ n: string }>`
        SELECT count(*) AS n FROM graphile_worker.jobs WHERE task_identifier LIKE 'domain_event.%' AND attempts < max_attempts
      `.execute(t.db);
      if (left.rows[0]?.n === '0') return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('event jobs did not finish');
  }

  it('a note and a reply posted by an agent: the customer gets one mail, with the reply and without the note', async () => {
    const customer = await createCustomer(t.db);
    const agentUser = await createStaff(t.db, { roles: ['agent'] });
    const agent = await login(t.app, agentUser.email, TEST_PASSWORD);
    const kase = await insertCase(t.db, { customerId: customer.id });
    const note = await agent.request('POST', `/api/cases/${kase.number}/messages`, {
      kind: 'note',
      body: 'Internal: known firmware bug',
    });
    expect(note.statusCode).toBe(201);
    const reply = await agent.request('POST', `/api/cases/${kase.number}/messages`, {
      kind: 'reply',
      body: 'An update is on its way.',
    });
    expect(reply.statusCode).toBe(201);
    await queueDrained();
    const mails = await mailsTo(customer.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.text_body).toContain('An update is on its way.');
    expect(mails[0]?.text_body).not.toContain('firmware');
    const inApp = await notificationsOf(customer.userId ?? '');
    expect(inApp).toHaveLength(1);
    expect(JSON.stringify(inApp)).not.toContain('firmware');
  });
});
