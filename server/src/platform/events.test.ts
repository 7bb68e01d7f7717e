// Domain events and jobs against the real queue: a handler runs once per event even when
// delivered twice, a failing job retries and shows up for the admin, who can retry it.
import { sql } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, login, type Session, type TestApp } from '../test/app.js';
import { createStaff, seedMarkets, TEST_PASSWORD } from '../test/factories.js';
import { until } from '../test/until.js';
import {
  type EventHandler,
  emitEvent,
  emitEvents,
  eventTasks,
  GuardMissed,
  setHandledEventTypes,
} from './events.js';
import { addJob, type JobWorker, startJobWorker } from './jobs.js';
import { LIVE_CHANNEL } from './live.js';

let t: TestApp;
let worker: JobWorker;
let admin: Session;
const handled: string[] = [];
const batches: string[][] = [];
let failuresLeft = 0;

beforeAll(async () => {
  t = await buildTestApp();
  await seedMarkets(t.db);
  const recorder: EventHandler = {
    name: 'test.recorder',
    eventTypes: ['test.happened'],
    handle: async (event, trx) => {
      handled.push(event.id);
      await sql`SELECT 1`.execute(trx);
    },
  };
  const batcher: EventHandler = {
    name: 'test.batcher',
    eventTypes: ['test.batched'],
    handle: async (event) => {
      batches.push([event.entity_id]);
    },
    handleBatch: async (events) => {
      batches.push(events.map((event) => event.entity_id));
    },
  };
  worker = await startJobWorker({
    connectionString: t.database.url,
    concurrency: 2,
    log: pino({ level: 'silent' }),
    tasks: {
      ...eventTasks(t.db, [recorder, batcher]),
      'test.flaky': async () => {
        if (failuresLeft-- > 0) throw new Error('flaky dependency is down');
      },
      'test.broken': async () => {
        throw new Error('this job always fails');
      },
    },
  });
  const user = await createStaff(t.db, { roles: ['admin'], markets: [] });
  admin = await login(t.app, user.email, TEST_PASSWORD);
});
afterAll(async () => {
  await worker.stop();
  await t.close();
});

describe('domain events', () => {
  it('an event written in a rolled-back transaction never reaches a handler', async () => {
    await expect(
      t.db.transaction().execute(async (trx) => {
        await emitEvent(
          trx,
          { actorId: null, requestId: null },
          { type: 'test.happened', entityType: 'test', entityId: 'rolled-back' },
        );
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const rows = await t.db
      .selectFrom('domain_events')
      .selectAll()
      .where('entity_id', '=', 'rolled-back')
      .execute();
    expect(rows).toHaveLength(0);
  });

  it('a committed event is handled exactly once, even when its handler job is delivered twice', async () => {
    const eventId = await t.db
      .transaction()
      .execute((trx) =>
        emitEvent(
          trx,
          { actorId: null, requestId: 'r1' },
          { type: 'test.happened', entityType: 'test', entityId: 'once' },
        ),
      );
    await until(async () => handled.includes(eventId));
    // Deliver the same handler job again, as a retry after a crash would.
    await addJob(t.db, 'domain_event.handle', { eventId, handler: 'test.recorder' });
    await until(async () => {
      const pending = await sql<{
        n: string;
      }>`SELECT count(*) AS n FROM graphile_worker.jobs WHERE task_identifier = 'domain_event.handle'`.execute(
        t.db,
      );
      return pending.rows[0]?.n === '0';
    });
    expect(handled.filter((id) => id === eventId)).toHaveLength(1);
  });
});

describe('live notices', () => {
  it('an event with an audience announces itself live with its id, once committed', async () => {
    const listener = new pg.Client({ connectionString: t.database.url });
    await listener.connect();
    const notices: unknown[] = [];
    listener.on('notification', (message) => notices.push(JSON.parse(message.payload ?? '{}')));
    await listener.query(`LISTEN ${LIVE_CHANNEL}`);
    try {
      const eventId = await t.db
        .transaction()
        .execute((trx) =>
          emitEvent(
            trx,
            { actorId: null, requestId: null },
            { type: 'test.seen', entityType: 'test', entityId: 'live', audience: { markets: ['DE'] } },
          ),
        );
      await until(async () => notices.length > 0);
      expect(notices).toEqual([
        { type: 'test.seen', entityType: 'test', entityId: 'live', eventId, audience: { markets: ['DE'] } },
      ]);
    } finally {
      await listener.end();
    }
  });
});

describe('handlers that take a batch', () => {
  it('get the events of one transaction at once, in order, and never again when redelivered', async () => {
    const context = { actorId: null, requestId: null };
    const ids = await t.db
      .transaction()
      .execute(async (trx) => [
        await emitEvent(trx, context, { type: 'test.batched', entityType: 'test', entityId: 'first' }),
        await emitEvent(trx, context, { type: 'test.batched', entityType: 'test', entityId: 'first' }),
      ]);
    await until(async () => batches.length === 1);
    expect(batches).toEqual([['first', 'first']]);
    // The dispatch job delivered again (a crash before its completion was flushed).
    await addJob(t.db, 'domain_event.dispatch', { eventIds: ids }, { queueName: 'events:test' });
    await until(async () => {
      const pending = await sql<{ n: string }>`SELECT count(*) AS n FROM graphile_worker.jobs
        WHERE task_identifier = 'domain_event.dispatch'`.execute(t.db);
      return pending.rows[0]?.n === '0';
    });
    expect(batches).toEqual([['first', 'first']]);
    const runs = await t.db
      .selectFrom('event_handler_runs')
      .select('handler')
      .where('event_id', 'in', ids)
      .execute();
    expect(runs.map((run) => run.handler)).toEqual(['test.batcher', 'test.batcher']);
  });
});

describe('dispatch jobs', () => {
  it('the events of one transaction share one dispatch job, and a rollback to a savepoint takes its event out', async () => {
    const context = { actorId: null, requestId: null };
    const [kept, dropped, later] = await t.db.transaction().execute(async (trx) => {
      const first = await emitEvent(trx, context, {
        type: 'test.batched',
        entityType: 'test',
        entityId: 'saved',
      });
      await sql`SAVEPOINT attempt`.execute(trx);
      const second = await emitEvent(trx, context, {
        type: 'test.batched',
        entityType: 'test',
        entityId: 'saved',
      });
      await sql`ROLLBACK TO SAVEPOINT attempt`.execute(trx);
      const third = await emitEvent(trx, context, {
        type: 'test.batched',
        entityType: 'test',
        entityId: 'saved',
      });
      const jobs = await sql<{
        payload: { eventIds: string[] };
      }>`SELECT payload FROM graphile_worker._private_jobs
        WHERE key LIKE 'domain_events:' || pg_current_xact_id()::text || ':%'`.execute(trx);
      expect(jobs.rows.map((job) => job.payload.eventIds)).toEqual([[first, third]]);
      return [first, second, third];
    });
    await until(async () => {
      const runs = await t.db
        .selectFrom('event_handler_runs')
        .select('event_id')
        .where('event_id', 'in', [kept, later])
        .execute();
      return runs.length === 2;
    });
    const events = await t.db
      .selectFrom('domain_events')
      .select('id')
      .where('entity_id', '=', 'saved')
      .execute();
    expect(events.map((event) => event.id).sort()).toEqual([kept, later].sort());
    expect(events.map((event) => event.id)).not.toContain(dropped);
  });

  it('several events written at once keep their order, share one dispatch job and each announce themselves', async () => {
    const listener = new pg.Client({ connectionString: t.database.url });
    await listener.connect();
    const notices: { eventId: string; type: string }[] = [];
    listener.on('notification', (message) => notices.push(JSON.parse(message.payload ?? '{}')));
    await listener.query(`LISTEN ${LIVE_CHANNEL}`);
    try {
      const context = { actorId: null, requestId: 'several' };
      const ids = await t.db.transaction().execute(async (trx) => {
        const written = await emitEvents(trx, context, [
          {
            event: {
              type: 'test.batched',
              entityType: 'test',
              entityId: 'several',
              audience: { markets: ['DE'] },
            },
          },
          { event: { type: 'test.batched', entityType: 'test', entityId: 'several' } },
          {
            event: {
              type: 'test.seen',
              entityType: 'test',
              entityId: 'several',
              audience: { markets: ['AT'] },
            },
          },
        ]);
        const jobs = await sql<{
          payload: { eventIds: string[] };
        }>`SELECT payload FROM graphile_worker._private_jobs
          WHERE key LIKE 'domain_events:' || pg_current_xact_id()::text || ':%'`.execute(trx);
        expect(jobs.rows.map((job) => job.payload.eventIds)).toEqual([written]);
        return written;
      });
      expect(ids.map(Number)).toEqual([...ids.map(Number)].sort((a, b) => a - b));
      const rows = await t.db
        .selectFrom('domain_events')
        .select(['id', 'type', 'request_id'])
        .where('entity_id', '=', 'several')
        .orderBy('id')
        .execute();
      expect(rows).toEqual([
        { id: ids[0], type: 'test.batched', request_id: 'several' },
        { id: ids[1], type: 'test.batched', request_id: 'several' },
        { id: ids[2], type: 'test.seen', request_id: 'several' },
      ]);
      await until(async () => notices.length === 2);
      expect(notices.map((notice) => [notice.eventId, notice.type])).toEqual([
        [ids[0], 'test.batched'],
        [ids[2], 'test.seen'],
      ]);
      await until(async () => batches.some((batch) => batch.join() === 'several,several'));
    } finally {
      await listener.end();
    }
  });

  it('an event no handler handles is stored and announced but gets no dispatch job; one that shares its bucket with a handled one rides along', async () => {
    const listener = new pg.Client({ connectionString: t.database.url });
    await listener.connect();
    const notices: { eventId: string }[] = [];
    listener.on('notification', (message) => notices.push(JSON.parse(message.payload ?? '{}')));
    await listener.query(`LISTEN ${LIVE_CHANNEL}`);
    setHandledEventTypes(['test.happened', 'test.batched']);
    try {
      const context = { actorId: null, requestId: 'unhandled' };
      const jobsOfTransaction = (trx: Parameters<typeof emitEvent>[0]) =>
        sql<{ payload: { eventIds: string[] } }>`SELECT payload FROM graphile_worker._private_jobs
          WHERE key LIKE 'domain_events:' || pg_current_xact_id()::text || ':%'`.execute(trx);
      const alone = await t.db.transaction().execute(async (trx) => {
        const id = await emitEvent(trx, context, {
          type: 'test.nobody_listens',
          entityType: 'test',
          entityId: 'unhandled',
          audience: { markets: ['DE'] },
        });
        expect((await jobsOfTransaction(trx)).rows).toEqual([]);
        return id;
      });
      expect(await t.db.selectFrom('domain_events').select('id').where('id', '=', alone).execute()).toEqual([
        { id: alone },
      ]);
      await until(async () => notices.some((notice) => notice.eventId === alone));
      await t.db.transaction().execute(async (trx) => {
        const ids = await emitEvents(trx, context, [
          { event: { type: 'test.nobody_listens', entityType: 'test', entityId: 'unhandled' } },
          { event: { type: 'test.batched', entityType: 'test', entityId: 'unhandled' } },
        ]);
        expect((await jobsOfTransaction(trx)).rows.map((job) => job.payload.eventIds)).toEqual([ids]);
      });
      await until(async () => batches.some((batch) => batch.join() === 'unhandled'));
    } finally {
      setHandledEventTypes(null);
      await listener.end();
    }
  });

  it('a guarded write that finds no row voids the change: GuardMissed, and the transaction writes nothing', async () => {
    const context = { actorId: null, requestId: null };
    const guard = sql`UPDATE domain_events SET request_id = 'never' WHERE id = -1 RETURNING id`;
    await expect(
      t.db.transaction().execute((trx) =>
        emitEvents(trx, context, [
          {
            event: { type: 'test.happened', entityType: 'test', entityId: 'guarded' },
            together: [{ guard }],
          },
        ]),
      ),
    ).rejects.toBeInstanceOf(GuardMissed);
    const events = await t.db
      .selectFrom('domain_events')
      .select('id')
      .where('entity_id', '=', 'guarded')
      .execute();
    expect(events).toEqual([]);
  });

  it('an event written together with another write commits both or neither', async () => {
    const context = { actorId: null, requestId: null };
    const together = (label: string) =>
      t.db.insertInto('audit_log').values({
        actor_id: null,
        actor_kind: 'system',
        actor_label: 'test',
        action: `test.${label}`,
        entity_type: 'test',
        entity_id: label,
        before: null,
        after: null,
        request_id: null,
        ip: null,
      });
    await t.db.transaction().execute(async (trx) => {
      await emitEvent(
        trx,
        context,
        { type: 'test.happened', entityType: 'test', entityId: 'together' },
        { together: together('together') },
      );
    });
    await expect(
      t.db.transaction().execute(async (trx) => {
        await emitEvent(
          trx,
          context,
          { type: 'test.happened', entityType: 'test', entityId: 'apart' },
          { together: together('apart') },
        );
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const audit = await t.db
      .selectFrom('audit_log')
      .select('entity_id')
      .where('entity_type', '=', 'test')
      .execute();
    expect(audit.map((row) => row.entity_id)).toEqual(['together']);
    const events = await t.db
      .selectFrom('domain_events')
      .select('entity_id')
      .where('entity_id', 'in', ['together', 'apart'])
      .execute();
    expect(events.map((row) => row.entity_id)).toEqual(['together']);
  });
});

describe('jobs', () => {
  it('a failing job is retried with backoff and then succeeds', async () => {
    failuresLeft = 1;
    await addJob(t.db, 'test.flaky', {}, { maxAttempts: 3 });
    await until(async () => {
      // attempts counts up when the job is taken, before it has failed: wait for its error.
      const rows = await sql<{
        attempts: number;
        last_error: string | null;
      }>`SELECT attempts, last_error FROM graphile_worker.jobs WHERE task_identifier = 'test.flaky'`.execute(
        t.db,
      );
      return rows.rows.length === 1 && rows.rows[0]?.attempts === 1 && rows.rows[0]?.last_error !== null;
    });
    const retrying = await admin.request('GET', '/api/admin/jobs?state=retrying');
    const job = retrying.json().items.find((item: { task: string }) => item.task === 'test.flaky');
    expect(job.lastError).toMatch(/flaky dependency is down/);
    expect(new Date(job.runAt).getTime()).toBeGreaterThan(Date.now());
  });

  it('a job that used all attempts is listed as failed and can be retried by an admin (audited)', async () => {
    await addJob(t.db, 'test.broken', { hint: 'x' }, { maxAttempts: 1 });
    await until(async () => {
      const failed = await admin.request('GET', '/api/admin/jobs?state=failed');
      return failed.json().items.some((item: { task: string }) => item.task === 'test.broken');
    });
    const failed = await admin.request('GET', '/api/admin/jobs?state=failed');
    const job = failed.json().items.find((item: { task: string }) => item.task === 'test.broken');
    expect(job).toMatchObject({ attempts: 1, maxAttempts: 1, payload: { hint: 'x' } });
    const retried = await admin.request('POST', `/api/admin/jobs/${job.id}/retry`);
    expect(retried.statusCode).toBe(204);
    await until(async () => {
      const rows = await sql<{
        attempts: number;
      }>`SELECT attempts FROM graphile_worker.jobs WHERE id = ${job.id}`.execute(t.db);
      return rows.rows[0]?.attempts === 1;
    });
    const audit = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'job.retried')
      .where('entity_id', '=', job.id)
      .execute();
    expect(audit).toHaveLength(1);
    expect((await admin.request('POST', '/api/admin/jobs/999999999/retry')).statusCode).toBe(404);
  });
});
