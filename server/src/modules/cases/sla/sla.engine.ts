// Loading and saving the SLA state of one case. Every change to a case's clocks (event
// handlers and check jobs alike) first locks its `case_sla` row, so they never interleave.
import { sql } from 'kysely';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';
import type { Logger } from 'pino';
import { compiledOnce, type Db, type Executor, type Transaction } from '../../../platform/database.js';
import { type FutureJob, writeWithKeyedJobs } from '../../../platform/jobs.js';
import type { CaseRow } from '../cases.tables.js';
import type { BusinessCalendar } from './sla.business-hours.js';
import { calendarFor } from './sla.holidays.js';
import { policyQuery } from './sla.policies.js';
import { summarise, summaryUpdate } from './sla.summary.js';
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
  /** The `case_sla` summary as stored, so that nothing is written when nothing changed. */
  stored: StoredSummary;
}

interface StoredSummary {
  state: SlaState;
  metric: SlaMetric | null;
  due_at: Date | null;
  breached_at: Date | null;
  policy_id: string | null;
}

/** Timestamps come back from `to_json` as ISO text (pg parses them the same way: to the ms). */
const dateOrNull = (value: string | null) => (value === null ? null : new Date(value));

/** Whether the locked row is the version this statement's snapshot shows (null: it shows none). */
const lockedAsSeen = sql<boolean | null>`case_sla.xmin = (
  SELECT seen.xmin FROM case_sla AS seen WHERE seen.case_id = case_sla.case_id)`;

/**
 * Locks the case's `case_sla` row and reads, in the same statement, the case, its market's time
 * zone, its policy (by `policyQuery`'s rule) and its timers. One statement reads one snapshot,
 * taken before the lock was granted: when another transaction changed the clocks while this one
 * waited, the row comes back newer (PostgreSQL re-reads a locked row) than the one the snapshot
 * shows, and `fresh` is false. Every change to the clocks writes the row (`commit`), so that this
 * comparison sees it. Compiled once (`compiledOnce`): building it cost more node CPU than running it.
 */
const lockedSlaCase = compiledOnce(
  (trx: Executor, caseId: string) =>
    trx
      .selectFrom('case_sla')
      .innerJoin('cases', 'cases.id', 'case_sla.case_id')
      .innerJoin('markets', 'markets.code', 'cases.market')
      .select((eb) => [
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
        lockedAsSeen.as('fresh'),
        jsonObjectFrom(
          policyQuery(trx, {
            market: eb.ref('cases.market'),
            priority: eb.ref('cases.priority'),
            channel: eb.ref('cases.channel'),
          }),
        ).as('policy'),
        jsonArrayFrom(
          eb
            .selectFrom('case_sla_timers')
            .select([
              'case_sla_timers.case_id',
              'case_sla_timers.metric',
              'case_sla_timers.policy_id',
              'case_sla_timers.target_minutes',
              'case_sla_timers.started_at',
              'case_sla_timers.resumed_at',
              'case_sla_timers.consumed_minutes',
              'case_sla_timers.due_at',
              'case_sla_timers.warn_at',
              'case_sla_timers.paused_at',
              'case_sla_timers.warned_at',
              'case_sla_timers.met_at',
              'case_sla_timers.breached_at',
              'case_sla_timers.stopped_at',
              'case_sla_timers.generation',
            ])
            .whereRef('case_sla_timers.case_id', '=', 'case_sla.case_id'),
        ).as('timers'),
      ])
      .where('case_sla.case_id', '=', caseId)
      .forUpdate(['case_sla']),
  { constants: [1] }, // the policy's `limit 1`
);

type LockedSlaCase = NonNullable<Awaited<ReturnType<typeof lockedSlaCase>>>;

function policyOf(row: LockedSlaCase['policy']): SlaPolicyRow | null {
  if (!row) return null;
  return { ...row, created_at: new Date(row.created_at), updated_at: new Date(row.updated_at) };
}

function timerOf(row: LockedSlaCase['timers'][number]): SlaTimer {
  return {
    ...row,
    started_at: new Date(row.started_at),
    resumed_at: new Date(row.resumed_at),
    due_at: dateOrNull(row.due_at),
    warn_at: dateOrNull(row.warn_at),
    paused_at: dateOrNull(row.paused_at),
    warned_at: dateOrNull(row.warned_at),
    met_at: dateOrNull(row.met_at),
    breached_at: dateOrNull(row.breached_at),
    stopped_at: dateOrNull(row.stopped_at),
  };
}

/** The case's `case_sla` row, locked, read again when it changed while waiting for the lock. */
async function lockedFresh(trx: Transaction, caseId: string): Promise<LockedSlaCase | undefined> {
  const row = await lockedSlaCase(trx, caseId);
  // Now that the lock is held, a new statement's snapshot has every change made under it.
  return row && row.fresh !== true ? lockedSlaCase(trx, caseId) : row;
}

/**
 * Locks the case's SLA row (creating it on first sight) and reads case, policy, timers and the
 * summary as stored. One statement when the row exists (every event after a case's first).
 */
export async function openSlaCase(trx: Transaction, caseId: string): Promise<SlaCase | null> {
  let fields = await lockedFresh(trx, caseId);
  if (!fields) {
    await trx
      .insertInto('case_sla')
      .columns(['case_id'])
      .expression((eb) => eb.selectFrom('cases').select('id').where('id', '=', caseId))
      .onConflict((oc) => oc.column('case_id').doNothing())
      .execute();
    fields = await lockedFresh(trx, caseId);
    if (!fields) return null; // no such case
  }
  const {
    time_zone,
    sla_state,
    sla_metric,
    sla_due_at,
    sla_breached_at,
    sla_policy_id,
    fresh: _,
    policy: policyRow,
    timers,
    ...caseFields
  } = fields;
  const policy = policyOf(policyRow);
  return {
    case: caseFields,
    policy,
    calendar: calendarFor({ code: fields.market, time_zone }, policy),
    timers: new Map(timers.map((row) => [row.metric, timerOf(row)])),
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
 * The check jobs of timers, in line with them: one at the warning time, one at the due time,
 * and the key of every check a timer no longer wants, to remove.
 */
function plannedChecks(timers: readonly SlaTimer[]): { wanted: FutureJob[]; removed: string[] } {
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
  return { wanted, removed };
}

function timersUpsert(trx: Transaction, timers: readonly SlaTimer[]) {
  const updatedAt = new Date();
  return trx
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
    );
}

const sameTime = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

/**
 * Saves changed timers, re-plans their check jobs (`addFutureJobs`, which wakes no worker:
 * a new case has four checks) and refreshes the case's summary row, all in one statement; none
 * when nothing changed. The summary row is written with every change of the clocks, even when
 * its values stay, because `openSlaCase` tells by the row's version that the clocks changed.
 */
export async function commit(trx: Transaction, sla: SlaCase): Promise<void> {
  const changed = [...sla.changed].flatMap((metric) => sla.timers.get(metric) ?? []);
  sla.changed.clear();
  const timers = [...sla.timers.values()];
  const policyId = sla.policy?.id ?? null;
  const summary = summarise(timers, sla.case.status);
  const stored = sla.stored;
  const summaryUnchanged =
    summary.state === stored.state &&
    summary.metric === stored.metric &&
    sameTime(summary.due_at, stored.due_at) &&
    sameTime(summary.breached_at, stored.breached_at) &&
    policyId === stored.policy_id;
  if (changed.length === 0 && summaryUnchanged) return;
  const writes = [sql`summary AS (${summaryUpdate(trx, sla.case.id, policyId, summary)})`];
  if (changed.length > 0) writes.push(sql`timers AS (${timersUpsert(trx, changed)})`);
  const { wanted, removed } = plannedChecks(changed);
  await writeWithKeyedJobs(trx, { writes, add: wanted, remove: removed });
  sla.stored = { ...summary, policy_id: policyId };
}
