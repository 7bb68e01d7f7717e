// Case domain events. Everything that happens to a case is announced in the same
// transaction; the audience decides who sees it live (internal things: staff only).
import { sql } from 'kysely';
import type { Executor } from '../../platform/database.js';
import { type DomainEvent, emitEvents, type Write } from '../../platform/events.js';
import { auditInsert, type RequestContext } from '../identity/index.js';
import type { CaseRow } from './cases.tables.js';

export type CaseEventType =
  | 'case.created'
  | 'case.updated'
  | 'case.assigned'
  | 'case.status_changed'
  | 'case.priority_changed'
  | 'case.message_added'
  | 'case.merged'
  | 'case.linked';

export function actorIdOf(context: RequestContext): string | null {
  const principal = context.principal;
  if (!principal) return null;
  return principal.kind === 'token' ? principal.createdBy : principal.userId;
}

type CaseRef = Pick<CaseRow, 'id' | 'number' | 'market' | 'customer_id'>;

function caseEvent(
  row: CaseRef,
  type: CaseEventType,
  payload: Record<string, unknown>,
  options: { internal?: boolean },
): DomainEvent {
  return {
    type,
    entityType: 'case',
    entityId: row.id,
    payload: { number: row.number, ...payload },
    audience: { markets: [row.market], customerIds: options.internal ? [] : [row.customer_id] },
  };
}

export interface CaseChange {
  action: CaseEventType;
  before?: unknown;
  after?: unknown;
  payload?: Record<string, unknown>;
  internal?: boolean;
}

/** Audit entry and domain event for one change of a case, in one statement. */
export async function recordCaseChange(
  db: Executor,
  context: RequestContext,
  row: CaseRef,
  change: CaseChange,
): Promise<void> {
  await recordCaseChanges(db, context, row, [change]);
}

/** Audit entries and domain events of several changes of one case (in this order), in one
 * statement: a case opened with its first message. */
export async function recordCaseChanges(
  db: Executor,
  context: RequestContext,
  row: CaseRef,
  changes: readonly CaseChange[],
  /** Other writes of the change, run in the same statement (no result needed). */
  together: readonly Write[] = [],
): Promise<void> {
  await emitEvents(
    db,
    { actorId: actorIdOf(context), requestId: context.requestId },
    changes.map((change, index) => ({
      event: caseEvent(row, change.action, change.payload ?? {}, { internal: change.internal }),
      together: [
        auditInsert(context, {
          action: change.action,
          entityType: 'case',
          entityId: row.id,
          before: change.before,
          after: change.after,
        }),
        ...(index === changes.length - 1 ? together : []),
      ],
    })),
  );
}

/** The next case number as an expression, for the case's own INSERT (a round trip less than
 * `nextCaseNumber`): PW-<year>-<at least six digits>. */
export function nextCaseNumberSql(at: Date = new Date()) {
  return sql<string>`(SELECT 'PW-' || ${String(at.getUTCFullYear())} || '-' || lpad(seq.n::text, greatest(6, length(seq.n::text)), '0')
    FROM (SELECT nextval('case_number_seq') AS n) AS seq)`;
}

export async function nextCaseNumber(db: Executor, at: Date = new Date()): Promise<string> {
  const result = await sql<{ n: string }>`SELECT nextval('case_number_seq') AS n`.execute(db);
  return `PW-${at.getUTCFullYear()}-${String(result.rows[0]?.n ?? '0').padStart(6, '0')}`;
}
