// A worker killed with SIGKILL keeps its job and the job's queue locked in graphile-worker
// for four hours; the recovery hands them back as soon as the owner is gone, and never
// touches the jobs of a worker that is alive.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/database.js';
import { until } from '../test/until.js';
import { addJob } from './jobs.js';
import { startWorkerRecovery, type WorkerRecovery } from './jobs.recovery.js';

let database: TestDatabase;
let recovery: WorkerRecovery;
const children: ChildProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  recovery = await startWorkerRecovery({
    connectionString: database.url,
    log: pino({ level: 'silent' }),
    intervalMs: 3_600_000,
    graceSeconds: 0,
  });
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await recovery.stop();
  await database.drop();
});

function startHangingWorker(): Promise<ChildProcess> {
  const script = path.join(import.meta.dirname, 'testing', 'hanging-worker.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, database.url], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk;
      if (output.includes('worker ready')) resolve(child);
    });
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    child.on('exit', () => reject(new Error(`worker exited early:\n${output}`)));
  });
}

async function lockOf(queue: string) {
  const result = await sql<{ job_locked_by: string | null; queue_locked_by: string | null }>`
    SELECT j.locked_by AS job_locked_by, q.locked_by AS queue_locked_by
      FROM graphile_worker._private_jobs j
      JOIN graphile_worker._private_job_queues q ON q.id = j.job_queue_id
     WHERE q.queue_name = ${queue}
     ORDER BY j.id LIMIT 1`.execute(database.db);
  return result.rows[0];
}

describe('worker crash recovery', () => {
  it('hands back the job and queue of a worker killed with SIGKILL, and leaves a living one alone', async () => {
    const doomed = await startHangingWorker();
    await addJob(database.db, 'test.hang', {}, { queueName: 'entity-1' });
    await addJob(database.db, 'test.hang', {}, { queueName: 'entity-1' });
    const held = await until(async () => {
      const lock = await lockOf('entity-1');
      return lock?.job_locked_by ? lock : null;
    });
    expect(held.queue_locked_by).toBe(held.job_locked_by);

    // Alive: its advisory lock is held, so the sweep must not touch it.
    expect(await recovery.sweep()).toEqual([]);
    expect((await lockOf('entity-1'))?.job_locked_by).toBe(held.job_locked_by);

    await new Promise((resolve) => {
      doomed.once('exit', resolve);
      doomed.kill('SIGKILL');
    });
    // graphile-worker alone would keep these locked for four hours.
    expect((await lockOf('entity-1'))?.job_locked_by).toBe(held.job_locked_by);
    // The session that held the advisory lock ends with the process; the sweep may take a moment to see it.
    const handedBack = await until(async () => {
      const dead = await recovery.sweep();
      return dead.length > 0 ? dead : null;
    }, 10_000);
    expect(handedBack).toContain(held.job_locked_by);
    expect(await lockOf('entity-1')).toEqual({ job_locked_by: null, queue_locked_by: null });

    // A new worker picks the job up again.
    await startHangingWorker();
    const retaken = await until(async () => {
      const lock = await lockOf('entity-1');
      return lock?.job_locked_by ? lock : null;
    });
    expect(retaken.job_locked_by).not.toBe(held.job_locked_by);
  }, 60_000);
});
