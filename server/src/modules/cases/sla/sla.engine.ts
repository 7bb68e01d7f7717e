// Loading and saving the SLA state of one case. Every change to a case's clocks (event
// handlers and check jobs alike) first locks its `case_sla` row, so they never interleave.
import type { Logger } from 'pino';
import type { Db, Transaction } from '../../../platform/database.js';
import { addFutureJobs, type FutureJob, removeJobs } from '../../../platform/jobs.js';
import type { CaseRow } from '../cases.tables.js';
import type { BusinessCalendar } from './sla.business-hours.js';
import { calendarFor } from './sla.holidays.js';
import { pickPolicy } from './sla.policies.js';
import { summarise, writeSummary } from './sla.summary.js';
import type { SlaMetric, SlaPolicyRow, SlaState } from './sla.tables.js';
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
  /** The `case_sla` summary as stored, so that an unchanged one is not written again. */
  stored: StoredSummary;
}

interface StoredSummary {
  state: SlaState;
  metric: SlaMetric | null;
  due_at: Date | null;
  breached_at: Date | null;
  policy_id: string | null;
}

const lockedSlaCase = (trx: Transaction, caseId: string) =>
  trx
    .selectFrom('case_sla')
    .innerJoin('cases', 'cases.id', 'case_sla.case_id')
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
      'case_sla.state as sla_state',
      'case_sla.metric as sla_metric',
      'case_sla.due_at as sla_due_at',
      'case_sla.breached_at as sla_breached_at',
      'case_sla.policy_id as sla_policy_id',
    ])
    .where('case_sla.case_id', '=', caseId)
    .forUpdate(['case_sla'])
    .executeTakeFirst();

/**
 * Locks the case's SLA row (creating it on first sight) and reads case, policy, timers and the
 * summary as stored. One statement when the row exists (every event after a case's first).
 */
export async function openSlaCase(trx: Transaction, caseId: string): Promise<SlaCase | null> {
  let fields = await lockedSlaCase(trx, caseId);
  if (!fields) {
    await trx
      .insertInto('case_sla')
      .columns(['case_id'])
      .expression((eb) => eb.selectFrom('cases').select('id').where('id', '=', caseId))
      .onConflict((oc) => oc.column('case_id').doNothing())
      .execute();
    fields = await lockedSlaCase(trx, caseId);
    if (!fields) return null; // no such case
  }
  const { time_zone, sla_state, sla_metric, sla_due_at, sla_breached_at, sla_policy_id, ...caseFields } =
    fields;
  const policy = await pickPolicy(trx, fields);
  const rows = await trx.selectFrom('case_sla_timers').selectAll().where('case_id', '=', caseId).execute();
  return {
    case: caseFields,
    policy,
    calendar: calendarFor({ code: fields.market, time_zone }, policy),
    timers: new Map(rows.map(({ updated_at: _, ...timer }) => [timer.metric, timer])),
    changed: new Set(),
    stored: {
      state: sla_state,
      metric: sla_metric,
      due_at: sla_due_at,
      breached_at: sla_breached_at,
      policy_id: sla_policy_id,
    },
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

function checkSpec(timer: SlaTimer, check: SlaCheck): { runAt: Date; payload: SlaCheckPayload } | null {
  const runAt = check === 'warning' ? timer.warn_at : timer.due_at;
  const wanted =
    isRunning(timer) &&
    timer.breached_at === null &&
    runAt !== null &&
    !(check === 'warning' && timer.warned_at);
  if (!wanted || !runAt) return null;
  return {
    runAt,
    payload: { caseId: timer.case_id, metric: timer.metric, generation: timer.generation, check },
  };
}

/**
 * Puts the check jobs of timers in line with them: one at the warning time, one at the due time.
 * All of them in one statement (`addFutureJobs`, which wakes no worker), and one removal: a new
 * case has four checks, and `add_job` for each cost several statements and a NOTIFY.
 */
export async function syncJobs(trx: Transaction, timers: readonly SlaTimer[]): Promise<void> {
  const wanted: FutureJob[] = [];
  const removed: string[] = [];
  for (const timer of timers) {
    for (const check of ['warning', 'due'] as const) {
      const key = jobKey(timer.case_id, timer.metric, check);
      const spec = checkSpec(timer, check);
      if (spec) wanted.push({ task: SLA_CHECK_TASK, ...spec, jobKey: key, maxAttempts: 10 });
      else removed.push(key);
    }
  }
  await addFutureJobs(trx, wanted);
  await removeJobs(trx, removed);
}

async function saveTimers(trx: Transaction, timers: readonly SlaTimer[]): Promise<void> {
  const updatedAt = new Date();
  await trx
    .insertInto('case_sla_timers')
    .values(timers.map((timer) => ({ ...timer, updated_at: updatedAt })))
    .onConflict((oc) =>
      oc.columns(['case_id', 'metric']).doUpdateSet((eb) => ({
        policy_id: eb.ref('excluded.policy_id'),
        target_minutes: eb.ref('excluded.target_minutes'),
        started_at: eb.ref('excluded.started_at'),
        resumed_at: eb.ref('excluded.resumed_at'),
        consumed_minutes: eb.ref('excluded.consumed_minutes'),
        due_at: eb.ref('excluded.due_at'),
        warn_at: eb.ref('excluded.warn_at'),
        paused_at: eb.ref('excluded.paused_at'),
        warned_at: eb.ref('excluded.warned_at'),
        met_at: eb.ref('excluded.met_at'),
        breached_at: eb.ref('excluded.breached_at'),
        stopped_at: eb.ref('excluded.stopped_at'),
        generation: eb.ref('excluded.generation'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

const sameTime = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

/** Saves changed timers, re-plans their jobs and refreshes the case's summary row when it changed. */
export async function commit(trx: Transaction, sla: SlaCase): Promise<void> {
  const changed = [...sla.changed].flatMap((metric) => sla.timers.get(metric) ?? []);
  sla.changed.clear();
  if (changed.length > 0) {
    await saveTimers(trx, changed);
    await syncJobs(trx, changed);
  }
  const timers = [...sla.timers.values()];
  const policyId = sla.policy?.id ?? null;
  const summary = summarise(timers, sla.case.status);
  const stored = sla.stored;
  if (
    summary.state === stored.state &&
    summary.metric === stored.metric &&
    sameTime(summary.due_at, stored.due_at) &&
    sameTime(summary.breached_at, stored.breached_at) &&
    policyId === stored.policy_id
  )
    return;
  await writeSummary(trx, sla.case.id, policyId, timers, sla.case.status);
  sla.stored = { ...summary, policy_id: policyId };
}
