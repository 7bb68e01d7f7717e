// Domain events: written in the same transaction as the change that causes them,
// then handled by jobs. Each handler run is recorded (event, handler), so a retry of one
// handler never repeats another and a handler that runs twice is a no-op.
import type { Task, TaskList } from 'graphile-worker';
import { type Compilable, type RawBuilder, sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db, Executor, Transaction } from './database.js';
import { addJob, asyncCommitTransaction, prepareJobQueues } from './jobs.js';
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
const queueOf = (bucket: number) => `events:${bucket}`;
function bucketOf(entityType: string, entityId: string): number {
  let hash = 0;
  for (const char of `${entityType}:${entityId}`) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return Math.abs(hash) % ORDERING_BUCKETS;
}

/** A statement run inside the event's (a builder or SQL text). */
export type Write = Compilable | RawBuilder<unknown> | Guard;

/**
 * A write the whole change depends on: it must return a row (its RETURNING), or the change is
 * void. The statement still runs; `emitEvents` then throws GuardMissed, so the caller's
 * transaction rolls back (e.g. "the mail is still unprocessed").
 */
export interface Guard {
  guard: Compilable | RawBuilder<unknown>;
}

export class GuardMissed extends Error {
  constructor() {
    super('a guarded write found no row: the change was made meanwhile');
  }
}

export interface EmitOptions {
  /** Writes that belong with the event (the change's audit entry), run in the same statement. */
  together?: Write | readonly Write[];
}

const DISPATCH_TASK = 'domain_event.dispatch';

/** The event types some handler handles; null: not told, every event is dispatched. */
let handledTypes: ReadonlySet<string> | null = null;

/**
 * Tells this process which event types have handlers (the composition root's list, the same in
 * every process: main.ts and worker.ts call it at start). An event no handler handles is still
 * stored, with its live notice and audit entry, but gets no dispatch job: a new mail sender's
 * `customer.created` cost a job, a pick-up, a transaction and a completion for nothing. A
 * process never told dispatches everything. A handler added for a type later sees that type's
 * events from the release that adds it on (only its processes dispatch them).
 */
export function setHandledEventTypes(types: Iterable<string> | null): void {
  handledTypes = types === null ? null : new Set(types);
}

export function isDispatched(type: string): boolean {
  return handledTypes === null || handledTypes.has(type);
}

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
  return (await emitEvents(db, context, [{ event, together: options.together }]))[0] as string;
}

export interface EventWrite {
  event: DomainEvent;
  together?: EmitOptions['together'];
}

/**
 * Several events (of one change or of changes made together, such as a case opened with its
 * first message), each with its `together` write, in one statement per ordering bucket; their
 * ids come back in the order given, which is the order handlers see them in.
 */
export async function emitEvents(
  db: Executor,
  context: EventContext,
  items: readonly EventWrite[],
): Promise<string[]> {
  const ids: string[] = new Array(items.length);
  const buckets = new Map<number, number[]>();
  items.forEach(({ event }, index) => {
    const bucket = bucketOf(event.entityType, event.entityId);
    buckets.set(bucket, [...(buckets.get(bucket) ?? []), index]);
  });
  for (const [bucket, indexes] of buckets) {
    const written = await emitInBucket(
      db,
      context,
      bucket,
      indexes.map((index) => items[index] as EventWrite),
    );
    for (const [position, index] of indexes.entries()) ids[index] = written[position] as string;
  }
  return ids;
}

function noticeOf(event: DomainEvent, audience: LiveAudience): Omit<LiveNotice, 'eventId'> {
  return { type: event.type, entityType: event.entityType, entityId: event.entityId, audience };
}

/** The dispatch task's queue rows, created at start (`prepareJobQueues`). */
export function prepareEventQueues(db: Executor): Promise<void> {
  return prepareJobQueues(
    db,
    DISPATCH_TASK,
    Array.from({ length: ORDERING_BUCKETS }, (_, bucket) => queueOf(bucket)),
  );
}

async function emitInBucket(
  db: Executor,
  context: EventContext,
  bucket: number,
  items: readonly EventWrite[],
): Promise<string[]> {
  const queueName = queueOf(bucket);
  // The events as one JSON parameter (no statement text per event count to compile), each with
  // its live notice in publishLive's format, the new event's id added in SQL.
  const input = items.map(({ event }, n) => ({
    n,
    type: event.type,
    entity_type: event.entityType,
    entity_id: event.entityId,
    payload: event.payload ?? {},
    notice: event.audience ? noticeOf(event, event.audience) : null,
  }));
  const writes = items.flatMap(({ together }) => [together ?? []].flat());
  const together = writes.map(
    (write, n) => sql`${sql.id(`together_${n}`)} AS (${'guard' in write ? write.guard : write}),`,
  );
  const guarded = writes.flatMap((write, n) =>
    'guard' in write ? [sql`(SELECT count(*) FROM ${sql.id(`together_${n}`)})`] : [],
  );
  const jobKey = sql`'domain_events:' || pg_current_xact_id()::text || ':' || ${bucket}::text`;
  // No handler for any of them: no dispatch job (`setHandledEventTypes`).
  const dispatched = items.some(({ event }) => isDispatched(event.type));
  const job = dispatched
    ? sql`job AS (
      INSERT INTO graphile_worker._private_jobs AS jobs (job_queue_id, task_id, payload, max_attempts, key)
      SELECT queues.id, tasks.id,
        json_build_object('eventIds', (SELECT json_agg(event.id::text ORDER BY event.id) FROM event)), 10, ${jobKey}
      FROM graphile_worker._private_tasks tasks
      JOIN graphile_worker._private_job_queues queues ON queues.queue_name = ${queueName}
      WHERE tasks.identifier = ${DISPATCH_TASK}
      ON CONFLICT (key) DO UPDATE
        SET payload = json_build_object('eventIds',
          (jobs.payload::jsonb -> 'eventIds') || (excluded.payload::jsonb -> 'eventIds'))
        WHERE jobs.locked_at IS NULL
      RETURNING xmax = 0 AS is_new)`
    : sql`job AS (SELECT true AS is_new WHERE false)`;
  // Ids are drawn in the given order (PostgreSQL evaluates a volatile target after ORDER BY).
  const inserted = await sql<{ ids: string[]; dispatch_key: string; queued: string; guarded: string[] }>`
    WITH ${sql.join(together, sql` `)} input AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(input)}::jsonb)
        AS input(n int, type text, entity_type text, entity_id text, payload jsonb, notice jsonb)),
    numbered AS (SELECT n, nextval('domain_events_id_seq') AS id FROM input ORDER BY n),
    event AS (
      INSERT INTO domain_events (id, type, entity_type, entity_id, payload, actor_id, request_id)
      SELECT numbered.id, input.type, input.entity_type, input.entity_id, input.payload,
        ${context.actorId}::uuid, ${context.requestId}::text
      FROM input JOIN numbered USING (n)
      RETURNING id),
    ${job}
    SELECT (SELECT array_agg(event.id::text ORDER BY event.id) FROM event) AS ids, ${jobKey} AS dispatch_key,
      (SELECT count(*) FROM job) AS queued,
      (SELECT count(pg_notify('jobs:insert', '{"r":' || random()::text || ',"count":1}')) FROM job WHERE is_new) AS woke,
      (SELECT count(pg_notify(${LIVE_CHANNEL}, (input.notice || jsonb_build_object('eventId', numbered.id::text))::text))
        FROM input JOIN numbered USING (n) WHERE input.notice IS NOT NULL) AS live,
      ARRAY[${sql.join([...guarded, sql`1`])}]::bigint[] AS guarded`.execute(db);
  const row = inserted.rows[0] as { ids: string[]; dispatch_key: string; queued: string; guarded: string[] };
  if (row.guarded.some((count) => Number(count) === 0)) throw new GuardMissed();
  if (dispatched && Number(row.queued) === 0)
    await addJob(db, DISPATCH_TASK, { eventIds: row.ids }, { queueName, jobKey: row.dispatch_key });
  return row.ids;
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
    // The commit does not wait for the WAL flush (see `asyncCommitTransaction`), set by the
    // first statement itself: a round trip less per dispatch than SET LOCAL.
    const deliver = (guarded: boolean) =>
      db.transaction().execute(async (trx) => {
        const rows = await trx
          .selectFrom('domain_events')
          .selectAll()
          .select(sql<string>`set_config('synchronous_commit', 'off', true)`.as('async_commit'))
          .where('id', 'in', ids)
          .orderBy('id')
          .execute();
        const events: DomainEventRow[] = rows.map(({ async_commit: _, ...event }) => event);
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
