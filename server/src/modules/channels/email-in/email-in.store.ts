// The one way a mail enters Pitwall: its raw bytes and the job that processes it are
// committed in one transaction, and only then is the mail acknowledged (SMTP 250, IMAP
// \Seen). A crash before the commit loses nothing the sender was told we have.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Executor, Transaction } from '../../../platform/database.js';
import { addJob, prepareJobQueues } from '../../../platform/jobs.js';
import type { InboundEnvelope } from './email-in.tables.js';

export const PROCESS_TASK = 'channels.process_inbound_email';

export interface StoreInput {
  mailboxId: string;
  source: 'smtp' | 'imap';
  raw: Buffer;
  envelope: InboundEnvelope;
}

export interface StoreResult {
  id: string;
  /** False when these exact bytes were already stored for this mailbox (a retry or refetch). */
  stored: boolean;
}

function inTransaction<T>(db: Executor, work: (trx: Transaction) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db as Transaction) : db.transaction().execute(work);
}

export function sha256Hex(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

const SENDER_QUEUES = 16;
const MAX_ATTEMPTS = 5;

/** The address in the From header, read from the raw header block without parsing the mail. */
export function fromHeaderAddress(raw: Buffer): string | null {
  const head = raw.subarray(0, 256 * 1024).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  const unfolded = (end >= 0 ? head.slice(0, end) : head).replace(/\r?\n[ \t]+/g, ' ');
  const from = /^from:(.*)$/im.exec(unfolded)?.[1] ?? '';
  const addresses = from.match(/[^\s<>"',;:]+@[^\s<>"',;:]+/g);
  return addresses?.[0]?.toLowerCase() ?? null;
}

/** Mail of one sender is processed one at a time, in order of arrival (a graphile-worker queue
 * per bucket): no two jobs create the same unknown contact or race on one Message-ID. */
export function processingQueue(raw: Buffer): string {
  const sender = fromHeaderAddress(raw) ?? '';
  let hash = 0;
  for (const char of sender) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return `email-in:${Math.abs(hash) % SENDER_QUEUES}`;
}

/** The processing task's queue rows, created at start (platform/jobs.ts `prepareJobQueues`). */
export function prepareProcessingQueues(db: Executor): Promise<void> {
  return prepareJobQueues(
    db,
    PROCESS_TASK,
    Array.from({ length: SENDER_QUEUES }, (_, n) => `email-in:${n}`),
  );
}

export async function queueProcessing(db: Executor, inboundEmailId: string, raw: Buffer): Promise<void> {
  await addJob(
    db,
    PROCESS_TASK,
    { inboundEmailId },
    { maxAttempts: MAX_ATTEMPTS, queueName: processingQueue(raw) },
  );
}

async function storedId(db: Executor, mailboxId: string, rawSha256: string): Promise<string> {
  const existing = await db
    .selectFrom('inbound_emails')
    .select('id')
    .where('mailbox_id', '=', mailboxId)
    .where('raw_sha256', '=', rawSha256)
    .executeTakeFirstOrThrow();
  return existing.id;
}

/**
 * The mail and its processing job in one statement, which commits on its own: no BEGIN and
 * COMMIT round trips around two statements (four round trips become one for every mail
 * received over SMTP). Written only when graphile-worker's task and queue rows exist (after
 * the first mail of a queue); otherwise nothing is written and `ready` is false, and the caller
 * takes the transaction with `add_job`, which creates them. The job row is written as
 * `addJob`'s one-statement path writes it (platform/jobs.ts), NOTIFY included.
 */
async function storeWithJob(db: Executor, input: StoreInput, rawSha256: string) {
  const result = await sql<{ ready: boolean; id: string | null }>`
    WITH target AS (
      SELECT tasks.id AS task_id, queues.id AS queue_id
      FROM graphile_worker._private_tasks tasks
      JOIN graphile_worker._private_job_queues queues ON queues.queue_name = ${processingQueue(input.raw)}
      WHERE tasks.identifier = ${PROCESS_TASK}
    ), mail AS (
      INSERT INTO inbound_emails (mailbox_id, source, raw, raw_sha256, size, envelope)
      SELECT ${input.mailboxId}::uuid, ${input.source}, ${input.raw}::bytea, ${rawSha256},
        ${input.raw.length}::integer, ${JSON.stringify(input.envelope)}::jsonb
      FROM target
      ON CONFLICT (mailbox_id, raw_sha256) DO NOTHING
      RETURNING id
    ), job AS (
      INSERT INTO graphile_worker._private_jobs (job_queue_id, task_id, payload, max_attempts)
      SELECT target.queue_id, target.task_id, json_build_object('inboundEmailId', mail.id), ${MAX_ATTEMPTS}
      FROM target, mail
      RETURNING id
    )
    SELECT EXISTS (SELECT FROM target) AS ready, mail.id,
      (SELECT count(pg_notify('jobs:insert', '{"r":' || random()::text || ',"count":1}')) FROM job) AS notified
    FROM (SELECT 1) one LEFT JOIN mail ON true`.execute(db);
  return result.rows[0] as { ready: boolean; id: string | null };
}

/** Stores a received mail and queues its processing; `alsoInTransaction` runs in the same transaction. */
export async function storeInboundEmail(
  db: Executor,
  input: StoreInput,
  alsoInTransaction?: (trx: Transaction) => Promise<void>,
): Promise<StoreResult> {
  const rawSha256 = sha256Hex(input.raw);
  if (!alsoInTransaction && !db.isTransaction) {
    const written = await storeWithJob(db, input, rawSha256);
    if (written.ready && written.id) return { id: written.id, stored: true };
    if (written.ready) return { id: await storedId(db, input.mailboxId, rawSha256), stored: false };
  }
  return inTransaction(db, async (trx) => {
    const inserted = await trx
      .insertInto('inbound_emails')
      .values({
        mailbox_id: input.mailboxId,
        source: input.source,
        raw: input.raw,
        raw_sha256: rawSha256,
        size: input.raw.length,
        envelope: JSON.stringify(input.envelope),
      })
      .onConflict((oc) => oc.columns(['mailbox_id', 'raw_sha256']).doNothing())
      .returning('id')
      .executeTakeFirst();
    let result: StoreResult;
    if (inserted) {
      await queueProcessing(trx, inserted.id, input.raw);
      result = { id: inserted.id, stored: true };
    } else {
      result = { id: await storedId(trx, input.mailboxId, rawSha256), stored: false };
    }
    if (alsoInTransaction) await alsoInTransaction(trx);
    return result;
  });
}
