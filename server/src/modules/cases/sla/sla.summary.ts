// The one-line SLA state of a case (`case_sla`), derived from its timers and read by the inbox.
import type { Executor } from '../../../platform/database.js';
import type { CaseStatus } from '../cases.tables.js';
import type { SlaMetric, SlaState } from './sla.tables.js';
import { isActive, isRunning, type SlaTimer } from './sla.timers.js';

export interface SlaSummary {
  state: SlaState;
  metric: SlaMetric | null;
  dueAt: string | null;
  breachedAt: string | null;
}

export interface SummaryRow {
  state: SlaState;
  metric: SlaMetric | null;
  due_at: Date | null;
  breached_at: Date | null;
}

const none: SummaryRow = { state: 'none', metric: null, due_at: null, breached_at: null };

const byTime = (pick: (timer: SlaTimer) => Date | null) => (a: SlaTimer, b: SlaTimer) =>
  (pick(a)?.getTime() ?? Number.POSITIVE_INFINITY) - (pick(b)?.getTime() ?? Number.POSITIVE_INFINITY);

/**
 * While the case is open: breached if an unmet target is overdue, else warning/ok for the
 * running target due first, else paused. Once solved or closed: met, or breached when any
 * target of the case was missed.
 */
export function summarise(timers: readonly SlaTimer[], status: CaseStatus): SummaryRow {
  if (timers.length === 0) return none;
  const active = timers.filter(isActive);
  if (status === 'solved' || status === 'closed' || active.length === 0) {
    const missed = timers.filter((t) => t.breached_at !== null).sort(byTime((t) => t.breached_at));
    const first = missed[0];
    if (first)
      return { state: 'breached', metric: first.metric, due_at: null, breached_at: first.breached_at };
    return { state: 'met', metric: null, due_at: null, breached_at: null };
  }
  const overdue = active.filter((t) => t.breached_at !== null).sort(byTime((t) => t.breached_at));
  const firstOverdue = overdue[0];
  if (firstOverdue)
    return {
      state: 'breached',
      metric: firstOverdue.metric,
      due_at: firstOverdue.due_at,
      breached_at: firstOverdue.breached_at,
    };
  const running = active.filter(isRunning).sort(byTime((t) => t.due_at));
  const warned = running.find((t) => t.warned_at !== null);
  const next = warned ?? running[0];
  if (next)
    return { state: warned ? 'warning' : 'ok', metric: next.metric, due_at: next.due_at, breached_at: null };
  const closest = [...active].sort(
    (a, b) => a.target_minutes - a.consumed_minutes - (b.target_minutes - b.consumed_minutes),
  )[0];
  return { state: 'paused', metric: closest?.metric ?? null, due_at: null, breached_at: null };
}

/** The update of a case's summary row, for the engine to write together with its timers. */
export function summaryUpdate(db: Executor, caseId: string, policyId: string | null, row: SummaryRow) {
  return db
    .updateTable('case_sla')
    .set({ ...row, policy_id: policyId, updated_at: new Date() })
    .where('case_id', '=', caseId);
}

/** SLA state per case for the inbox and the case view; cases the engine never saw are 'none'. */
export async function slaSummaries(
  db: Executor,
  caseIds: readonly string[],
): Promise<Map<string, SlaSummary>> {
  const result = new Map<string, SlaSummary>();
  if (caseIds.length === 0) return result;
  const rows = await db
    .selectFrom('case_sla')
    .select(['case_id', 'state', 'metric', 'due_at', 'breached_at'])
    .where('case_id', 'in', [...caseIds])
    .execute();
  const found = new Map(rows.map((row) => [row.case_id, row]));
  for (const id of caseIds) {
    const row = found.get(id) ?? none;
    result.set(id, {
      state: row.state,
      metric: row.metric,
      dueAt: row.due_at?.toISOString() ?? null,
      breachedAt: row.breached_at?.toISOString() ?? null,
    });
  }
  return result;
}
