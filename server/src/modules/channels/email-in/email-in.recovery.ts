// After a crash (kill -9, power loss) graphile-worker keeps the dead worker's job locks for
// four hours, and with them the per-sender queues: stored mail would wait that long. A mail
// is processed in seconds, so a processing job locked for longer than STALE_SECONDS belongs
// to a dead worker; this releases it (and its queue) so a live worker picks it up again.
// Processing is idempotent (status check, Message-ID de-duplication), so a rare double run
// of a job that was only slow does no harm. Reads graphile-worker's private tables (stable
// since 0.16, as platform/jobs.ts does for the admin's job list).
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Executor } from '../../../platform/database.js';
import { PROCESS_TASK } from './email-in.store.js';

export const STALE_SECONDS = 30;

export async function releaseStaleProcessing(db: Executor, staleSeconds = STALE_SECONDS): Promise<number> {
  const result = await sql<{ id: string }>`
    WITH stale AS (
      UPDATE graphile_worker._private_jobs jobs SET locked_at = NULL, locked_by = NULL
      FROM graphile_worker._private_tasks tasks
      WHERE tasks.id = jobs.task_id AND tasks.identifier = ${PROCESS_TASK}
        AND jobs.locked_at < now() - make_interval(secs => ${staleSeconds})
      RETURNING jobs.id, jobs.job_queue_id
    ), queues AS (
      UPDATE graphile_worker._private_job_queues queues SET locked_at = NULL, locked_by = NULL
      WHERE queues.id IN (SELECT job_queue_id FROM stale)
      RETURNING queues.id
    )
    SELECT stale.id FROM stale LEFT JOIN queues ON true`.execute(db);
  return new Set(result.rows.map((row) => row.id)).size;
}

/** Checks now and every STALE_SECONDS / 2; returns the stop function. */
export function watchStaleProcessing(db: Executor, log: Logger): () => void {
  const check = () =>
    releaseStaleProcessing(db)
      .then((released) => {
        if (released > 0) log.warn({ released }, 'released mail processing jobs of a dead worker');
      })
      .catch((error: unknown) => log.warn({ err: error }, 'checking for stale mail processing failed'));
  void check();
  const timer = setInterval(check, (STALE_SECONDS / 2) * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
