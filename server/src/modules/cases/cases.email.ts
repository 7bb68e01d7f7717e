// The mail thread of a case: which mail a reply answers, and the headers a sent reply carried,
// so the customer's answer to it (In-Reply-To) finds its way back to this case.
// `external_id` stays the inbound de-duplication key; outgoing ids live in `email` only.
import { sql } from 'kysely';
import type { Executor } from '../../platform/database.js';
import type { EmailHeaders } from './cases.tables.js';

export interface EmailThreadParent {
  messageId: string;
  references: string[];
}

/**
 * The customer's latest mail on the case; without one (a case opened in the portal or by
 * phone), the latest mail Pitwall sent on it, so our own replies still form one thread.
 */
export async function emailThreadOf(db: Executor, caseId: string): Promise<EmailThreadParent | null> {
  const row = await db
    .selectFrom('case_messages')
    .select('email')
    .where('case_id', '=', caseId)
    .where(sql<boolean>`email->>'messageId' IS NOT NULL`)
    .orderBy(sql`author_kind = 'customer'`, 'desc')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row?.email?.messageId) return null;
  return { messageId: row.email.messageId, references: row.email.references ?? [] };
}

/** Stores the headers a staff reply was mailed with on that message. */
export async function recordOutgoingEmail(
  db: Executor,
  messageId: string,
  headers: EmailHeaders,
): Promise<void> {
  await db
    .updateTable('case_messages')
    .set({ email: JSON.stringify(headers) })
    .where('id', '=', messageId)
    .execute();
}
