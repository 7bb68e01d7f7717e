// Loading and saving the SLA state of one case. Every change to a case's clocks (event
// handlers and check jobs alike) first locks its `case_sla` row, so they never interleave.
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db, Transaction } from '../../../platform/database.js';
import { addJob } from '../../../platform/jobs.js';
import type { CaseRow } from '../cases.tables.js';
import type { BusinessCalendar } from './sla.business-hours.js';
import { calendarFor } from './sla.holidays.js';
import { pickPolicy } from './sla.policies.js';
import { writeSummary } from './sla.summary.js';
import type { SlaMetric, SlaPolicyRow } from './sla.tables.js';
import { isRunning, meet, newTimer, type SlaTimer } from './sla.timers.js';

export const SLA_CHECK_TASK = 'cases.sla_check';

export interface SlaDeps {
  db: Db;
  /** Breaches are logged here (info) for operations. */
  log?: Logger;
}

export type SlaCheck = 'warning' | 'due';

export interface SlaCheckPayload {
  caseId: string;
  metric: SlaMetric;
  generation: number;
  check: SlaCheck;
}

export type SlaCaseFields = Pick<
  CaseRow,
  'id' | 'number' | 'market' | 'priority' | 'channel' | 'status' | 'created_at' | 'first_response_at'
>;

export interface SlaCase {
  case: SlaCaseFields;
  policy: SlaPolicyRow | null;
  calendar: BusinessCalendar;
  timers: Map<SlaMetric, SlaTimer>;
  /** Metrics whose timer changed and must be saved. */
  changed: Set<SlaMetric>;
}

/** Locks the case's SLA row (creating it on first sight) and reads case, policy and timers. */
export async function openSlaCase(trx: Transaction, caseId: string): Promise<SlaCase | null> {
  const exists = await trx.selectFrom('cases').select('id').where('id', '=', caseId).executeTakeFirst();
  if (!exists) return null;
  await trx
    .insertInto('case_sla')
    .values({
      case_id: caseId,
      state: 'none',
      metric: null,
      due_at: null,
      breached_at: null,
      policy_id: null,
    })
    .onConflict((oc) => oc.column('case_id').doNothing())
    .execute();
  await trx.selectFrom('case_sla').select('case_id').where('case_id', '=', caseId).forUpdate().execute();
  const fields = await trx
    .selectFrom('cases')
    .innerJoin('markets', 'markets.code', 'cases.market')
    .select([
      'cases.id',
      'cases.number',
      'cases.market',
      'cases.priority',
      'cases.channel',
      'cases.status',
      'cases.created_at',
      'cases.first_response_at',
      'markets.time_zone',
    ])
    .where('cases.id', '=', caseId)
    .executeTakeFirstOrThrow();
  const { time_zone, ...caseFields } = fields;
  const policy = await pickPolicy(trx, fields);
  const rows = await trx.selectFrom('case_sla_timers').selectAll().where('case_id', '=', caseId).execute();
  return {
    case: caseFields,
    policy,
    calendar: calendarFor({ code: fields.market, time_zone }, policy),
    timers: new Map(rows.map(({ updated_at: _, ...timer }) => [timer.metric, timer])),
    changed: new Set(),
  };
}

/** Starts first-response and resolution clocks at the case's creation, once, if a policy applies. */
export function ensureTimers(sla: SlaCase): void {
  const { policy } = sla;
  if (sla.timers.size > 0 || !policy) return;
  if (sla.case.status === 'solved' || sla.case.status === 'closed') return;
  for (const metric of ['first_response', 'resolution'] as const) {
    sla.timers.set(metric, newTimer(sla.case.id, metric, policy, sla.case.created_at, sla.calendar));
    sla.changed.add(metric);
  }
  // The handler may run after the first reply was already written (events can queue up).
  const firstResponse = sla.timers.get('first_response');
  if (firstResponse && sla.case.first_response_at)
    meet(firstResponse, sla.case.first_response_at, sla.calendar);
}

export function jobKey(caseId: string, metric: SlaMetric, check: SlaCheck): string {
  return `cases.sla:${caseId}:${metric}:${check}`;
}

/** Puts the check jobs of a timer in line with it: one at the warning time, one at the due time. */
export async function syncJobs(trx: Transaction, timer: SlaTimer): Promise<void> {
  const checks: SlaCheck[] = ['warning', 'due'];
  for (const check of checks) {
    const key = jobKey(timer.case_id, timer.metric, check);
    const runAt = check === 'warning' ? timer.warn_at : timer.due_at;
    const wanted =
      isRunning(timer) &&
      timer.breached_at === null &&
      runAt !== null &&
      !(check === 'warning' && timer.warned_at);
    if (wanted) {
      const payload: SlaCheckPayload = {
        caseId: timer.case_id,
        metric: timer.metric,
        generation: timer.generation,
        check,
      };
      await addJob(trx, SLA_CHECK_TASK, payload, { runAt, jobKey: key, maxAttempts: 10 });
    } else {
      await sql`SELECT graphile_worker.remove_job(${key})`.execute(trx);
    }
  }
}

async function saveTimer(trx: Transaction, timer: SlaTimer): Promise<void> {
  const { case_id, metric, ...rest } = timer;
  await trx
    .insertInto('case_sla_timers')
    .values({ ...timer, updated_at: new Date() })
    .onConflict((oc) => oc.columns(['case_id', 'metric']).doUpdateSet({ ...rest, updated_at: new Date() }))
    .execute();
}

/** Saves changed timers, re-plans their jobs and refreshes the case's summary row. */
export async function commit(trx: Transaction, sla: SlaCase): Promise<void> {
  for (const metric of sla.changed) {
    const timer = sla.timers.get(metric);
    if (!timer) continue;
    await saveTimer(trx, timer);
    await syncJobs(trx, timer);
  }
  sla.changed.clear();
  await writeSummary(trx, sla.case.id, sla.policy?.id ?? null, [...sla.timers.values()], sla.case.status);
}
