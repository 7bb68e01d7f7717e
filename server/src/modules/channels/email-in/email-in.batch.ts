// The processing job (`channels.process_inbound_email`), one per stored mail, in the sender's
// queue (email-in.store.ts): mail of one sender is processed one at a time, in order. When
// mail arrives faster than it is processed, a job also takes the next mails waiting in its
// queue (up to BATCH_SIZE), processes them in order in one transaction and completes their
// jobs in that same commit. Batching saves a job pick-up, a completion and a
// commit per mail. When one mail fails, the transaction is done again with a savepoint per
// mail: a sibling that fails is rolled back to its savepoint and left to its own job, which
// retries or quarantines it exactly as if it had never been in a batch.
import type { Job, Task } from 'graphile-worker';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db, Executor } from '../../../platform/database.js';
import {
  AlreadyProcessed,
  loadStoredMails,
  type MailWrite,
  openMailBatch,
  prepareMails,
  quarantineOrRetry,
  writeMail,
} from './email-in.process.js';

/** Mails one job processes at most: its own and those waiting behind it in its queue. */
export const BATCH_SIZE = 25;
/** Raw bytes of the siblings a batch takes at most: large mails are processed one at a time,
 * so a queue full of 25 MB mails never holds 25 of them in memory at once. */
export const BATCH_BYTES = 2 * 1024 * 1024;

interface Sibling {
  jobId: string;
  inboundEmailId: string;
}

/** Jobs of the same task and priority waiting (not yet tried) behind this one in its named
 * queue. The queue is locked by this job, so no other worker takes them meanwhile (reads
 * graphile-worker's private table, as email-in.recovery.ts does; completes them with its public
 * complete_jobs). `priority =` and `run_at <= now()` let PostgreSQL read only the due jobs from
 * graphile-worker's (priority, run_at) index: without them it scanned the whole table, SLA
 * checks planned for later included (0.7 ms with 6,000 of them, growing with open cases). */
async function waitingBehind(db: Executor, job: Job, limit: number): Promise<Sibling[]> {
  if (job.job_queue_id === null || limit <= 0) return [];
  const result = await sql<{ job_id: string; inbound_email_id: string; size: number }>`
    SELECT waiting.job_id, mails.id::text AS inbound_email_id, mails.size
    FROM (
      SELECT jobs.id::text AS job_id, jobs.payload->>'inboundEmailId' AS inbound_email_id, jobs.priority,
        jobs.run_at, jobs.id
      FROM graphile_worker._private_jobs jobs
      WHERE jobs.is_available AND jobs.priority = ${job.priority} AND jobs.run_at <= now()
        AND jobs.job_queue_id = ${job.job_queue_id} AND jobs.task_id = ${job.task_id}
        AND jobs.id <> ${job.id} AND jobs.attempts = 0
      ORDER BY jobs.run_at, jobs.id
      LIMIT ${limit}
    ) waiting
    JOIN inbound_emails mails ON mails.id = waiting.inbound_email_id::uuid
    ORDER BY waiting.run_at, waiting.id`.execute(db);
  const siblings: Sibling[] = [];
  let bytes = 0;
  for (const row of result.rows) {
    bytes += row.size;
    if (bytes > BATCH_BYTES) break;
    siblings.push({ jobId: row.job_id, inboundEmailId: row.inbound_email_id });
  }
  return siblings;
}

export function processInboundTask(db: Db, log: Logger): Task {
  return async (payload, helpers) => {
    const { inboundEmailId } = payload as { inboundEmailId: string };
    let failure: { error: unknown } | null = null;
    const siblings = await waitingBehind(db, helpers.job, BATCH_SIZE - 1);
    const ids = [inboundEmailId, ...siblings.map((sibling) => sibling.inboundEmailId)];
    const mails = await loadStoredMails(db, ids);
    // Parse, classify and find the senders outside the transaction (an unknown sender's
    // contact is committed by the customers module on its own).
    const writes = new Map<string, MailWrite | null>();
    const prepared = await prepareMails(
      db,
      ids.map((id) => mails.get(id)),
    );
    for (const [index, id] of ids.entries()) {
      const write = prepared[index];
      if (!(write instanceof Error)) writes.set(id, write ?? null);
      else if (id === inboundEmailId) failure = { error: write };
      else log.debug({ inboundEmailId: id, err: write }, 'left to its own job');
    }
    // Optimistic: every mail without a savepoint; only when one fails is the transaction
    // done again with a savepoint around each mail. A mail processed meanwhile by another run
    // of its job (AlreadyProcessed) is done: rolled back to its savepoint and its job completed.
    // Each mail's last write also turns off the wait for the WAL flush at commit (`finish`).
    const write = (guarded: boolean) =>
      db.transaction().execute(async (trx) => {
        const completed: string[] = [];
        // Every mail's Message-ID claimed and its references looked up at once, before the first
        // is written. Guarded, each mail does its own inside its savepoint, so a mail whose ids
        // PostgreSQL refuses fails alone instead of holding up the batch behind it.
        const batch = guarded ? null : await openMailBatch(trx, [...writes.values()]);
        for (const [index, id] of ids.entries()) {
          if (!writes.has(id)) continue;
          const mailWrite = writes.get(id);
          const sibling = siblings[index - 1];
          if (guarded) await sql`SAVEPOINT inbound_mail`.execute(trx);
          try {
            if (mailWrite) await (batch ? mailWrite.write(trx, batch) : writeMail(trx, mailWrite));
            if (guarded) await sql`RELEASE SAVEPOINT inbound_mail`.execute(trx);
            if (sibling) completed.push(sibling.jobId);
          } catch (error) {
            if (!guarded) throw error;
            await sql`ROLLBACK TO SAVEPOINT inbound_mail`.execute(trx);
            if (error instanceof AlreadyProcessed) {
              if (sibling) completed.push(sibling.jobId);
            } else if (id === inboundEmailId) failure = { error };
            else log.debug({ inboundEmailId: id, err: error }, 'left to its own job');
          }
        }
        if (completed.length > 0)
          await sql`SELECT FROM graphile_worker.complete_jobs(${completed}::bigint[])`.execute(trx);
      });
    try {
      await write(false);
    } catch {
      await write(true);
    }
    if (failure)
      await quarantineOrRetry(db, log, inboundEmailId, (failure as { error: unknown }).error, {
        attempts: helpers.job.attempts,
        maxAttempts: helpers.job.max_attempts,
      });
  };
}
