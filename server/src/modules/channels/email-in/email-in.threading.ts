// Which case a mail answers: its In-Reply-To and References matched against the Message-IDs
// Pitwall has stored (customer mail as the message's external id, Pitwall's own replies in
// the outbox and, by the sending side, in external_id too), then a case number in the
// subject ("[PW-2026-000123]") as the fallback.
//
// Boundary note: the cases module has no reader for "case of this Message-ID" yet, so this
// reads case_messages.external_id (indexed, unique) directly. It is the same value as
// case_messages.email->>'messageId' for every mail message, and that JSON field has no index.

import { sql } from 'kysely';
import type { Executor } from '../../../platform/database.js';
import { isCaseNumber } from '../../cases/index.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: PostgreSQL text cannot hold NUL
const MESSAGE_ID = /<[^<>\s\u0000]{1,900}>/g;
const CASE_TOKEN = /\[\s*(PW-\d{4}-\d{6,})\s*\]/i;

/** Message-IDs a reply names, nearest first (In-Reply-To, then References from the newest). */
export function referencedMessageIds(inReplyTo: string | null, references: string[]): string[] {
  const ids = [
    ...(inReplyTo?.match(MESSAGE_ID) ?? []),
    ...references.flatMap((r) => r.match(MESSAGE_ID) ?? []).reverse(),
  ];
  return [...new Set(ids)].slice(0, 50);
}

export function caseNumberInSubject(subject: string): string | null {
  const match = CASE_TOKEN.exec(subject);
  const number = match?.[1]?.toUpperCase() ?? null;
  return number && isCaseNumber(number) ? number : null;
}

/**
 * The cases of Message-IDs (of one mail's references, or of a whole batch's): case messages
 * first, then Pitwall's own replies (outbox), then other mail already processed, in one
 * statement. Message-ID → case id, for the ids known.
 */
export async function casesOfMessageIds(db: Executor, ids: readonly string[]): Promise<Map<string, string>> {
  const byId = new Map<string, string>();
  if (ids.length === 0) return byId;
  const unique = [...new Set(ids)];
  const rows = await db
    .selectFrom('case_messages')
    .select(['case_id', 'external_id as message_id', sql<number>`0`.as('source')])
    .where('external_id', '=', sql<string>`any(${unique}::text[])`)
    .unionAll(
      db
        .selectFrom('outbox_messages')
        .select(['case_id', 'message_id', sql<number>`1`.as('source')])
        .where('message_id', '=', sql<string>`any(${unique}::text[])`)
        .where('case_id', 'is not', null)
        .$narrowType<{ case_id: string }>(),
    )
    .unionAll(
      db
        .selectFrom('inbound_emails')
        .select(['case_id', 'message_id', sql<number>`2`.as('source')])
        .where('message_id', '=', sql<string>`any(${unique}::text[])`)
        .where('case_id', 'is not', null)
        .$narrowType<{ case_id: string }>(),
    )
    .execute();
  for (const row of rows.sort((a, b) => a.source - b.source))
    if (row.message_id && row.case_id && !byId.has(row.message_id)) byId.set(row.message_id, row.case_id);
  return byId;
}

/** The case a mail answers: its nearest reference (`referencedMessageIds`' order) that is known. */
export function caseOfReferences(
  known: ReadonlyMap<string, string>,
  references: readonly string[],
): string | null {
  for (const id of references) {
    const caseId = known.get(id);
    if (caseId) return caseId;
  }
  return null;
}
