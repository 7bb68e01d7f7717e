// SLA check jobs against a real PostgreSQL and job queue: warnings at 75 %, breaches at
// the due time with escalation per policy (audited), and timers that survive a restart.
import { randomBytes } from 'node:crypto';
import { type Insertable, sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../platform/database.js';
import { emitEvent, eventTasks } from '../../../platform/events.js';
import { type JobWorker, startJobWorker } from '../../../platform/jobs.js';
import { LiveHub, type LiveNotice } from '../../../platform/live.js';
import { createTestDatabase, type TestDatabase } from '../../../test/database.js';
import { createCustomer, seedMarkets } from '../../../test/factories.js';
import type { CasePriority } from '../cases.tables.js';
import { slaEventHandlers, slaSummaries, slaTasks } from './index.js';
import { ALWAYS_OPEN } from './sla.business-hours.js';
import type { SlaPoliciesTable } from './sla.tables.js';

let database: TestDatabase;
let db: Db;
let worker: JobWorker;
const minutes = (n: number) => n * 60_000;
const unique = () => randomBytes(3).toString('hex').toUpperCase();

async function until(check: () => Promise<boolean>, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('condition not met in time');
}

/** A market of its own per test (24/7 tests use UTC), so policies never collide. */
let markets = 0;
async function addMarket(timeZone = 'UTC'): Promise<string> {
  const code = `X${String.fromCharCode(65 + markets++)}`;
  await db
    .insertInto('markets')
    .values({ code, name_en: code, name_de: code, time_zone: timeZone, language: 'en', currency: 'EUR' })
    .execute();
  return code;
}

async function addPolicy(values: Partial<Insertable<SlaPoliciesTable>> & { market: string }) {
  return db
    .insertInto('sla_policies')
    .values({
      name: 'Standard',
      first_response_minutes: 240,
      next_response_minutes: 120,
      resolution_minutes: 600,
      business_hours: JSON.stringify(ALWAYS_OPEN),
      observe_holidays: false,
      on_breach: 'notify',
      ...values,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

async function addCase(market: string, createdAt: Date, priority: CasePriority = 'normal') {
  const customer = await createCustomer(db, { withAccount: false });
  const result = await sql<{ id: string }>`
    INSERT INTO cases (number, subject, status, priority, channel, customer_id, market, language, created_at, updated_at)
    VALUES (${`PW-T-${unique()}`}, 'Charging stops at 80 %', 'new', ${priority}, 'email', ${customer.id}, ${market}, 'en', ${createdAt}, ${createdAt})
    RETURNING id`.execute(db);
  return result.rows[0]?.id as string;
}

/** Emits an event as the cases core would. */
async function emitOnly(caseId: string, type: string, payload: Record<string, unknown> = {}) {
  return db
    .transaction()
    .execute((trx) =>
      emitEvent(
        trx,
        { actorId: null, requestId: null },
        { type, entityType: 'case', entityId: caseId, payload },
      ),
    );
}

async function handled(eventId: string) {
  await until(async () => {
    const run = await db
      .selectFrom('event_handler_runs')
      .select('event_id')
      .where('event_id', '=', eventId)
      .where('handler', '=', 'cases.sla')
      .executeTakeFirst();
    return !!run;
  });
}

async function timers(caseId: string) {
  const rows = await db.selectFrom('case_sla_timers').selectAll().where('case_id', '=', caseId).execute();
  return Object.fromEntries(rows.map((row) => [row.metric, row]));
}

async function summary(caseId: string) {
  return (await slaSummaries(db, [caseId])).get(caseId);
}

function startWorker() {
  return startJobWorker({
    connectionString: database.url,
    concurrency: 4,
    log: pino({ level: 'silent' }),
    tasks: { ...eventTasks(db, slaEventHandlers({ db })), ...slaTasks({ db }) },
  });
}

async function caseRow(caseId: string) {
  return db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();
}

async function eventsOf(caseId: string) {
  return db
    .selectFrom('domain_events')
    .select(['type', 'payload'])
    .where('entity_id', '=', caseId)
    .orderBy('id')
    .execute();
}

async function escalations(caseId: string) {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', 'case.sla_escalated')
    .where('entity_id', '=', caseId)
    .execute();
}

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  await seedMarkets(db);
  worker = await startWorker();
});
afterAll(async () => {
  await worker.stop();
  await database.drop();
});

describe('SLA warnings and breaches', () => {
  it('warns at 75 % and breaches at the due time, both announced live to the market', async () => {
    const market = await addMarket();
    await addPolicy({ market, first_response_minutes: 60 });
    const live = new LiveHub(database.url, pino({ level: 'silent' }));
    await live.start();
    const notices: LiveNotice[] = [];
    live.subscribe((notice) => notices.push(notice));
    // 60 minutes to first response, 75 % already gone; due in 4 seconds.
    const caseId = await addCase(market, new Date(Date.now() - minutes(60) + 4000));
    await handled(await emitOnly(caseId, 'case.created'));

    await until(async () => (await timers(caseId)).first_response?.warned_at != null);
    expect(await summary(caseId)).toMatchObject({ state: 'warning', metric: 'first_response' });
    await until(async () => (await timers(caseId)).first_response?.breached_at != null);
    const clock = (await timers(caseId)).first_response;
    expect(clock?.breached_at).toEqual(clock?.due_at);
    expect(await summary(caseId)).toMatchObject({
      state: 'breached',
      metric: 'first_response',
      breachedAt: clock?.due_at?.toISOString(),
    });

    const sla = (await eventsOf(caseId)).filter((event) => event.type.startsWith('case.sla_'));
    expect(sla.map((event) => event.type)).toEqual(['case.sla_warning', 'case.sla_breached']);
    expect(sla[1]?.payload).toMatchObject({ metric: 'first_response', onBreach: 'notify' });
    await until(async () => notices.filter((n) => n.entityId === caseId).length === 2);
    expect(notices.filter((n) => n.entityId === caseId)).toEqual([
      expect.objectContaining({ type: 'case.sla_warning', audience: { markets: [market] } }),
      expect.objectContaining({ type: 'case.sla_breached', audience: { markets: [market] } }),
    ]);
    expect(await escalations(caseId)).toHaveLength(0);
    await live.stop();
  });

  it('a breach raises the priority one step (audited) and the clocks follow the new priority’s policy', async () => {
    const market = await addMarket();
    await addPolicy({ market, on_breach: 'raise_priority', first_response_minutes: 60 });
    const high = await addPolicy({
      market,
      priority: 'high',
      first_response_minutes: 30,
      resolution_minutes: 900,
    });
    const caseId = await addCase(market, new Date(Date.now() - minutes(61)));
    await handled(await emitOnly(caseId, 'case.created'));

    await until(async () => (await caseRow(caseId)).priority === 'high');
    await until(async () => (await timers(caseId)).resolution?.policy_id === high.id);
    const clock = await timers(caseId);
    expect(clock.resolution?.target_minutes).toBe(900);
    expect(clock.first_response?.breached_at).not.toBeNull();
    const audit = await escalations(caseId);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor_kind: 'system',
      before: { priority: 'normal' },
      after: { priority: 'high', metric: 'first_response', onBreach: 'raise_priority' },
    });
    const changed = (await eventsOf(caseId)).find((event) => event.type === 'case.priority_changed');
    expect(changed?.payload).toMatchObject({ from: 'normal', to: 'high', reason: 'sla_breach' });
    expect(await summary(caseId)).toMatchObject({ state: 'breached', metric: 'first_response' });
  });

  it('a breach reassigns the case to the escalation team (audited)', async () => {
    const market = await addMarket();
    const team = await db
      .insertInto('teams')
      .values({ name: `Escalations ${unique()}`, markets: [market] })
      .returning('id')
      .executeTakeFirstOrThrow();
    await addPolicy({
      market,
      on_breach: 'reassign',
      escalation_team_id: team.id,
      first_response_minutes: 60,
    });
    const caseId = await addCase(market, new Date(Date.now() - minutes(61)));
    const agentId = crypto.randomUUID();
    await sql`UPDATE cases SET assignee_id = ${agentId} WHERE id = ${caseId}`.execute(db);
    await handled(await emitOnly(caseId, 'case.created'));

    await until(async () => (await caseRow(caseId)).team_id === team.id);
    expect((await caseRow(caseId)).assignee_id).toBeNull();
    const audit = await escalations(caseId);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor_kind: 'system',
      before: { teamId: null, assigneeId: agentId },
      after: { teamId: team.id, assigneeId: null, onBreach: 'reassign' },
    });
    expect((await eventsOf(caseId)).map((event) => event.type)).toContain('case.updated');
  });

  it('a breach scheduled before the worker stopped still fires after it starts again', async () => {
    const market = await addMarket();
    await addPolicy({ market, first_response_minutes: 60 });
    const caseId = await addCase(market, new Date(Date.now() - minutes(60) + 5000));
    await handled(await emitOnly(caseId, 'case.created'));
    const due = (await timers(caseId)).first_response?.due_at as Date;
    await worker.stop();

    const job = await sql<{ run_at: Date }>`
      SELECT run_at FROM graphile_worker.jobs WHERE key = ${`cases.sla:${caseId}:first_response:due`}`.execute(
      db,
    );
    expect(job.rows[0]?.run_at).toEqual(due);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due.getTime() - Date.now()) + 1000));
    expect((await timers(caseId)).first_response?.breached_at).toBeNull();

    worker = await startWorker();
    await until(async () => (await timers(caseId)).first_response?.breached_at != null);
    expect(await summary(caseId)).toMatchObject({ state: 'breached' });
  });

  it('a target met before its due time neither warns nor breaches', async () => {
    const market = await addMarket();
    await addPolicy({ market, first_response_minutes: 60 });
    const caseId = await addCase(market, new Date(Date.now() - minutes(60) + 3000));
    await handled(await emitOnly(caseId, 'case.created'));
    await until(async () => (await timers(caseId)).first_response?.warned_at != null);
    await handled(
      await emitOnly(caseId, 'case.message_added', { kind: 'reply', internal: false, authorKind: 'staff' }),
    );
    await new Promise((resolve) => setTimeout(resolve, 4000));
    const clock = (await timers(caseId)).first_response;
    expect(clock?.met_at).not.toBeNull();
    expect(clock?.breached_at).toBeNull();
    const due =
      await sql`SELECT 1 FROM graphile_worker.jobs WHERE key LIKE ${`cases.sla:${caseId}:first_response:%`}`.execute(
        db,
      );
    expect(due.rows).toHaveLength(0);
    expect((await eventsOf(caseId)).map((event) => event.type)).not.toContain('case.sla_breached');
  });
});
