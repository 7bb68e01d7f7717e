// The full-text part of case search, in SQL. Ranking every match is what makes full-text
// search slow: a word of a car-care vocabulary ("Batterie", "charging") occurs in a tenth
// to a third of all messages, and reading 300,000 matches takes half a second. So only
// a bounded set of candidates is ranked: the newest N matching messages of cases the
// searcher may see (N = 4 × the page end, 100 to 1,000). How they are found depends on
// how often the words can match at most (search.estimate.ts):
// - rare (≤ indexMaxMatches messages, 3,000): every match from the GIN index, newest first;
// - common: walk the newest messages along the created_at index and keep those that match,
//   stopping after N hits or walkRows (4,000) messages (`truncated` then says older ones exist).
// ts_rank_cd runs on the candidates only; one result per case (its best message).
// Subjects are matched through their own GIN index, without word order (a phrase would
// make PostgreSQL re-stem every matching subject to check it). With common words a
// subject only lifts a candidate's case: thousands of subjects share such a word, and
// the messages of those cases carry it too.
import { type RawBuilder, sql } from 'kysely';
import type { Executor } from '../../../platform/database.js';
import type { CaseStatus } from '../cases.tables.js';
import { maxMatchingMessages, parseTsquery, type QueryNode, withoutPhrases } from './search.estimate.js';
import { SUBJECT_VECTOR_SQL } from './search.migrations.js';

/** Tests lower indexMaxMatches to -1 to take the walk on a small table. */
export const searchLimits = { walkRows: 4_000, indexMaxMatches: 3_000 };
/** A subject match counts as much as a message ranked 0.5 (ranks combine as 1 − (1 − a)(1 − b)). */
const SUBJECT_RANK = 0.5;

/** What a searcher may see and asked to narrow to; conditions on `cases c`. */
export interface CaseConditions {
  /** null: every market. */
  markets: readonly string[] | null;
  statuses?: readonly CaseStatus[];
  assigneeId?: string;
  from?: string;
  to?: string;
  /** Set when filtering by vehicle model: the vehicles of that model. */
  vehicleIds?: readonly string[];
}

export function caseConditions(filters: CaseConditions): RawBuilder<boolean> {
  const parts = [sql`c.merged_into_id IS NULL`];
  if (filters.markets) parts.push(sql`c.market = ANY (${filters.markets}::text[])`);
  if (filters.statuses?.length) parts.push(sql`c.status = ANY (${filters.statuses}::text[])`);
  if (filters.assigneeId) parts.push(sql`c.assignee_id = ${filters.assigneeId}::uuid`);
  if (filters.from) parts.push(sql`c.created_at >= ${filters.from}::timestamptz`);
  if (filters.to) parts.push(sql`c.created_at < ${filters.to}::timestamptz`);
  if (filters.vehicleIds) parts.push(sql`c.vehicle_id = ANY (${filters.vehicleIds}::uuid[])`);
  return sql<boolean>`${sql.join(parts, sql` AND `)}`;
}

/** German and English stems side by side, like the stored search_vector. */
const tsQuery = (q: string) =>
  sql`(websearch_to_tsquery('german', ${q}) || websearch_to_tsquery('english', ${q}))`;
const subjectVector = sql.raw(SUBJECT_VECTOR_SQL.replaceAll('subject', 'c.subject'));

export interface ParsedQuery {
  q: string;
  /** The part an index can search for (exclusions dropped), for the bound on matches. */
  indexable: QueryNode;
  /** The whole query without word order, for subjects. */
  subjectQuery: string;
}

/** The query as PostgreSQL understands it, or null when it leaves nothing to look for (only stop words, punctuation or exclusions). */
export async function parseQuery(db: Executor, q: string): Promise<ParsedQuery | null> {
  const result = await sql<{ tree: string; full: string }>`
    SELECT querytree(t.q) AS tree, t.q::text AS full FROM (SELECT ${tsQuery(q)} AS q) AS t`.execute(db);
  const row = result.rows[0];
  const indexable = row ? parseTsquery(row.tree) : null;
  const full = row ? parseTsquery(row.full) : null;
  return indexable && full ? { q, indexable, subjectQuery: withoutPhrases(full) } : null;
}

// A lateral subquery with OFFSET 0 is not flattened into a join: each candidate looks up
// its one case by primary key, instead of the planner hashing every case in scope.
const inScope = (conditions: RawBuilder<boolean>) =>
  sql`CROSS JOIN LATERAL (SELECT 1 FROM cases c WHERE c.id = m.case_id AND ${conditions} OFFSET 0) AS scope`;

function walkCandidates(q: string, conditions: RawBuilder<boolean>, from: string | undefined, cap: number) {
  const since = from ? sql`WHERE created_at >= ${from}::timestamptz` : sql``;
  return sql`
    SELECT m.id, m.case_id, m.created_at, ts_rank_cd(m.search_vector, ${tsQuery(q)}, 32) AS rank
    FROM (SELECT id, case_id, created_at, search_vector FROM case_messages ${since}
          ORDER BY created_at DESC LIMIT ${searchLimits.walkRows}) AS m
    ${inScope(conditions)}
    WHERE m.search_vector @@ ${tsQuery(q)}
    LIMIT ${cap}`;
}

function indexCandidates(q: string, conditions: RawBuilder<boolean>, from: string | undefined, cap: number) {
  const since = from ? sql`AND created_at >= ${from}::timestamptz` : sql``;
  return sql`
    SELECT m.id, m.case_id, m.created_at, ts_rank_cd(m.search_vector, ${tsQuery(q)}, 32) AS rank
    FROM (SELECT id, case_id, created_at, search_vector FROM case_messages
          WHERE search_vector @@ ${tsQuery(q)} ${since} ORDER BY created_at DESC OFFSET 0) AS m
    ${inScope(conditions)}
    LIMIT ${cap}`;
}

/** Cases in scope whose subject matches, newest first. */
const subjectHits = (query: ParsedQuery, conditions: RawBuilder<boolean>, cap: number) => sql`
  SELECT c.id AS case_id, c.created_at FROM cases c
  WHERE ${subjectVector} @@ ${query.subjectQuery}::tsquery AND ${conditions}
  ORDER BY c.created_at DESC LIMIT ${cap}`;

/** Common words: which of the candidates' cases match by subject too (a handful of look-ups, not thousands of hits). */
const subjectsOfCandidates = (query: ParsedQuery) => sql`
  SELECT c.id AS case_id, c.created_at FROM (SELECT DISTINCT case_id FROM candidates) AS k
  CROSS JOIN LATERAL (SELECT c.id, c.created_at FROM cases c
    WHERE c.id = k.case_id AND ${subjectVector} @@ ${query.subjectQuery}::tsquery OFFSET 0) AS c`;

export interface RankedCase {
  caseId: string;
  /** The best-ranked message, or null when only the subject matched. */
  messageId: string | null;
  rank: number;
}

export interface FullTextPage {
  items: RankedCase[];
  total: number;
  truncated: boolean;
}

export async function fullTextPage(
  db: Executor,
  query: ParsedQuery,
  filters: CaseConditions,
  page: { offset: number; limit: number; excludeCaseIds: readonly string[] },
): Promise<FullTextPage> {
  const cap = Math.min(1_000, Math.max(100, 4 * (page.offset + page.limit)));
  const conditions = caseConditions(filters);
  const q = query.q;
  const walk = (await maxMatchingMessages(db, query.indexable)) > searchLimits.indexMaxMatches;
  const candidates = walk
    ? walkCandidates(q, conditions, filters.from, cap)
    : indexCandidates(q, conditions, filters.from, cap);
  const result = await sql<{ total: number; candidates: number; subjects: number; page: RankedRow[] }>`
    WITH candidates AS MATERIALIZED (${candidates}),
    hits AS (
      SELECT DISTINCT ON (case_id) case_id, id AS message_id, created_at, rank FROM candidates
      ORDER BY case_id, rank DESC, created_at DESC
    ),
    subjects AS MATERIALIZED (${walk ? subjectsOfCandidates(query) : subjectHits(query, conditions, cap)}),
    ranked AS (
      SELECT coalesce(h.case_id, s.case_id) AS case_id, h.message_id,
        CASE WHEN s.case_id IS NULL THEN h.rank
          ELSE 1 - (1 - coalesce(h.rank, 0)) * (1 - ${SUBJECT_RANK}::real) END AS rank,
        coalesce(h.created_at, s.created_at) AS newest
      FROM hits h FULL JOIN subjects s ON s.case_id = h.case_id
      WHERE coalesce(h.case_id, s.case_id) <> ALL (${page.excludeCaseIds}::uuid[])
    )
    SELECT (SELECT count(*) FROM ranked)::int AS total,
      (SELECT count(*) FROM candidates)::int AS candidates,
      (SELECT count(*) FROM subjects)::int AS subjects,
      coalesce((SELECT json_agg(p ORDER BY p.rank DESC, p.newest DESC, p.case_id) FROM (
        SELECT case_id, message_id, rank, newest FROM ranked
        ORDER BY rank DESC, newest DESC, case_id LIMIT ${page.limit} OFFSET ${page.offset}) AS p), '[]') AS page
  `.execute(db);
  const row = result.rows[0];
  if (!row) return { items: [], total: 0, truncated: false };
  return {
    items: row.page.map((r) => ({ caseId: r.case_id, messageId: r.message_id, rank: r.rank })),
    total: row.total,
    truncated: walk || row.candidates >= cap || row.subjects >= cap,
  };
}

interface RankedRow {
  case_id: string;
  message_id: string | null;
  rank: number;
}

/** Text escaped for HTML inside SQL, so ts_headline's own tags are the only ones. */
const escapedHtml = (column: RawBuilder<string>) =>
  sql`replace(replace(replace(replace(replace(${column}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&#39;')`;
const HEADLINE =
  'StartSel=<mark>, StopSel=</mark>, MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "';

/**
 * Highlighted excerpts: of a message, with the stemming that found it (German first in
 * German cases; one ts_headline per message, the costly part); of a subject, both.
 */
export async function headlines(
  db: Executor,
  q: string,
  sources: { messageIds: readonly string[]; subjectCaseIds: readonly string[] },
): Promise<Map<string, string[]>> {
  if (sources.messageIds.length + sources.subjectCaseIds.length === 0) return new Map();
  const query = (config: 'german' | 'english') =>
    sql`websearch_to_tsquery(${sql.lit(config)}::regconfig, ${q})`;
  const headline = (config: 'german' | 'english', text: RawBuilder<string>) =>
    sql`ts_headline(${sql.lit(config)}::regconfig, ${escapedHtml(text)}, ${query(config)}, ${HEADLINE})`;
  const body = sql<string>`m.body_text`;
  const subject = sql<string>`c.subject`;
  const result = await sql<{ id: string; first: string; second: string | null }>`
    SELECT m.id, CASE
        WHEN m.search_vector @@ ${query('german')} AND (c.language = 'de' OR NOT m.search_vector @@ ${query('english')})
        THEN ${headline('german', body)} ELSE ${headline('english', body)} END AS first, NULL AS second
    FROM case_messages m JOIN cases c ON c.id = m.case_id WHERE m.id = ANY (${sources.messageIds}::uuid[])
    UNION ALL
    SELECT c.id, ${headline('german', subject)}, ${headline('english', subject)}
    FROM cases c WHERE c.id = ANY (${sources.subjectCaseIds}::uuid[])
  `.execute(db);
  return new Map(
    result.rows.map((row) => [row.id, row.second === null ? [row.first] : [row.first, row.second]]),
  );
}
