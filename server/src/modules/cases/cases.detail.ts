// Opening a case: the case with its summary, followers, links, merged and follow-up cases and
// the timeline with its attachments, read in one statement (JSON sub-selects), then the
// rights check and, for a merged case's number, the case it leads to. Customers never
// receive internal entries: the timeline leaves them out in SQL, not after.
import { type CompiledQuery, type ExpressionBuilder, sql } from 'kysely';
import { type Database, type Executor, Slot, statementsByShape } from '../../platform/database.js';
import { errors } from '../../platform/errors.js';
import type { Principal } from '../identity/index.js';
import { toAttachmentView } from './attachments/index.js';
import { caseRefKey } from './cases.access.js';
import { mayReadCase } from './cases.policy.js';
import { toMessageView } from './cases.queries.js';
import type { CaseDetail } from './cases.schemas.js';
import { jsonArray, jsonObject, toSummary, withSummary } from './cases.summaries.js';
import type { CaseStatus, CasesTable } from './cases.tables.js';

type Outer = ExpressionBuilder<Database & { c: CasesTable }, 'c'>;
type JsonAttachment = { id: string; filename: string; mime_type: string; size: number };
type JsonMessage = Omit<Parameters<typeof toMessageView>[0], 'created_at'> & {
  created_at: string;
  attachments: JsonAttachment[];
};

/** Nothing for customers: followers and links are staff matters. */
const staffOnly = (principal: Principal) => sql<boolean>`${sql.lit(principal.kind !== 'customer')}`;

// Each list is one aggregate over its rows, names and linked cases read by sub-selects:
// PostgreSQL plans that in half the time of the same lists built from joins and nested
// sub-queries, and planning is most of what this statement costs.

function timeline(eb: Outer, principal: Principal) {
  let messages = eb
    .selectFrom('case_messages as m')
    .select((m) => {
      const attachments = m
        .selectFrom('case_attachments as a')
        .select(
          jsonArray<JsonAttachment>(
            jsonObject({ id: 'a.id', filename: 'a.filename', mime_type: 'a.mime_type', size: 'a.size' }),
            ['a.created_at', 'a.id'],
          ).as('attachments'),
        )
        .whereRef('a.message_id', '=', 'm.id');
      const message = jsonObject({
        id: 'm.id',
        kind: 'm.kind',
        internal: 'm.internal',
        author_kind: 'm.author_kind',
        author_id: 'm.author_id',
        author_name: 'm.author_name',
        channel: 'm.channel',
        body_text: 'm.body_text',
        body_html: 'm.body_html',
        quoted_text: 'm.quoted_text',
        call: 'm.call',
        created_at: 'm.created_at',
        attachments,
      });
      return jsonArray<JsonMessage>(message, ['m.created_at', 'm.id']).as('timeline');
    })
    // Merged cases' messages were moved here; the timeline is this case's messages.
    .whereRef('m.case_id', '=', 'c.id');
  if (principal.kind === 'customer') messages = messages.where('m.internal', '=', false);
  return messages.as('timeline');
}

function detailQuery(db: Executor, principal: Principal, key: NonNullable<ReturnType<typeof caseRefKey>>) {
  return withSummary(db.selectFrom('cases as c').where(`c.${key.column}`, '=', key.value)).select((eb) => [
    'c.merged_into_id',
    eb
      .selectFrom('case_followers as f')
      .select((f) => {
        const name = f
          .selectFrom('users as follower')
          .select('follower.name')
          .whereRef('follower.id', '=', 'f.user_id')
          .where('follower.kind', '=', 'staff');
        return jsonArray<{ id: string; name: string }>(
          jsonObject({ id: 'f.user_id', name: sql`coalesce(${name}, '')` }),
        ).as('followers');
      })
      .whereRef('f.case_id', '=', 'c.id')
      .where(staffOnly(principal))
      .as('followers'),
    eb
      .selectFrom('case_links as l')
      .select((l) => {
        const linked = l
          .selectFrom('cases as linked')
          .select(
            jsonObject({
              id: 'linked.id',
              number: 'linked.number',
              subject: 'linked.subject',
              status: 'linked.status',
            }).as('link'),
          )
          .whereRef('linked.id', '=', 'l.linked_case_id');
        return jsonArray<{ id: string; number: string; subject: string; status: CaseStatus }>(linked).as(
          'links',
        );
      })
      .whereRef('l.case_id', '=', 'c.id')
      .where(staffOnly(principal))
      .as('links'),
    eb
      .selectFrom('cases as origin')
      .select(
        jsonObject<{ id: string; number: string }>({ id: 'origin.id', number: 'origin.number' }).as('o'),
      )
      .whereRef('origin.id', '=', 'c.follow_up_of_id')
      .as('follow_up_of'),
    eb
      .selectFrom('cases as merged')
      .select(
        jsonArray<{ id: string; number: string }>(
          jsonObject({ id: 'merged.id', number: 'merged.number' }),
        ).as('merged_from'),
      )
      .whereRef('merged.merged_into_id', '=', 'c.id')
      .as('merged_from'),
    timeline(eb, principal),
  ]);
}

type CaseKey = NonNullable<ReturnType<typeof caseRefKey>>;
type DetailRow = Awaited<ReturnType<ReturnType<typeof detailQuery>['executeTakeFirstOrThrow']>>;

/**
 * The statement's text depends only on how the case is named (id or number) and on whether a
 * customer asks; building and compiling it costs about as much CPU as PostgreSQL spends running
 * it. So it is compiled once per shape, and each request binds only the reference.
 */
// The statement's own literals: followers are staff users; customers see no internal notes.
const detailStatements = statementsByShape<DetailRow>({ constants: ['staff', false] });
const REF = new Slot('reference');

function detailStatement(db: Executor, principal: Principal, key: CaseKey): CompiledQuery<DetailRow> {
  const shape = `${key.column}:${principal.kind === 'customer' ? 'customer' : 'staff'}`;
  return detailStatements(
    shape,
    () => detailQuery(db, principal, { column: key.column, value: REF as unknown as string }),
    () => key.value,
  );
}

async function loadDetail(db: Executor, principal: Principal, key: CaseKey): Promise<DetailRow | undefined> {
  return (await db.executeQuery(detailStatement(db, principal, key))).rows[0];
}

/** The case (following merges) as this principal may see it, or the 404 that unknown cases get. */
export async function openCase(db: Executor, principal: Principal, ref: string): Promise<CaseDetail> {
  const key = caseRefKey(ref);
  let row = key ? await loadDetail(db, principal, key) : undefined;
  if (!row || !mayReadCase(principal, row)) throw errors.notFound('case');
  let redirectedFrom: string | null = null;
  for (let hops = 0; row.merged_into_id && hops < 10; hops++) {
    redirectedFrom ??= row.number;
    const target = await loadDetail(db, principal, { column: 'id', value: row.merged_into_id });
    if (!target || !mayReadCase(principal, target)) throw errors.notFound('case');
    row = target;
  }
  // An aggregate over no rows still yields its one row, so these lists are never null.
  const followers = row.followers ?? [];
  return {
    ...toSummary(row, principal),
    followers,
    links: row.links ?? [],
    followUpOf: row.follow_up_of,
    mergedFrom: row.merged_from ?? [],
    redirectedFrom,
    viewerIsFollower: principal.kind === 'staff' && followers.some((f) => f.id === principal.userId),
    // JSON has no dates: timestamps arrive as text and leave as ISO strings like every other.
    timeline: (row.timeline ?? []).map((message) =>
      toMessageView(
        { ...message, created_at: new Date(message.created_at) },
        message.attachments.map(toAttachmentView),
      ),
    ),
  };
}
