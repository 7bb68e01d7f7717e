// graphile-worker leaves the jobs of a worker that died without stopping (kill -9, a power
// cut, an OOM kill) locked for four hours, and with them their named queue: every later
// domain event of the entities hashed onto that queue would wait that long. So each worker
// process holds a PostgreSQL advisory lock per worker id on a connection of its own while it
// lives; PostgreSQL releases those locks when the session ends, however the process ended.
// A sweep (at start and every few seconds, on every process) looks at the ids holding jobs
// or queues: an id whose advisory lock can be taken has no living owner, and its jobs and
// queues are handed back (graphile_worker.force_unlock_workers) to run again. Handlers are
// idempotent, so a job that was half done when its worker died is simply done again.
import { EventEmitter } from 'node:events';
import type { WorkerEvents } from 'graphile-worker';
import pg from 'pg';
import type { Logger } from 'pino';

/** First key of the two-key advisory locks: only Pitwall's worker ids live under it. */
const LOCK_SPACE = 0x70770001;
/** Locks younger than this are left alone: their worker may be taking its advisory lock right now. */
const GRACE_SECONDS = 10;

export interface WorkerRecovery {
  /** Pass to graphile-worker's `run({ events })` so every worker id is claimed as it is created. */
  events: WorkerEvents;
  /** One sweep now; resolves to the worker ids whose jobs were handed back. */
  sweep(): Promise<string[]>;
  stop(): Promise<void>;
}

export async function startWorkerRecovery(options: {
  connectionString: string;
  log: Logger;
  intervalMs?: number;
  /** How old a lock must be before its owner is checked (tests use 0). */
  graceSeconds?: number;
}): Promise<WorkerRecovery> {
  const log = options.log.child({ component: 'jobs-recovery' });
  const claimed = new Set<string>();
  let holder: pg.Client | null = null;
  let stopped = false;

  // Workers are created together: their lock statements go one after another on the connection.
  let statements: Promise<unknown> = Promise.resolve();
  const onHolder = (text: string, id: string) => {
    const next = statements.then(() => holder?.query(text, [LOCK_SPACE, id]));
    statements = next.catch(() => undefined);
    return next;
  };
  const claim = async (id: string) => {
    claimed.add(id);
    await onHolder('SELECT pg_advisory_lock($1, hashtext($2))', id);
  };
  const release = async (id: string) => {
    claimed.delete(id);
    await onHolder('SELECT pg_advisory_unlock($1, hashtext($2))', id).catch(() => {});
  };

  const connectHolder = async () => {
    const client = new pg.Client({
      connectionString: options.connectionString,
      application_name: 'pitwall-worker-locks',
    });
    client.on('error', (error) => {
      log.warn({ err: error }, 'worker lock connection lost; reconnecting');
      holder = null;
      if (!stopped) setTimeout(() => void connectHolder().catch(() => {}), 1000);
    });
    await client.connect();
    for (const id of claimed)
      await client.query('SELECT pg_advisory_lock($1, hashtext($2))', [LOCK_SPACE, id]);
    holder = client;
  };
  await connectHolder();

  const events = new EventEmitter() as WorkerEvents;
  events.on('pool:create', ({ workerPool }) => void claim(workerPool.id).catch(() => {}));
  events.on('pool:release', ({ workerPool }) => void release(workerPool.id));
  events.on('worker:create', ({ worker }) => void claim(worker.workerId).catch(() => {}));
  events.on('worker:release', ({ worker }) => void release(worker.workerId));

  const sweeper = new pg.Client({
    connectionString: options.connectionString,
    application_name: 'pitwall-worker-sweep',
  });
  sweeper.on('error', (error) => log.warn({ err: error }, 'worker sweep connection lost'));
  await sweeper.connect();

  const sweep = async (): Promise<string[]> => {
    const { rows } = await sweeper.query<{ locked_by: string }>(
      `SELECT locked_by FROM graphile_worker._private_jobs
        WHERE locked_by IS NOT NULL AND locked_at < now() - make_interval(secs => $1)
       UNION
       SELECT locked_by FROM graphile_worker._private_job_queues
        WHERE locked_by IS NOT NULL AND locked_at < now() - make_interval(secs => $1)`,
      [options.graceSeconds ?? GRACE_SECONDS],
    );
    const dead: string[] = [];
    for (const { locked_by: id } of rows) {
      if (claimed.has(id)) continue;
      const probe = await sweeper.query<{ free: boolean }>(
        'SELECT pg_try_advisory_lock($1, hashtext($2)) AS free',
        [LOCK_SPACE, id],
      );
      if (!probe.rows[0]?.free) continue;
      try {
        await sweeper.query('SELECT graphile_worker.force_unlock_workers($1::text[])', [[id]]);
        dead.push(id);
      } finally {
        await sweeper.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_SPACE, id]);
      }
    }
    if (dead.length > 0)
      log.warn({ workers: dead }, 'handed back the jobs of workers that died without stopping');
    return dead;
  };

  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = sweep().catch((error: unknown) => log.warn({ err: error }, 'worker sweep failed'));
  }, options.intervalMs ?? 15_000);
  timer.unref();

  return {
    events,
    sweep,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
      await sweeper.end().catch(() => {});
      const client = holder;
      holder = null;
      await client?.end().catch(() => {});
    },
  };
}
