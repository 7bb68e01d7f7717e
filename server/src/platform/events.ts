// Domain events: written in the same transaction as the change that causes them,
// then handled by jobs. Each handler runs as its own job and records that it ran, so
// a retry of one handler never repeats another and a handler that runs twice is a no-op.
import type { Task, TaskList } from 'graphile-worker';
import type { Db, Executor, Transaction } from './database.js';
import { addJob } from './jobs.js';
import { type LiveAudience, publishLive } from './live.js';
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

export async function emitEvent(db: Executor, context: EventContext, event: DomainEvent): Promise<string> {
  const row = await db
    .insertInto('domain_events')
    .values({
      type: event.type,
      entity_type: event.entityType,
      entity_id: event.entityId,
      payload: JSON.stringify(event.payload ?? {}),
      actor_id: context.actorId,
      request_id: context.requestId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await addJob(
    db,
    'domain_event.dispatch',
    { eventId: row.id },
    { queueName: `events:${bucketOf(event.entityType, event.entityId)}` },
  );
  if (event.audience) {
    await publishLive(db, {
      type: event.type,
      entityType: event.entityType,
      entityId: event.entityId,
      eventId: row.id,
      audience: event.audience,
    });
  }
  return row.id;
}

/** The job tasks that deliver events to the handlers of every module. */
export function eventTasks(db: Db, handlers: readonly EventHandler[]): TaskList {
  const byName = new Map(handlers.map((handler) => [handler.name, handler]));
  const dispatch: Task = async (payload, helpers) => {
    const { eventId } = payload as { eventId: string };
    const event = await db
      .selectFrom('domain_events')
      .select('type')
      .where('id', '=', eventId)
      .executeTakeFirst();
    if (!event) return;
    for (const handler of handlers) {
      if (!handler.eventTypes.includes(event.type)) continue;
      await helpers.addJob('domain_event.handle', { eventId, handler: handler.name }, { maxAttempts: 10 });
    }
  };
  const handle: Task = async (payload) => {
    const { eventId, handler: name } = payload as { eventId: string; handler: string };
    const handler = byName.get(name);
    if (!handler) throw new Error(`No event handler named ${name}`);
    await db.transaction().execute(async (trx) => {
      const claimed = await trx
        .insertInto('event_handler_runs')
        .values({ event_id: eventId, handler: name })
        .onConflict((oc) => oc.doNothing())
        .returning('event_id')
        .executeTakeFirst();
      if (!claimed) return; // already handled: handlers may be delivered twice
      const event = await trx
        .selectFrom('domain_events')
        .selectAll()
        .where('id', '=', eventId)
        .executeTakeFirstOrThrow();
      await handler.handle(event, trx);
    });
  };
  return { 'domain_event.dispatch': dispatch, 'domain_event.handle': handle };
}
