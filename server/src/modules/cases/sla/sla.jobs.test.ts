import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../platform/database.js';
import { eventTasks } from '../../../platform/events.js';
import { type JobWorker, startJobWorker } from '../../../platform/jobs.js';
import { LiveHub, type LiveNotice } from '../../../platform/live.js';
import { createTestDatabase, type TestDatabase } from '../../../test/database.js';
import { seedMarkets } from '../../../test/factories.js';
import { until } from '../../../test/until.js';
import { slaEventHandlers, slaTasks } from './index.js';
import { minutes, slaFixtures } from './sla.fixtures.js';

let database: TestDatabase;
let db: Db;
let worker: JobWorker;
const { addMarket, addPolicy, addCase, emitOnly, handled, timers, summary } = slaFixtures(() => db);

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

  it('a clock already past due when it starts breaches without a "due soon" warning first', async () => {
    const market = await addMarket();
    await addPolicy({ market, first_response_minutes: 60 });
    // Opened three hours ago and only now seen by the SLA engine (imported, or the worker was down).
    const caseId = await addCase(market, new Date(Date.now() - minutes(180)));
    await handled(await emitOnly(caseId, 'case.created'));
    await until(async () => (await timers(caseId)).first_response?.breached_at != null);
    // Give a stray warning job time to run, then look.
    await until(
      async () =>
        (
          await sql`SELECT 1 FROM graphile_worker.jobs WHERE key LIKE ${`cases.sla:${caseId}:first_response:%`}`.execute(
            db,
          )
        ).rows.length === 0,
    );
    const sla = (await eventsOf(caseId)).filter((event) => event.type.startsWith('case.sla_'));
    expect(sla.map((event) => event.type)).toEqual(['case.sla_breached']);
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
      .values({ name: `Escalations ${market}`, markets: [market] })
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
