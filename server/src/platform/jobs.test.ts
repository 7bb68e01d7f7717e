// Keyed jobs for later (SLA checks): written without waking the workers, with add_jobs' rules
// for a key that is already taken.
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/database.js';
import { createDb, type Executor } from './database.js';
import { addFutureJobs, addJob, asyncCommitTransaction, prepareJobQueues, removeJobs } from './jobs.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  // The task is known to graphile-worker once any job of it was added.
  await addJob(database.db, 'test.timer', {}, { runAt: new Date(Date.now() + 3_600_000), jobKey: 'seed' });
});
afterAll(async () => {
  await database.drop();
});

const inAnHour = (minutes = 0) => new Date(Date.now() + 3_600_000 + minutes * 60_000);

async function jobsWithKey(key: string) {
  const result = await sql<{ key: string | null; payload: { n: number }; run_at: Date }>`
    SELECT key, payload, run_at FROM graphile_worker._private_jobs
    WHERE key = ${key} OR payload->>'key' = ${key} ORDER BY id`.execute(database.db);
  return result.rows;
}

describe('addFutureJobs', () => {
  it('adds and replaces keyed jobs for later without waking the workers', async () => {
    const listener = new pg.Client({ connectionString: database.url });
    await listener.connect();
    const notices: string[] = [];
    listener.on('notification', (message) => notices.push(message.payload ?? ''));
    await listener.query('LISTEN "jobs:insert"');
    try {
      await addFutureJobs(database.db, [
        { task: 'test.timer', payload: { key: 'a', n: 1 }, runAt: inAnHour(), jobKey: 'a' },
        { task: 'test.timer', payload: { key: 'b', n: 1 }, runAt: inAnHour(), jobKey: 'b' },
      ]);
      await addFutureJobs(database.db, [
        { task: 'test.timer', payload: { key: 'a', n: 2 }, runAt: inAnHour(5), jobKey: 'a' },
      ]);
      await removeJobs(database.db, ['b']);
      await sql`SELECT pg_sleep(0.2)`.execute(database.db);
      // remove_job announces a removal (a negative count), which wakes no worker.
      expect(notices.filter((notice) => JSON.parse(notice).count > 0)).toEqual([]);
    } finally {
      await listener.end();
    }
    const [a, ...others] = await jobsWithKey('a');
    expect(others).toHaveLength(0);
    expect(a?.payload.n).toBe(2);
    expect(a?.run_at.getTime()).toBeGreaterThan(inAnHour(4).getTime());
    expect(await jobsWithKey('b')).toHaveLength(0);
  });

  it('leaves a running job with the key alone and adds a new one, as add_jobs does', async () => {
    await addFutureJobs(database.db, [
      { task: 'test.timer', payload: { key: 'running', n: 1 }, runAt: inAnHour(), jobKey: 'running' },
    ]);
    await sql`UPDATE graphile_worker._private_jobs SET locked_at = now(), locked_by = 'test'
      WHERE key = 'running'`.execute(database.db);
    await addFutureJobs(database.db, [
      { task: 'test.timer', payload: { key: 'running', n: 2 }, runAt: inAnHour(), jobKey: 'running' },
    ]);
    const rows = await jobsWithKey('running');
    expect(rows.map((row) => [row.key, row.payload.n])).toEqual([
      [null, 1],
      ['running', 2],
    ]);
  });

  it('adds jobs of a task never seen before and jobs already due through add_jobs', async () => {
    await addFutureJobs(database.db, [
      { task: 'test.new_timer', payload: { key: 'new', n: 1 }, runAt: inAnHour(), jobKey: 'new' },
      {
        task: 'test.timer',
        payload: { key: 'due', n: 1 },
        runAt: new Date(Date.now() - 1000),
        jobKey: 'due',
      },
    ]);
    expect(await jobsWithKey('new')).toHaveLength(1);
    expect(await jobsWithKey('due')).toHaveLength(1);
  });
});

describe('addJob', () => {
  it('writes a job due now in one statement once task and queue are known, and wakes one worker', async () => {
    const listener = new pg.Client({ connectionString: database.url });
    await listener.connect();
    const notices: string[] = [];
    listener.on('notification', (message) => notices.push(message.payload ?? ''));
    await listener.query('LISTEN "jobs:insert"');
    try {
      // First job of a new task and queue: add_job creates both.
      await addJob(database.db, 'test.now', { key: 'now-1' }, { queueName: 'test:q' });
      // Two in one transaction: two notices, not folded into one.
      await database.db.transaction().execute(async (trx) => {
        await addJob(trx, 'test.now', { key: 'now-2' }, { queueName: 'test:q', jobKey: 'now-2' });
        await addJob(trx, 'test.now', { key: 'now-3' }, { queueName: 'test:q' });
      });
      // A key already taken is replaced as add_job does.
      await addJob(database.db, 'test.now', { key: 'now-2', n: 2 }, { queueName: 'test:q', jobKey: 'now-2' });
      await sql`SELECT pg_sleep(0.2)`.execute(database.db);
      expect(notices.filter((notice) => JSON.parse(notice).count > 0)).toHaveLength(4);
    } finally {
      await listener.end();
    }
    const jobs = await sql<{
      payload: { key: string; n?: number };
      queue_name: string;
      max_attempts: number;
    }>`
      SELECT jobs.payload, queues.queue_name, jobs.max_attempts FROM graphile_worker._private_jobs jobs
      JOIN graphile_worker._private_tasks tasks ON tasks.id = jobs.task_id
      JOIN graphile_worker._private_job_queues queues ON queues.id = jobs.job_queue_id
      WHERE tasks.identifier = 'test.now' ORDER BY jobs.id`.execute(database.db);
    expect(jobs.rows).toEqual([
      { payload: { key: 'now-1' }, queue_name: 'test:q', max_attempts: 10 },
      { payload: { key: 'now-2', n: 2 }, queue_name: 'test:q', max_attempts: 10 },
      { payload: { key: 'now-3' }, queue_name: 'test:q', max_attempts: 10 },
    ]);
  });
});

describe('prepareJobQueues', () => {
  it('creates task and queue rows up front, so the first jobs of a queue in two open transactions do not wait for each other', async () => {
    await prepareJobQueues(database.db, 'test.prepared', ['test:p1', 'test:p2']);
    await prepareJobQueues(database.db, 'test.prepared', ['test:p1', 'test:p2']); // again: no error
    const queues = await sql<{ queue_name: string }>`
      SELECT queue_name FROM graphile_worker._private_job_queues WHERE queue_name LIKE 'test:p%'
      ORDER BY queue_name`.execute(database.db);
    expect(queues.rows.map((row) => row.queue_name)).toEqual(['test:p1', 'test:p2']);
    // Without the rows, the first addJob's add_job would insert the queue row uncommitted and
    // the second transaction would wait on it until the first one ends.
    let secondDone = false;
    await database.db.transaction().execute(async (first) => {
      await addJob(first, 'test.prepared', { n: 1 }, { queueName: 'test:p1' });
      const other = createDb(database.url, { max: 1 });
      try {
        await other.transaction().execute(async (second) => {
          await sql`SET LOCAL lock_timeout = '2s'`.execute(second);
          await addJob(second, 'test.prepared', { n: 2 }, { queueName: 'test:p1' });
          secondDone = true;
        });
      } finally {
        await other.destroy();
      }
    });
    expect(secondDone).toBe(true);
  });
});

describe('asyncCommitTransaction', () => {
  it('commits without waiting for the WAL flush and hands the connection back as it was', async () => {
    const setting = async (db: Executor) =>
      (await sql<{ value: string }>`SELECT current_setting('synchronous_commit') AS value`.execute(db))
        .rows[0]?.value;
    const inside = await asyncCommitTransaction(database.db, (trx) => setting(trx));
    expect(inside).toBe('off');
    // A one-connection pool: the next statement runs on the same connection.
    const single = createDb(database.url, { max: 1 });
    try {
      expect(await asyncCommitTransaction(single, (trx) => setting(trx))).toBe('off');
      expect(await setting(single)).toBe('on');
    } finally {
      await single.destroy();
    }
  });
});
