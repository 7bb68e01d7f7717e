// A process that only runs jobs (domain events, mail processing, SLA checks, sending mail):
// `npm run worker` on a machine of its own, with the same DATABASE_URL, SECRET_KEY and mail
// settings as the API processes, or started by main.ts for WORKER_PROCESSES. It serves no HTTP,
// receives no mail and starts no database; SIGINT/SIGTERM finish the running jobs and stop.
import pino from 'pino';
import { dispatchHandledEvents, taskList } from './jobs.js';
import { loadConfigOrExit, mailSettings } from './platform/config.js';
import { createDb } from './platform/database.js';
import { startJobWorker } from './platform/jobs.js';

async function main() {
  const config = loadConfigOrExit();
  const log = pino({
    level: config.logLevel,
    base: { app: 'pitwall', process: 'worker', slot: process.env.PITWALL_WORKER_SLOT ?? null },
  });
  if (!config.databaseUrl) {
    log.fatal('DATABASE_URL is required for a worker process (main.ts passes its own database)');
    process.exit(1);
  }
  const db = createDb(config.databaseUrl, {
    max: Math.max(4, config.workerConcurrency + 2),
    onError: (error) => log.warn({ err: error }, 'idle database connection lost'),
  });
  const deps = { db, log, mail: mailSettings(config), publicUrl: config.publicUrl };
  dispatchHandledEvents(deps);
  const worker = await startJobWorker({
    connectionString: config.databaseUrl,
    concurrency: Math.max(1, config.workerConcurrency),
    log,
    tasks: taskList(deps),
  });
  let stopping = false;
  const stop = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ reason }, 'worker process stopping');
    await worker
      .stop()
      .catch((error: unknown) => log.warn({ err: error }, 'job worker did not stop cleanly'));
    await db.destroy().catch(() => {});
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  // Started by main.ts: when main goes (even by kill -9), so does this process.
  process.once('disconnect', () => void stop('main process gone'));
}

void main().catch((error: unknown) => {
  process.stderr.write(`worker process failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
