import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Db } from '../../../platform/database.js';
import { emitEvent, eventTasks } from '../../../platform/events.js';
import { addJob, type JobWorker, startJobWorker } from '../../../platform/jobs.js';
import type { DomainEventRow } from '../../../platform/platform.tables.js';
import { createTestDatabase, type TestDatabase } from '../../../test/database.js';
import { seedMarkets } from '../../../test/factories.js';
import { until } from '../../../test/until.js';
import { slaEventHandlers, slaTasks } from './index.js';
import { ALWAYS_OPEN } from './sla.business-hours.js';
import { commit, openSlaCase } from './sla.engine.js';
import { minutes, slaFixtures } from './sla.fixtures.js';

let database: TestDatabase;
let db: Db;
let worker: JobWorker;
const { addMarket, addPolicy, addCase, emitOnly, handled, timers, summary } = slaFixtures(() => db);

/** Emits an event as the cases core would and waits until the SLA engine handled it. */
async function emit(caseId: string, type: string, payload: Record<string, unknown>, occurredAt?: Date) {
  const eventId = await emitOnly(caseId, type, payload, occurredAt);
  await handled(eventId);
  return eventId;
}

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  await seedMarkets(db);
  worker = await startJobWorker({
    connectionString: database.url,
    concurrency: 4,
    log: pino({ level: 'silent' }),
    tasks: { ...eventTasks(db, slaEventHandlers({ db })), ...slaTasks({ db }) },
  });
});
afterAll(async () => {
  await worker.stop();
  await database.drop();
});

describe('SLA clocks', () => {
  it('counts targets in the market’s business hours and skips German public holidays', async () => {
    const officeHours = {
      ...ALWAYS_OPEN,
      mon: ['08:00', '18:00'],
      tue: ['08:00', '18:00'],
      wed: ['08:00', '18:00'],
      thu: ['08:00', '18:00'],
      fri: ['08:00', '18:00'],
      sat: null,
      sun: null,
    };
    await addPolicy({ market: 'DE', business_hours: JSON.stringify(officeHours), observe_holidays: true });
    // Thursday 24 December 2026, 16:00 in Berlin
    const caseId = await addCase('DE', new Date('2026-12-24T15:00:00Z'));
    await emit(caseId, 'case.created', { number: 'x', market: 'DE', priority: 'normal', channel: 'email' });
    const clock = await timers(caseId);
    // 2h on the 24th, Christmas (25th, 26th) and Sunday closed, 2h on Monday the 28th -> 10:00 Berlin
    expect(clock.first_response?.due_at).toEqual(new Date('2026-12-28T09:00:00Z'));
    // 10h: 2h on the 24th, 8h on Monday the 28th -> 16:00 Berlin
    expect(clock.resolution?.due_at).toEqual(new Date('2026-12-28T15:00:00Z'));
    expect(await summary(caseId)).toMatchObject({
      metric: 'first_response',
      dueAt: '2026-12-28T09:00:00.000Z',
    });
  });

  it('pauses while pending customer and resumes with the time that was left', async () => {
    const market = await addMarket();
    await addPolicy({ market });
    const created = new Date(Date.now() - minutes(100));
    const caseId = await addCase(market, created);
    await emit(caseId, 'case.created', {});
    await emit(
      caseId,
      'case.status_changed',
      { from: 'new', to: 'pending_customer' },
      new Date(created.getTime() + minutes(60)),
    );
    const paused = await timers(caseId);
    expect(paused.resolution).toMatchObject({ due_at: null, consumed_minutes: 60 });
    expect(await summary(caseId)).toMatchObject({ state: 'paused', metric: 'first_response', dueAt: null });

    await emit(
      caseId,
      'case.status_changed',
      { from: 'pending_customer', to: 'open' },
      new Date(created.getTime() + minutes(90)),
    );
    const resumed = await timers(caseId);
    // The half hour pending customer is not counted.
    expect(resumed.first_response?.due_at).toEqual(new Date(created.getTime() + minutes(240 + 30)));
    expect(resumed.resolution?.due_at).toEqual(new Date(created.getTime() + minutes(600 + 30)));
    expect(await summary(caseId)).toMatchObject({ state: 'ok', metric: 'first_response' });
  });

  it('a public staff reply meets the first response; a customer message starts the next response', async () => {
    const market = await addMarket();
    await addPolicy({ market });
    const created = new Date(Date.now() - minutes(30));
    const caseId = await addCase(market, created);
    await emit(caseId, 'case.created', {});
    await emit(caseId, 'case.message_added', { kind: 'note', internal: true, authorKind: 'staff' });
    expect((await timers(caseId)).first_response?.met_at).toBeNull();

    const repliedAt = new Date(created.getTime() + minutes(20));
    await emit(
      caseId,
      'case.message_added',
      { kind: 'reply', internal: false, authorKind: 'staff' },
      repliedAt,
    );
    expect((await timers(caseId)).first_response?.met_at).toEqual(repliedAt);
    expect(await summary(caseId)).toMatchObject({ state: 'ok', metric: 'resolution' });

    // The message's own time, as the cases core puts it in the payload, counts (not the event's).
    const askedAt = new Date(created.getTime() + minutes(25));
    await emit(caseId, 'case.message_added', {
      kind: 'reply',
      internal: false,
      authorKind: 'customer',
      createdAt: askedAt.toISOString(),
    });
    expect((await timers(caseId)).next_response?.due_at).toEqual(new Date(askedAt.getTime() + minutes(120)));
    expect(await summary(caseId)).toMatchObject({ state: 'ok', metric: 'next_response' });

    await emit(caseId, 'case.message_added', { kind: 'reply', internal: false, authorKind: 'staff' });
    expect((await timers(caseId)).next_response?.met_at).not.toBeNull();

    await sql`UPDATE cases SET status = 'solved' WHERE id = ${caseId}`.execute(db);
    await emit(caseId, 'case.status_changed', { from: 'open', to: 'solved' });
    expect((await timers(caseId)).resolution?.met_at).not.toBeNull();
    expect(await summary(caseId)).toMatchObject({
      state: 'met',
      metric: null,
      dueAt: null,
      breachedAt: null,
    });
  });

  it('a case solved after a breach stays breached; reopening continues resolution without the solved time', async () => {
    const market = await addMarket();
    await addPolicy({ market });
    const created = new Date(Date.now() - minutes(250));
    const caseId = await addCase(market, created);
    await emit(caseId, 'case.created', {});
    // First response (240 minutes) was already due: the check job breaches it right away.
    await until(async () => (await timers(caseId)).first_response?.breached_at != null);

    await sql`UPDATE cases SET status = 'solved' WHERE id = ${caseId}`.execute(db);
    await emit(
      caseId,
      'case.status_changed',
      { from: 'open', to: 'solved' },
      new Date(created.getTime() + minutes(245)),
    );
    expect(await summary(caseId)).toMatchObject({ state: 'breached', metric: 'first_response', dueAt: null });

    await sql`UPDATE cases SET status = 'open' WHERE id = ${caseId}`.execute(db);
    await emit(
      caseId,
      'case.status_changed',
      { from: 'solved', to: 'open' },
      new Date(created.getTime() + minutes(249)),
    );
    const clock = await timers(caseId);
    expect(clock.resolution).toMatchObject({ met_at: null, consumed_minutes: 245 });
    expect(clock.resolution?.due_at).toEqual(new Date(created.getTime() + minutes(600 + 4)));
    expect(await summary(caseId)).toMatchObject({ state: 'ok', metric: 'resolution' });
  });

  it('a priority change picks the more specific policy and recomputes the due time from the original start', async () => {
    const market = await addMarket();
    await addPolicy({ market });
    const urgent = await addPolicy({
      market,
      priority: 'urgent',
      first_response_minutes: 30,
      resolution_minutes: 120,
    });
    const created = new Date(Date.now() - minutes(10));
    const caseId = await addCase(market, created);
    await emit(caseId, 'case.created', {});
    expect((await timers(caseId)).first_response?.due_at).toEqual(new Date(created.getTime() + minutes(240)));

    await sql`UPDATE cases SET priority = 'urgent' WHERE id = ${caseId}`.execute(db);
    await emit(caseId, 'case.priority_changed', { from: 'normal', to: 'urgent' });
    const clock = await timers(caseId);
    expect(clock.first_response).toMatchObject({ policy_id: urgent.id, target_minutes: 30 });
    expect(clock.first_response?.due_at).toEqual(new Date(created.getTime() + minutes(30)));
    expect(clock.resolution?.due_at).toEqual(new Date(created.getTime() + minutes(120)));
  });

  it('handling the same event twice changes nothing', async () => {
    const market = await addMarket();
    await addPolicy({ market });
    const caseId = await addCase(market, new Date(Date.now() - minutes(5)));
    const created = await emit(caseId, 'case.created', {});
    const pausedAt = new Date(Date.now() - minutes(2));
    const pausing = await emit(
      caseId,
      'case.status_changed',
      { from: 'new', to: 'pending_customer' },
      pausedAt,
    );
    const before = await timers(caseId);

    // The platform delivers a handler job twice (a retry after a crash) ...
    await addJob(db, 'domain_event.handle', { eventId: pausing, handler: 'cases.sla' });
    await addJob(db, 'domain_event.handle', { eventId: created, handler: 'cases.sla' });
    // ... and the core emits the same facts again as new events.
    await emit(caseId, 'case.created', {});
    await emit(caseId, 'case.status_changed', { from: 'new', to: 'pending_customer' }, new Date());
    await until(async () => {
      const pending = await sql<{ n: string }>`
        SELECT count(*) AS n FROM graphile_worker.jobs WHERE task_identifier = 'domain_event.handle'`.execute(
        db,
      );
      return pending.rows[0]?.n === '0';
    });
    expect(await timers(caseId)).toEqual(before);
    expect(before.first_response?.paused_at).toEqual(pausedAt);
  });

  it('takes a new case’s events of one transaction together, and leaves an unchanged summary alone', async () => {
    const market = await addMarket();
    await addPolicy({ market });
    const caseId = await addCase(market, new Date());
    const context = { actorId: null, requestId: null };
    const customerMessage = { authorKind: 'customer', kind: 'reply', internal: false };
    const ids = await db.transaction().execute(async (trx) => [
      await emitEvent(trx, context, { type: 'case.created', entityType: 'case', entityId: caseId }),
      await emitEvent(trx, context, {
        type: 'case.message_added',
        entityType: 'case',
        entityId: caseId,
        payload: customerMessage,
      }),
    ]);
    for (const id of ids) await handled(id);
    expect(Object.keys(await timers(caseId)).sort()).toEqual(['first_response', 'resolution']);
    const checks = await sql<{ key: string }>`SELECT key FROM graphile_worker.jobs
      WHERE key LIKE ${`cases.sla:${caseId}:%`} ORDER BY key`.execute(db);
    expect(checks.rows.map((row) => row.key.split(':').slice(2).join(':'))).toEqual([
      'first_response:due',
      'first_response:warning',
      'resolution:due',
      'resolution:warning',
    ]);
    expect(await summary(caseId)).toMatchObject({ state: 'ok', metric: 'first_response' });
    const stored = () =>
      db.selectFrom('case_sla').select('updated_at').where('case_id', '=', caseId).executeTakeFirstOrThrow();
    const before = await stored();
    // Another customer message while the first response is still due changes no clock.
    await emit(caseId, 'case.message_added', customerMessage);
    expect(await stored()).toEqual(before);
  });
});

describe('round trips', () => {
  /** A Db over the test database that records every statement it sends. */
  function recordingDb() {
    const statements: string[] = [];
    const recording = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url, max: 2 }) }),
      log: (event) => {
        if (event.level === 'query') statements.push(event.query.sql);
      },
    });
    return { recording, statements };
  }

  const inMemoryEvent = (caseId: string, type: string, payload: Record<string, unknown>): DomainEventRow => ({
    id: '0',
    type,
    entity_type: 'case',
    entity_id: caseId,
    payload,
    actor_id: null,
    request_id: null,
    occurred_at: new Date(),
  });

  it('handles a new case’s first events in four statements, two once its case_sla row exists', async () => {
    const market = await addMarket();
    await addPolicy({ market });
    const { recording, statements } = recordingDb();
    const [handler] = slaEventHandlers({ db: recording });
    const statementsFor = async (caseId: string) =>
      recording.transaction().execute(async (trx) => {
        const before = statements.length;
        await handler?.handleBatch?.(
          [
            inMemoryEvent(caseId, 'case.created', {}),
            inMemoryEvent(caseId, 'case.message_added', {
              authorKind: 'customer',
              kind: 'reply',
              internal: false,
              createdAt: new Date().toISOString(),
            }),
          ],
          trx,
        );
        return statements.length - before;
      });
    try {
      const first = await addCase(market, new Date());
      // Lock (no row yet), insert the row, lock and read; then one write.
      expect(await statementsFor(first)).toBe(4);
      expect(Object.keys(await timers(first)).sort()).toEqual(['first_response', 'resolution']);
      expect(await summary(first)).toMatchObject({ state: 'ok', metric: 'first_response' });

      const second = await addCase(market, new Date());
      await db.insertInto('case_sla').values({ case_id: second, state: 'none' }).execute();
      expect(await statementsFor(second)).toBe(2);
      expect(Object.keys(await timers(second)).sort()).toEqual(['first_response', 'resolution']);
    } finally {
      await recording.destroy();
    }
  });

  it('reads the clocks as another transaction left them when it had to wait for the case’s lock', async () => {
    const market = await addMarket();
    await addPolicy({ market });
    const caseId = await addCase(market, new Date());
    await emit(caseId, 'case.created', {});
    let holding = () => {};
    const held = new Promise<void>((resolve) => {
      holding = resolve;
    });
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = db.transaction().execute(async (trx) => {
      const sla = await openSlaCase(trx, caseId);
      holding();
      await released;
      // A change of the clocks that leaves the summary as it was.
      const resolution = sla?.timers.get('resolution');
      if (!sla || !resolution) throw new Error('no resolution clock');
      resolution.generation += 1;
      sla.changed.add('resolution');
      await commit(trx, sla);
      return resolution.generation;
    });
    await held;
    const second = db.transaction().execute((trx) => openSlaCase(trx, caseId));
    await until(async () => {
      const waiting = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%case_sla%'`.execute(
        db,
      );
      return (waiting.rows[0]?.n ?? 0) > 0;
    });
    release();
    const generation = await first;
    expect((await second)?.timers.get('resolution')?.generation).toBe(generation);
  });
});
