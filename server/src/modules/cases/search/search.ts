// Case search for staff: a case number, VIN or customer email finds those cases first
// (rank 1); the words find cases by their messages and subject, German and English
// stemming, ranked, one hit per case with a highlighted snippet. Internal notes are
// searched too (only staff search). Scope: the searcher's markets; merged cases never.
import { sql } from 'kysely';
import type { Executor } from '../../../platform/database.js';
import { errors } from '../../../platform/errors.js';
import { customersByEmail, customersByVin, parseVin } from '../../customers/index.js';
import type { Principal } from '../../identity/index.js';
import { isCaseNumber } from '../cases.access.js';
import { caseMarkets } from '../cases.policy.js';
import { caseSummaries } from '../cases.summaries.js';
import type { CaseSearchQuery, CaseSearchResult } from './search.schemas.js';
import { type CaseConditions, caseConditions, fullTextPage, headlines, parseQuery } from './search.sql.js';
import { vehicleIdsOfModel, vehicleIdsOfVin } from './search.vehicles.js';

const DIRECT_HITS_MAX = 100;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Control characters (NUL above all) cannot reach PostgreSQL text; they separate words like spaces. */
export function normaliseQuery(q: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  return q.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}

async function conditionsFor(
  db: Executor,
  principal: Principal,
  query: CaseSearchQuery,
): Promise<CaseConditions> {
  const visible = caseMarkets(principal);
  let markets = visible;
  if (query.market) markets = visible === null || visible.includes(query.market) ? [query.market] : [];
  return {
    markets,
    statuses: query.status,
    assigneeId: query.assigneeId,
    from: query.from,
    to: query.to,
    vehicleIds: query.model ? await vehicleIdsOfModel(db, query.model) : undefined,
  };
}

/** Cases the query names outright: by number (a merged case leads to its target), VIN or email. */
async function directCaseIds(db: Executor, q: string, filters: CaseConditions): Promise<string[]> {
  const numbers = isCaseNumber(q) ? [q.toUpperCase()] : [];
  const customerIds: string[] = [];
  const vehicleIds: string[] = [];
  const vin = parseVin(q);
  if (vin) {
    const [owners, vehicles] = await Promise.all([customersByVin(db, vin), vehicleIdsOfVin(db, vin)]);
    customerIds.push(...owners);
    vehicleIds.push(...vehicles);
  }
  if (EMAIL.test(q)) customerIds.push(...(await customersByEmail(db, q.toLowerCase(), false)));
  if (numbers.length + customerIds.length + vehicleIds.length === 0) return [];
  const result = await sql<{ id: string }>`
    WITH RECURSIVE numbered AS (
      SELECT id, merged_into_id, 0 AS hops FROM cases WHERE number = ANY (${numbers}::text[])
      UNION ALL
      SELECT c.id, c.merged_into_id, n.hops + 1 FROM cases c JOIN numbered n ON c.id = n.merged_into_id
      WHERE n.hops < 10
    )
    SELECT c.id FROM cases c
    WHERE (c.id IN (SELECT id FROM numbered) OR c.customer_id = ANY (${customerIds}::uuid[])
      OR c.vehicle_id = ANY (${vehicleIds}::uuid[]))
      AND ${caseConditions(filters)}
    ORDER BY c.updated_at DESC, c.id LIMIT ${DIRECT_HITS_MAX}
  `.execute(db);
  return result.rows.map((row) => row.id);
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
const marks = (html: string) => html.split('<mark>').length - 1;

/** Defence in depth: a snippet may hold no tag but <mark> and </mark>. */
function isSafeSnippet(html: string): boolean {
  return !/[<>]/.test(html.replaceAll('<mark>', '').replaceAll('</mark>', ''));
}

/** The highlighting that marked the most words (the first on a tie), or the escaped fallback. */
function pickSnippet(variants: readonly string[] | undefined, fallback: string): string {
  const best = (variants ?? []).reduce<string | null>(
    (chosen, variant) => (chosen === null || marks(variant) > marks(chosen) ? variant : chosen),
    null,
  );
  return best !== null && isSafeSnippet(best) ? best : escapeHtml(fallback);
}

export async function searchCases(
  db: Executor,
  principal: Principal,
  query: CaseSearchQuery,
): Promise<CaseSearchResult> {
  if (principal.kind === 'customer') throw errors.forbidden();
  const q = normaliseQuery(query.q);
  const filters = await conditionsFor(db, principal, query);
  if (q === '' || filters.markets?.length === 0 || filters.vehicleIds?.length === 0) {
    return { items: [], total: 0, truncated: false };
  }
  const direct = await directCaseIds(db, q, filters);
  const directPage = direct.slice(query.offset, query.offset + query.limit);
  const parsed = await parseQuery(db, q);
  const fullText = parsed
    ? await fullTextPage(db, parsed, filters, {
        offset: Math.max(0, query.offset - direct.length),
        limit: query.limit - directPage.length,
        excludeCaseIds: direct,
      })
    : { items: [], total: 0, truncated: false };
  const [summaries, snippets] = await Promise.all([
    caseSummaries(db, principal, [...directPage, ...fullText.items.map((item) => item.caseId)]),
    headlines(db, q, {
      messageIds: fullText.items.flatMap((item) => (item.messageId ? [item.messageId] : [])),
      subjectCaseIds: fullText.items.flatMap((item) => (item.messageId ? [] : [item.caseId])),
    }),
  ]);
  const byId = new Map(summaries.map((summary) => [summary.id, summary]));
  const ranks = new Map(fullText.items.map((item) => [item.caseId, item]));
  const items = [...directPage, ...fullText.items.map((item) => item.caseId)].flatMap((caseId) => {
    const summary = byId.get(caseId);
    if (!summary) return [];
    const ranked = ranks.get(caseId);
    if (!ranked) return [{ case: summary, rank: 1, snippet: escapeHtml(summary.subject) }];
    const source = snippets.get(ranked.messageId ?? caseId);
    return [{ case: summary, rank: ranked.rank, snippet: pickSnippet(source, summary.subject) }];
  });
  return { items, total: direct.length + fullText.total, truncated: fullText.truncated };
}
