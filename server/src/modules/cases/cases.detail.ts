// Opening a case: the case with its summary, followers, links, merged and follow-up cases and
// the timeline with its attachments, read in one statement (JSON sub-selects), then the
// rights check and, for a merged case's number, the case it leads to. Customers never
// receive internal entries: the timeline leaves them out in SQL, not after.
import { type ExpressionBuilder, sql } from 'kysely';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';
import type { Database, Executor } from '../../platform/database.js';
import { errors } from '../../platform/errors.js';
import type { Principal } from '../identity/index.js';
import { toAttachmentView } from './attachments/index.js';
import { caseRefKey } from './cases.access.js';
import { mayReadCase } from './cases.policy.js';
import { toMessageView } from './cases.queries.js';
import type { CaseDetail } from './cases.schemas.js';
import { summaryQuery, toSummary } from './cases.summaries.js';

type Outer = ExpressionBuilder<Database & { c: Database['cases'] }, 'c'>;

/** Nothing for customers: followers and links are staff matters. */
const staffOnly = (principal: Principal) => sql<boolean>`${sql.lit(principal.kind !== 'customer')}`;

function timeline(eb: Outer, principal: Principal) {
  let messages = eb
    .selectFrom('case_messages as m')
    .select((m) => [
      'm.id',
      'm.kind',
      'm.internal',
      'm.author_kind',
      'm.author_id',
      'm.author_name',
      'm.channel',
      'm.body_text',
      'm.body_html',
      'm.quoted_text',
      'm.call',
      'm.created_at',
      jsonArrayFrom(
        m
          .selectFrom('case_attachments as a')
          .select(['a.id', 'a.filename', 'a.mime_type', 'a.size'])
          .whereRef('a.message_id', '=', 'm.id')
          .orderBy('a.created_at')
          .orderBy('a.id'),
      ).as('attachments'),
    ])
    // Merged cases' messages were moved here; the timeline is this case's messages.
    .whereRef('m.case_id', '=', 'c.id')
    .orderBy('m.created_at')
    .orderBy('m.id');
  if (principal.kind === 'customer') messages = messages.where('m.internal', '=', false);
  return jsonArrayFrom(messages).as('timeline');
}

function detailQuery(db: Executor, principal: Principal, key: NonNullable<ReturnType<typeof caseRefKey>>) {
  const source = db.selectFrom('cases').selectAll('cases').where(`cases.${key.column}`, '=', key.value);
  return summaryQuery(db, source).select((eb) => [
    jsonArrayFrom(
      eb
        .selectFrom('case_followers as f')
        .leftJoin('users as follower', (join) =>
          join.onRef('follower.id', '=', 'f.user_id').on('follower.kind', '=', 'staff'),
        )
        .select(['f.user_id as id', sql<string>`coalesce(follower.name, '')`.as('name')])
        .whereRef('f.case_id', '=', 'c.id')
        .where(staffOnly(principal)),
    ).as('followers'),
    jsonArrayFrom(
      eb
        .selectFrom('case_links as l')
        .innerJoin('cases as linked', 'linked.id', 'l.linked_case_id')
        .select(['linked.id', 'linked.number', 'linked.subject', 'linked.status'])
        .whereRef('l.case_id', '=', 'c.id')
        .where(staffOnly(principal)),
    ).as('links'),
    jsonObjectFrom(
      eb
        .selectFrom('cases as origin')
        .select(['origin.id', 'origin.number'])
        .whereRef('origin.id', '=', 'c.follow_up_of_id'),
    ).as('follow_up_of'),
    jsonArrayFrom(
      eb
        .selectFrom('cases as merged')
        .select(['merged.id', 'merged.number'])
        .whereRef('merged.merged_into_id', '=', 'c.id'),
    ).as('merged_from'),
    timeline(eb, principal),
  ]);
}

/** The case (following merges) as this principal may see it, or the 404 that unknown cases get. */
export async function openCase(db: Executor, principal: Principal, ref: string): Promise<CaseDetail> {
  const key = caseRefKey(ref);
  let row = key ? await detailQuery(db, principal, key).executeTakeFirst() : undefined;
  if (!row || !mayReadCase(principal, row)) throw errors.notFound('case');
  let redirectedFrom: string | null = null;
  for (let hops = 0; row.merged_into_id && hops < 10; hops++) {
    redirectedFrom ??= row.number;
    const target = await detailQuery(db, principal, {
      column: 'id',
      value: row.merged_into_id,
    }).executeTakeFirst();
    if (!target || !mayReadCase(principal, target)) throw errors.notFound('case');
    row = target;
  }
  const followers = row.followers;
  return {
    ...toSummary(row, principal),
    followers,
    links: row.links,
    followUpOf: row.follow_up_of,
    mergedFrom: row.merged_from,
    redirectedFrom,
    viewerIsFollower: principal.kind === 'staff' && followers.some((f) => f.id === principal.userId),
    // JSON has no dates: timestamps arrive as text and leave as ISO strings like every other.
    timeline: row.timeline.map((message) =>
      toMessageView(
        { ...message, created_at: new Date(message.created_at) },
        message.attachments.map(toAttachmentView),
      ),
    ),
  };
}
