// Job workers in processes of their own (WORKER_PROCESSES): main.ts starts them beside the
// HTTP server and SMTP receiver so that receiving and processing use a core each instead of
// sharing one event loop. They take jobs from the same PostgreSQL queue as any other worker
// (graphile-worker), so nothing here is shared in memory; a child that dies is started again.
import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import type { Logger } from 'pino';
import type { JobWorker } from './jobs.js';

/** The worker entry beside main: `worker.js` in dist, `worker.ts` when run through tsx. */
export const workerEntry = path.join(
  import.meta.dirname,
  '..',
  `worker${path.extname(import.meta.filename)}`,
);

const RESTART_DELAY_MS = 1_000;
const STOP_TIMEOUT_MS = 30_000;

export function startWorkerProcesses(options: {
  count: number;
  /** The database the children work on (the embedded cluster's connection string too). */
  databaseUrl: string;
  log: Logger;
}): JobWorker {
  const log = options.log.child({ component: 'worker-processes' });
  const children = new Set<ChildProcess>();
  let stopping = false;

  const start = (slot: number) => {
    const child = fork(workerEntry, [], {
      env: { ...process.env, DATABASE_URL: options.databaseUrl, PITWALL_WORKER_SLOT: String(slot) },
      stdio: 'inherit',
    });
    children.add(child);
    child.once('exit', (code, signal) => {
      children.delete(child);
      if (stopping) return;
      log.error({ slot, code, signal }, 'a job worker process ended; starting it again');
      setTimeout(() => {
        if (!stopping) start(slot);
      }, RESTART_DELAY_MS).unref();
    });
  };
  for (let slot = 1; slot <= options.count; slot++) start(slot);
  log.info({ processes: options.count }, 'job worker processes started');

  return {
    isRunning: () => !stopping && children.size === options.count,
    stop: async () => {
      stopping = true;
      await Promise.all(
        [...children].map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve();
              const killer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
              child.once('exit', () => {
                clearTimeout(killer);
                resolve();
              });
              child.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}
