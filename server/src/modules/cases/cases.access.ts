// Finding a case by id or number, for someone who may see it. A merged case's number
// leads to the case it was merged into.
import type { Executor } from '../../platform/database.js';
import { errors } from '../../platform/errors.js';
import type { Principal } from '../identity/index.js';
import { mayReadCase } from './cases.policy.js';
import type { CaseRow } from './cases.tables.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const CASE_NUMBER = /^PW-\d{4}-\d{6,}$/;

export function isCaseNumber(value: string): boolean {
  return CASE_NUMBER.test(value.trim().toUpperCase());
}

/** The column a reference names a case by (id or number), or null when it is neither. */
export function caseRefKey(ref: string): { column: 'id' | 'number'; value: string } | null {
  const trimmed = ref.trim();
  if (UUID.test(trimmed)) return { column: 'id', value: trimmed };
  if (isCaseNumber(trimmed)) return { column: 'number', value: trimmed.toUpperCase() };
  return null;
}

async function loadByRef(db: Executor, ref: string, forUpdate: boolean): Promise<CaseRow | undefined> {
  const key = caseRefKey(ref);
  if (!key) return undefined;
  let query = db.selectFrom('cases').selectAll().where(key.column, '=', key.value);
  // FOR NO KEY UPDATE: changes of one case wait for each other, as with FOR UPDATE, but a row
  // that merely references the case (its SLA row, a message of another transaction, a
  // notification) is not held up until the whole change commits; a case's id never changes.
  if (forUpdate) query = query.forNoKeyUpdate();
  return query.executeTakeFirst();
}

export interface FoundCase {
  row: CaseRow;
  /** The number asked for when it belonged to a case merged into `row`. */
  redirectedFrom: string | null;
}

/** The case (following merges) or the 404 AppError; never reveals cases the principal may not see. */
export async function resolveVisibleCase(
  db: Executor,
  principal: Principal,
  ref: string,
  options: { forUpdate?: boolean } = {},
): Promise<FoundCase> {
  let row = await loadByRef(db, ref, options.forUpdate ?? false);
  if (!row || !mayReadCase(principal, row)) throw errors.notFound('case');
  let redirectedFrom: string | null = null;
  for (let hops = 0; row.merged_into_id && hops < 10; hops++) {
    redirectedFrom ??= row.number;
    const target: CaseRow | undefined = await loadByRef(db, row.merged_into_id, options.forUpdate ?? false);
    if (!target || !mayReadCase(principal, target)) throw errors.notFound('case');
    row = target;
  }
  return { row, redirectedFrom };
}

export async function findVisibleCase(
  db: Executor,
  principal: Principal,
  ref: string,
  options: { forUpdate?: boolean } = {},
): Promise<CaseRow> {
  return (await resolveVisibleCase(db, principal, ref, options)).row;
}
