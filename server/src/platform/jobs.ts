// The job queue is graphile-worker on the same PostgreSQL. Jobs are added in SQL inside
// the caller's transaction, so a job exists exactly when the change that caused it commits.
import { type Runner, run, type Task, type TaskList } from 'graphile-worker';
import { type RawBuilder, sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db, Executor, Transaction } from './database.js';
import { startWorkerRecovery } from './jobs.recovery.js';
import { silentGraphileLogger } from './migrator.js';

export interface AddJobOptions {
  runAt?: Date;
  maxAttempts?: number;
  jobKey?: string;
  queueName?: string;
}

export async function addJob(
  db: Executor,
  task: string,
  payload: unknown,
  options: AddJobOptions = {},
): Promise<void> {
  if (!options.runAt && (await addDueJob(db, task, payload, options))) return;
  await sql`SELECT graphile_worker.add_job(
      identifier => ${task},
      payload => ${JSON.stringify(payload)}::json,
      queue_name => ${options.queueName ?? null},
      run_at => ${options.runAt ?? null},
      max_attempts => ${options.maxAttempts ?? 10},
      job_key => ${options.jobKey ?? null}
    )`.execute(db);
}

/**
 * A job due now, as `add_job` writes it but in one statement: `add_job` calls `add_jobs`, which
 * first upserts the task and the queue and clears keys of running jobs (four statements inside
 * PostgreSQL, on every mail stored and every event dispatch). The task and queue rows exist
 * after their first job; when one does not, or the key is taken, nothing is written here and
 * `add_job` does it all. The NOTIFY wakes a worker as `add_jobs` does (`r` keeps PostgreSQL from
 * folding two notices of one transaction into one).
 */
async function addDueJob(db: Executor, task: string, payload: unknown, options: AddJobOptions) {
  const queue = options.queueName ?? null;
  const result = await sql<{ id: string }>`
    WITH job AS (
      INSERT INTO graphile_worker._private_jobs (job_queue_id, task_id, payload, max_attempts, key)
      SELECT queues.id, tasks.id, ${JSON.stringify(payload)}::json, ${options.maxAttempts ?? 10},
        ${options.jobKey ?? null}
      FROM graphile_worker._private_tasks tasks
      LEFT JOIN graphile_worker._private_job_queues queues ON queues.queue_name = ${queue}
      WHERE tasks.identifier = ${task} AND (${queue}::text IS NULL OR queues.id IS NOT NULL)
      ON CONFLICT (key) DO NOTHING
      RETURNING id)
    SELECT id, pg_notify('jobs:insert', '{"r":' || random()::text || ',"count":1}') FROM job`.execute(db);
  return result.rows.length === 1;
}

/**
 * Creates graphile-worker's task row and named queue rows that a module's jobs will use, at
 * start, in one short statement of their own. Without them the first job of each queue goes
 * through `add_job`, which creates the queue row inside the caller's transaction: a mail
 * processing batch holds it uncommitted, and every other transaction that wants the queue waits
 * for that batch (seconds of stalled workers after each start of a fresh database).
 */
export async function prepareJobQueues(
  db: Executor,
  task: string,
  queueNames: readonly string[],
): Promise<void> {
  await sql`
    WITH task AS (
      INSERT INTO graphile_worker._private_tasks (identifier) VALUES (${task}) ON CONFLICT DO NOTHING)
    INSERT INTO graphile_worker._private_job_queues (queue_name)
    SELECT unnest(${queueNames}::text[]) ON CONFLICT DO NOTHING`.execute(db);
}

export interface FutureJob {
  task: string;
  payload: unknown;
  runAt: Date;
  jobKey: string;
  maxAttempts?: number;
}

/**
 * Adds or replaces keyed jobs that run later (timers such as SLA checks), without waking a
 * worker: `add_job`/`add_jobs` NOTIFY the workers for every job, and each woken idle worker asks
 * the queue for work and finds none, since these are not due yet; the workers' poll (every
 * second) takes them when they are. The common case is one upsert into graphile-worker's job
 * table with `add_jobs`' own conflict rule (replace a waiting job with the same key); whatever it
 * does not cover (a job with the key running or failed, the task never seen, a time already
 * past) goes through `add_jobs`, which handles those. One statement either way.
 */
export async function addFutureJobs(db: Executor, jobs: readonly FutureJob[]): Promise<void> {
  await writeWithKeyedJobs(db, { add: jobs });
}

/** Removes keyed jobs that are waiting (graphile-worker's `remove_job` for each key). */
export async function removeJobs(db: Executor, jobKeys: readonly string[]): Promise<void> {
  await writeWithKeyedJobs(db, { remove: jobKeys });
}

export interface KeyedJobWrites {
  /** Jobs for later to add or replace by key, as `addFutureJobs` does. */
  add?: readonly FutureJob[];
  /** Keys of jobs to remove, as `removeJobs` does; never a key that is also added. */
  remove?: readonly string[];
  /** The caller's own writes as data-modifying CTEs (`name AS (INSERT ...)`), on its own tables. */
  writes?: readonly RawBuilder<unknown>[];
}

/**
 * `addFutureJobs`, `removeJobs` and the caller's own writes in one statement of CTEs, so that a
 * change and the jobs that follow from it cost one round trip (the SLA engine saves a case's
 * clocks, their check jobs and its summary so). Every part of one statement sees the same
 * snapshot, so no part may rely on what another writes: the caller's writes are on its own
 * tables, a key is either added or removed, and `add_jobs` takes what the upsert left by its
 * RETURNING, not by reading the table. Nothing to write: no statement.
 */
export async function writeWithKeyedJobs(
  db: Executor,
  { add = [], remove = [], writes = [] }: KeyedJobWrites,
): Promise<void> {
  const ctes = [...writes];
  // Non-modifying CTEs run only when the statement reads them, so it reads their counts.
  const counts: RawBuilder<unknown>[] = [];
  if (add.length > 0) {
    ctes.push(...futureJobCtes(add));
    counts.push(sql`(SELECT added FROM late_jobs) AS added`);
  }
  if (remove.length > 0) {
    ctes.push(sql`removed_jobs AS (
      SELECT count(graphile_worker.remove_job(key)) AS removed FROM unnest(${remove}::text[]) AS key)`);
    counts.push(sql`(SELECT removed FROM removed_jobs) AS removed`);
  }
  if (ctes.length === 0) return;
  // Data-modifying CTEs run whether read or not.
  if (counts.length === 0) counts.push(sql`true AS written`);
  await sql`WITH ${sql.join(ctes)} SELECT ${sql.join(counts)}`.execute(db);
}

/**
 * The CTEs of `addFutureJobs`: the upsert (`future_jobs`) when every job is more than a second
 * away, then `add_jobs` for the jobs it did not write (`late_jobs`; all of them without the
 * upsert). `add_jobs` is not called for none: it would still NOTIFY.
 */
function futureJobCtes(jobs: readonly FutureJob[]): RawBuilder<unknown>[] {
  const specs = jobs.map((job) => ({
    identifier: job.task,
    payload: job.payload,
    run_at: job.runAt.toISOString(),
    max_attempts: job.maxAttempts ?? 10,
    job_key: job.jobKey,
  }));
  const now = Date.now();
  const upsert = jobs.every((job) => job.runAt.getTime() > now + 1000);
  const ctes = [
    sql`job_specs AS (
      SELECT * FROM json_to_recordset(${JSON.stringify(specs)}::json)
        AS spec(identifier text, payload json, run_at timestamptz, max_attempts integer, job_key text))`,
  ];
  if (upsert)
    ctes.push(sql`future_jobs AS (
      INSERT INTO graphile_worker._private_jobs AS jobs (task_id, payload, run_at, max_attempts, key)
      SELECT tasks.id, spec.payload, spec.run_at, spec.max_attempts, spec.job_key
      FROM job_specs spec
      JOIN graphile_worker._private_tasks tasks ON tasks.identifier = spec.identifier
      ON CONFLICT (key) DO UPDATE SET
        job_queue_id = excluded.job_queue_id, task_id = excluded.task_id, payload = excluded.payload,
        max_attempts = excluded.max_attempts, run_at = excluded.run_at, priority = excluded.priority,
        revision = jobs.revision + 1, flags = excluded.flags, attempts = 0, last_error = NULL,
        updated_at = now()
      WHERE jobs.locked_at IS NULL AND jobs.attempts < jobs.max_attempts
      RETURNING jobs.key)`);
  ctes.push(sql`late_jobs AS (
      SELECT CASE WHEN late.specs IS NULL THEN 0
        ELSE (SELECT count(*) FROM graphile_worker.add_jobs(late.specs)) END AS added
      FROM (
        SELECT array_agg(ROW(spec.identifier, spec.payload, NULL, spec.run_at, spec.max_attempts,
          spec.job_key, NULL, NULL)::graphile_worker.job_spec) AS specs
        FROM job_specs spec
        ${upsert ? sql`WHERE spec.job_key NOT IN (SELECT key FROM future_jobs)` : sql``}) AS late)`);
  return ctes;
}

/**
 * What a job writes can always be written again: when a crash loses its last commits, the job
 * itself (added by a durable commit) is still there and runs again, and handlers are idempotent.
 * So a job's transactions need not wait for the WAL flush (`synchronous_commit = off`, about
 * 2 ms per commit on this kind of disk): PostgreSQL writes WAL in order, so a lost commit takes
 * every later one with it, the job's completion included. Never for work whose commit is
 * promised to someone outside (the SMTP 250, an IMAP \Seen): those use `transaction()` as it is.
 * `SET LOCAL` ends with the transaction: one statement, and the pooled connection comes back
 * unchanged (a SET and RESET around a connection of its own cost two round trips per job).
 */
export function asyncCommitTransaction<T>(db: Db, work: (trx: Transaction) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`SET LOCAL synchronous_commit = off`.execute(trx);
    return work(trx);
  });
}

/** graphile-worker's own connections (taking, completing and failing jobs) commit the same way. */
export function asyncCommitConnectionString(connectionString: string): string {
  const url = new URL(connectionString);
  url.searchParams.set(
    'options',
    `${url.searchParams.get('options') ?? ''} -c synchronous_commit=off`.trim(),
  );
  return url.toString();
}

export interface JobWorker {
  isRunning(): boolean;
  stop(): Promise<void>;
}

export async function startJobWorker(options: {
  connectionString: string;
  tasks: TaskList;
  concurrency: number;
  log: Logger;
}): Promise<JobWorker> {
  const log = options.log.child({ component: 'jobs' });
  const wrapped: TaskList = Object.fromEntries(
    Object.entries(options.tasks).map(([name, task]) => [
      name,
      (async (payload, helpers) => {
        try {
          await (task as Task)(payload, helpers);
        } catch (error) {
          log.warn(
            { err: error, task: name, jobId: helpers.job.id, attempt: helpers.job.attempts },
            'job failed; it will be retried with backoff',
          );
          throw error;
        }
      }) satisfies Task,
    ]),
  );
  let running = true;
  // Jobs of workers that died without stopping are handed back (jobs.recovery.ts).
  const recovery = await startWorkerRecovery({ connectionString: options.connectionString, log });
  const runner: Runner = await run({
    events: recovery.events,
    connectionString: asyncCommitConnectionString(options.connectionString),
    concurrency: options.concurrency,
    taskList: wrapped,
    noHandleSignals: true,
    pollInterval: 1000,
    logger: silentGraphileLogger,
  });
  runner.promise.finally(() => {
    running = false;
  });
  void recovery.sweep().catch((error: unknown) => log.warn({ err: error }, 'worker sweep failed'));
  log.info({ concurrency: options.concurrency }, 'job worker started');
  return {
    isRunning: () => running,
    stop: async () => {
      await runner.stop();
      await recovery.stop();
      running = false;
    },
  };
}

export interface JobSummary {
  id: string;
  task: string;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  runAt: Date;
  createdAt: Date;
  payload: unknown;
}

/** Failed = every attempt used; retrying = still has attempts after an error. graphile-worker's
 * public `jobs` view lacks the payload, so this reads its tables (stable schema since 0.16). */
export async function listJobs(
  db: Executor,
  state: 'failed' | 'retrying' | 'pending',
): Promise<JobSummary[]> {
  const where =
    state === 'failed'
      ? sql`jobs.attempts >= jobs.max_attempts`
      : state === 'retrying'
        ? sql`jobs.attempts < jobs.max_attempts AND jobs.last_error IS NOT NULL`
        : sql`jobs.attempts < jobs.max_attempts`;
  const result = await sql<{
    id: string;
    task_identifier: string;
    attempts: number;
    max_attempts: number;
    last_error: string | null;
    run_at: Date;
    created_at: Date;
    payload: unknown;
  }>`SELECT jobs.id, tasks.identifier AS task_identifier, jobs.attempts, jobs.max_attempts, jobs.last_error,
        jobs.run_at, jobs.created_at, jobs.payload
      FROM graphile_worker._private_jobs jobs
      JOIN graphile_worker._private_tasks tasks ON tasks.id = jobs.task_id
      WHERE ${where} ORDER BY jobs.id DESC LIMIT 200`.execute(db);
  return result.rows.map((row) => ({
    id: String(row.id),
    task: row.task_identifier,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    lastError: row.last_error,
    runAt: row.run_at,
    createdAt: row.created_at,
    payload: row.payload,
  }));
}

/** Gives a job a fresh set of attempts and runs it now. Returns false when there is no such job. */
export async function retryJob(db: Executor, id: string): Promise<boolean> {
  const result = await sql<{ id: string }>`
    SELECT id FROM graphile_worker.reschedule_jobs(ARRAY[${id}::bigint], run_at => now(), attempts => 0)
  `.execute(db);
  return result.rows.length > 0;
}
