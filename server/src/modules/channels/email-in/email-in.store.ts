// The one way a mail enters Pitwall: its raw bytes and the job that processes it are
// committed in one transaction, and only then is the mail acknowledged (SMTP 250, IMAP
// \Seen). A crash before the commit loses nothing the sender was told we have.
import { createHash } from 'node:crypto';
import type { Executor, Transaction } from '../../../platform/database.js';
import { addJob } from '../../../platform/jobs.js';
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

export async function queueProcessing(db: Executor, inboundEmailId: string, raw: Buffer): Promise<void> {
  await addJob(db, PROCESS_TASK, { inboundEmailId }, { maxAttempts: 5, queueName: processingQueue(raw) });
}

/** Stores a received mail and queues its processing; `alsoInTransaction` runs in the same transaction. */
export async function storeInboundEmail(
  db: Executor,
  input: StoreInput,
  alsoInTransaction?: (trx: Transaction) => Promise<void>,
): Promise<StoreResult> {
  const rawSha256 = sha256Hex(input.raw);
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
      const existing = await trx
        .selectFrom('inbound_emails')
        .select('id')
        .where('mailbox_id', '=', input.mailboxId)
        .where('raw_sha256', '=', rawSha256)
        .executeTakeFirstOrThrow();
      result = { id: existing.id, stored: false };
    }
    if (alsoInTransaction) await alsoInTransaction(trx);
    return result;
  });
}
