// Domain events: written in the same transaction as the change that causes them,
// then handled by jobs. Each handler run is recorded (event, handler), so a retry of one
// handler never repeats another and a handler that runs twice is a no-op.
import { randomUUID } from 'node:crypto';
import type { Task, TaskList } from 'graphile-worker';
import { sql } from 'kysely';
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

// The events a transaction emits into one bucket share one dispatch job: the job is added with
// the first of them under a key of its own, and each later one only extends its payload (the
// job is still uncommitted, so no worker can have taken it; graphile-worker's add_job with the
// key would do the same at several times the cost, and wake the workers each time). A mail
// that opens a case costs one dispatch job instead of two. Bookkeeping per transaction object
// only: nothing outlives it.
const dispatchOfTransaction = new WeakMap<Executor, Map<number, { jobKey: string; eventIds: string[] }>>();

async function queueDispatch(db: Executor, eventId: string, bucket: number): Promise<void> {
  const queueName = `events:${bucket}`;
  if (!db.isTransaction) return addJob(db, 'domain_event.dispatch', { eventId }, { queueName });
  let buckets = dispatchOfTransaction.get(db);
  if (!buckets) {
    buckets = new Map();
    dispatchOfTransaction.set(db, buckets);
  }
  const group = buckets.get(bucket);
  if (group) {
    group.eventIds.push(eventId);
    const extended =
      await sql`UPDATE graphile_worker._private_jobs SET payload = ${JSON.stringify({ eventIds: group.eventIds })}::json
      WHERE key = ${group.jobKey} AND locked_at IS NULL`.execute(db);
    // Rolled back to a savepoint since the job was added: start a new group.
    if (Number(extended.numAffectedRows ?? 0) === 1) return;
  }
  const fresh = { jobKey: `domain_events:${randomUUID()}`, eventIds: [eventId] };
  buckets.set(bucket, fresh);
  await addJob(
    db,
    'domain_event.dispatch',
    { eventIds: fresh.eventIds },
    { queueName, jobKey: fresh.jobKey },
  );
}

export async function emitEvent(db: Executor, context: EventContext, event: DomainEvent): Promise<string> {
  const values = {
    type: event.type,
    entity_type: event.entityType,
    entity_id: event.entityId,
    payload: JSON.stringify(event.payload ?? {}),
    actor_id: context.actorId,
    request_id: context.requestId,
  };
  let id: string;
  if (event.audience) {
    // The event and its live notice (publishLive's format, with the new event's id) in one
    // statement: a round trip less for every event a browser may see.
    const notice: Omit<LiveNotice, 'eventId'> = {
      type: event.type,
      entityType: event.entityType,
      entityId: event.entityId,
      audience: event.audience,
    };
    const inserted = await sql<{ id: string }>`
      WITH event AS (${db.insertInto('domain_events').values(values).returning('id')})
      SELECT event.id, pg_notify(${LIVE_CHANNEL},
        (${JSON.stringify(notice)}::jsonb || jsonb_build_object('eventId', event.id::text))::text)
      FROM event`.execute(db);
    id = inserted.rows[0]?.id as string;
  } else {
    id = (await db.insertInto('domain_events').values(values).returning('id').executeTakeFirstOrThrow()).id;
  }
  await queueDispatch(db, id, bucketOf(event.entityType, event.entityId));
  return id;
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
