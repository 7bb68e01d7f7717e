// Domain events: written in the same transaction as the change that causes them,
// then handled by jobs. Each handler run is recorded (event, handler), so a retry of one
// handler never repeats another and a handler that runs twice is a no-op.
import type { Task, TaskList } from 'graphile-worker';
import { type Compilable, sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db, Executor, Transaction } from './database.js';
import { addJob, asyncCommitTransaction } from './jobs.js';
import { LIVE_CHANNEL, type LiveAudience, type LiveNotice } from './live.js';
import type { DomainEventRow } from './platform.tables.js';

export interface DomainEvent {
  type: string;
  entityType: string;
  entityId: string;
  payload?: Record<string, unknown>;
  /** Who may see this event live (SSE); omit for events no browser needs. */
  audience?: LiveAudience;
}

export interface EventContext {
  actorId: string | null;
  requestId: string | null;
}

export interface EventHandler {
  /** Stable name: part of the idempotency key. */
  name: string;
  eventTypes: readonly string[];
  handle(event: DomainEventRow, trx: Transaction): Promise<void>;
  /**
   * Optional: the events of one dispatch at once, in the order they happened (all already
   * claimed for this handler). For handlers that pay per call for what several events of one
   * entity share (a lock, the entity's state): a new case's `case.created` and its first
   * `case.message_added` arrive together. Must have the same effect as `handle` on each in turn.
   */
  handleBatch?(events: readonly DomainEventRow[], trx: Transaction): Promise<void>;
}

// Events of one entity are handled in the order they happened: each goes through a named
// graphile-worker queue (serial) chosen by a hash of the entity, 32 queues per handler, so
// different entities still run in parallel.
const ORDERING_BUCKETS = 32;
function bucketOf(entityType: string, entityId: string): number {
  let hash = 0;
  for (const char of `${entityType}:${entityId}`) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return Math.abs(hash) % ORDERING_BUCKETS;
}

export interface EmitOptions {
  /** A write that belongs with the event (the change's audit entry), run in the same statement. */
  together?: Compilable;
}

const DISPATCH_TASK = 'domain_event.dispatch';

/**
 * The event, the job that dispatches it, its live notice and (`together`) the change's audit
 * entry are written in one statement: one round trip instead of three or four per change.
 *
 * The events a transaction emits into one bucket share one dispatch job, keyed by the
 * transaction's id and the bucket: the first event inserts it, each later one appends its id to
 * the payload (ON CONFLICT on the key; the job is still uncommitted, so no worker can have taken
 * it). A mail that opens a case costs one dispatch job instead of two. Nothing is kept in the
 * process: a rollback to a savepoint takes the job's last changes with it, and the next event
 * inserts or extends it as the database has it. The job row is written as `addJob`'s
 * one-statement path writes it (NOTIFY for a new one); when graphile-worker's task or queue row
 * does not exist yet, no job is written here and `addJob` (add_job) creates them.
 */
export async function emitEvent(
  db: Executor,
  context: EventContext,
  event: DomainEvent,
  options: EmitOptions = {},
): Promise<string> {
  const values = {
    type: event.type,
    entity_type: event.entityType,
    entity_id: event.entityId,
    payload: JSON.stringify(event.payload ?? {}),
    actor_id: context.actorId,
    request_id: context.requestId,
  };
  const bucket = bucketOf(event.entityType, event.entityId);
  const queueName = `events:${bucket}`;
  // publishLive's format, with the new event's id.
  const notice: Omit<LiveNotice, 'eventId'> | null = event.audience
    ? { type: event.type, entityType: event.entityType, entityId: event.entityId, audience: event.audience }
    : null;
  const together = options.together ? sql`together AS (${options.together}),` : sql``;
  const live = notice
    ? sql`pg_notify(${LIVE_CHANNEL},
        (${JSON.stringify(notice)}::jsonb || jsonb_build_object('eventId', event.id::text))::text)`
    : sql`NULL`;
  const inserted = await sql<{ id: string; dispatch_key: string; queued: string }>`
    WITH ${together} event AS (${db.insertInto('domain_events').values(values).returning('id')}),
    job AS (
      INSERT INTO graphile_worker._private_jobs AS jobs (job_queue_id, task_id, payload, max_attempts, key)
      SELECT queues.id, tasks.id, json_build_object('eventIds', json_build_array(event.id::text)), 10,
        'domain_events:' || pg_current_xact_id()::text || ':' || ${bucket}::text
      FROM event, graphile_worker._private_tasks tasks
      JOIN graphile_worker._private_job_queues queues ON queues.queue_name = ${queueName}
      WHERE tasks.identifier = ${DISPATCH_TASK}
      ON CONFLICT (key) DO UPDATE
        SET payload = json_build_object('eventIds',
          (jobs.payload::jsonb -> 'eventIds') || (excluded.payload::jsonb -> 'eventIds'))
        WHERE jobs.locked_at IS NULL
      RETURNING xmax = 0 AS is_new)
    SELECT event.id, 'domain_events:' || pg_current_xact_id()::text || ':' || ${bucket}::text AS dispatch_key,
      (SELECT count(*) FROM job) AS queued,
      (SELECT count(pg_notify('jobs:insert', '{"r":' || random()::text || ',"count":1}')) FROM job WHERE is_new) AS woke,
      ${live} AS live
    FROM event`.execute(db);
  const row = inserted.rows[0] as { id: string; dispatch_key: string; queued: string };
  if (Number(row.queued) === 0)
    await addJob(db, DISPATCH_TASK, { eventIds: [row.id] }, { queueName, jobKey: row.dispatch_key });
  return row.id;
}

async function runHandler(db: Executor, handler: EventHandler, event: DomainEventRow): Promise<void> {
  const claimed = await db
    .insertInto('event_handler_runs')
    .values({ event_id: event.id, handler: handler.name })
    .onConflict((oc) => oc.doNothing())
    .returning('event_id')
    .executeTakeFirst();
  if (!claimed) return; // already handled: handlers may be delivered twice
  await handler.handle(event, db as Transaction);
}

/**
 * The job tasks that deliver events to the handlers of every module. The dispatch job runs the
 * handlers of its events itself, in order, in one transaction with a savepoint per handler run
 * (instead of a job and a transaction per handler; its commit does not wait for the WAL flush:
 * see `asyncCommitTransaction`). A handler that fails is rolled back to its savepoint and gets a
 * `domain_event.handle` job of its own that retries with backoff, so it never holds up or
 * repeats the others.
 */
export function eventTasks(db: Db, handlers: readonly EventHandler[], log?: Logger): TaskList {
  const byName = new Map(handlers.map((handler) => [handler.name, handler]));
  const dispatch: Task = async (payload) => {
    const { eventId, eventIds } = payload as { eventId?: string; eventIds?: string[] };
    const ids = eventIds ?? (eventId ? [eventId] : []);
    if (ids.length === 0) return;
    // Optimistic: all handler runs without savepoints; only when one fails is the whole
    // transaction done again with a savepoint around each run.
    const deliver = (guarded: boolean) =>
      asyncCommitTransaction(db, async (trx) => {
        const events = await trx
          .selectFrom('domain_events')
          .selectAll()
          .where('id', 'in', ids)
          .orderBy('id')
          .execute();
        if (guarded) {
          for (const event of events)
            for (const handler of handlers)
              if (handler.eventTypes.includes(event.type)) await runGuarded(trx, handler, event);
        } else await deliverAll(trx, events);
      });
    try {
      await deliver(false);
    } catch {
      await deliver(true);
    }
  };

  /** Claims every (event, handler) run in one statement, then gives each handler its events in
   * order: all at once to a handler with `handleBatch`, one by one otherwise. */
  async function deliverAll(trx: Transaction, events: readonly DomainEventRow[]): Promise<void> {
    const runs = events.flatMap((event) =>
      handlers.flatMap((handler) =>
        handler.eventTypes.includes(event.type) ? [{ event_id: event.id, handler: handler.name }] : [],
      ),
    );
    if (runs.length === 0) return;
    const claimed = await trx
      .insertInto('event_handler_runs')
      .values(runs)
      .onConflict((oc) => oc.doNothing())
      .returning(['event_id', 'handler'])
      .execute();
    const claimedRuns = new Set(claimed.map((run) => `${run.handler} ${run.event_id}`));
    for (const handler of handlers) {
      // Already handled ones are skipped: handlers may be delivered twice.
      const mine = events.filter((event) => claimedRuns.has(`${handler.name} ${event.id}`));
      if (mine.length === 0) continue;
      if (handler.handleBatch) await handler.handleBatch(mine, trx);
      else for (const event of mine) await handler.handle(event, trx);
    }
  }

  async function runGuarded(trx: Transaction, handler: EventHandler, event: DomainEventRow): Promise<void> {
    await sql`SAVEPOINT handler_run`.execute(trx);
    try {
      await runHandler(trx, handler, event);
      await sql`RELEASE SAVEPOINT handler_run`.execute(trx);
    } catch (error) {
      await sql`ROLLBACK TO SAVEPOINT handler_run`.execute(trx);
      log?.warn(
        { err: error, eventId: event.id, handler: handler.name },
        'event handler failed; it is retried as a job of its own',
      );
      await addJob(
        trx,
        'domain_event.handle',
        { eventId: event.id, handler: handler.name },
        { maxAttempts: 10 },
      );
    }
  }

  const handle: Task = async (payload) => {
    const { eventId, handler: name } = payload as { eventId: string; handler: string };
    const handler = byName.get(name);
    if (!handler) throw new Error(`No event handler named ${name}`);
    await asyncCommitTransaction(db, async (trx) => {
      const event = await trx
        .selectFrom('domain_events')
        .selectAll()
        .where('id', '=', eventId)
        .executeTakeFirstOrThrow();
      await runHandler(trx, handler, event);
    });
  };
  return { 'domain_event.dispatch': dispatch, 'domain_event.handle': handle };
}
