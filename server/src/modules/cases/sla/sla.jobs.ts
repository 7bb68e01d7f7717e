// The check jobs behind SLA clocks: graphile-worker runs them at the warning and due time.
// A job re-reads the clock under the case's lock and does nothing when the clock was met,
// paused or moved meanwhile, so late, early or repeated runs are harmless.
import type { Task, TaskList } from 'graphile-worker';
import type { Transaction } from '../../../platform/database.js';
import { emitEvent } from '../../../platform/events.js';
import { addJob } from '../../../platform/jobs.js';
import { recordAudit, systemContext } from '../../identity/index.js';
import { type CasePriority, casePriorities } from '../cases.tables.js';
import {
  commit,
  jobKey,
  openSlaCase,
  SLA_CHECK_TASK,
  type SlaCase,
  type SlaCheckPayload,
  type SlaDeps,
} from './sla.engine.js';
import { isRunning, type SlaTimer } from './sla.timers.js';

const system = { actorId: null, requestId: null };

function raised(priority: CasePriority): CasePriority {
  const index = casePriorities.indexOf(priority);
  return casePriorities[Math.min(index + 1, casePriorities.length - 1)] as CasePriority;
}

async function raisePriority(trx: Transaction, sla: SlaCase, timer: SlaTimer): Promise<void> {
  const current = await trx
    .selectFrom('cases')
    .select('priority')
    .where('id', '=', sla.case.id)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const from = current.priority;
  const to = raised(from);
  if (to === from) return;
  await trx
    .updateTable('cases')
    .set({ priority: to, updated_at: new Date() })
    .where('id', '=', sla.case.id)
    .execute();
  await recordAudit(trx, systemContext, {
    action: 'case.sla_escalated',
    entityType: 'case',
    entityId: sla.case.id,
    before: { priority: from },
    after: { priority: to, metric: timer.metric, onBreach: 'raise_priority' },
  });
  await emitEvent(trx, system, {
    type: 'case.priority_changed',
    entityType: 'case',
    entityId: sla.case.id,
    payload: { number: sla.case.number, from, to, reason: 'sla_breach' },
    audience: { markets: [sla.case.market] },
  });
  sla.case.priority = to;
}

async function reassign(trx: Transaction, sla: SlaCase, timer: SlaTimer, teamId: string): Promise<void> {
  const before = await trx
    .selectFrom('cases')
    .select(['team_id', 'assignee_id'])
    .where('id', '=', sla.case.id)
    .forUpdate()
    .executeTakeFirstOrThrow();
  if (before.team_id === teamId && before.assignee_id === null) return;
  await trx
    .updateTable('cases')
    .set({ team_id: teamId, assignee_id: null, updated_at: new Date() })
    .where('id', '=', sla.case.id)
    .execute();
  await recordAudit(trx, systemContext, {
    action: 'case.sla_escalated',
    entityType: 'case',
    entityId: sla.case.id,
    before: { teamId: before.team_id, assigneeId: before.assignee_id },
    after: { teamId, assigneeId: null, metric: timer.metric, onBreach: 'reassign' },
  });
  await emitEvent(trx, system, {
    type: 'case.updated',
    entityType: 'case',
    entityId: sla.case.id,
    payload: { number: sla.case.number, changes: ['teamId', 'assigneeId'], reason: 'sla_breach' },
    audience: { markets: [sla.case.market] },
  });
}

async function warn(trx: Transaction, sla: SlaCase, timer: SlaTimer, now: Date): Promise<void> {
  timer.warned_at = now;
  sla.changed.add(timer.metric);
  await emitEvent(trx, system, {
    type: 'case.sla_warning',
    entityType: 'case',
    entityId: sla.case.id,
    payload: { number: sla.case.number, metric: timer.metric, dueAt: timer.due_at?.toISOString() ?? null },
    audience: { markets: [sla.case.market] },
  });
}

async function breach(trx: Transaction, sla: SlaCase, timer: SlaTimer, now: Date): Promise<void> {
  const breachedAt = timer.due_at ?? now;
  timer.breached_at = breachedAt;
  timer.warned_at ??= now;
  sla.changed.add(timer.metric);
  const onBreach = sla.policy?.on_breach ?? 'notify';
  await emitEvent(trx, system, {
    type: 'case.sla_breached',
    entityType: 'case',
    entityId: sla.case.id,
    payload: {
      number: sla.case.number,
      metric: timer.metric,
      dueAt: breachedAt.toISOString(),
      breachedAt: breachedAt.toISOString(),
      policyId: sla.policy?.id ?? null,
      onBreach,
    },
    audience: { markets: [sla.case.market] },
  });
  if (onBreach === 'raise_priority') await raisePriority(trx, sla, timer);
  const teamId = sla.policy?.escalation_team_id;
  if (onBreach === 'reassign' && teamId) await reassign(trx, sla, timer, teamId);
}

async function check(trx: Transaction, payload: SlaCheckPayload): Promise<SlaTimer | null> {
  const sla = await openSlaCase(trx, payload.caseId);
  const timer = sla?.timers.get(payload.metric);
  if (!sla || !timer) return null;
  if (timer.generation !== payload.generation || !isRunning(timer) || timer.breached_at) return null;
  const now = new Date();
  const when = payload.check === 'warning' ? timer.warn_at : timer.due_at;
  if (!when || (payload.check === 'warning' && timer.warned_at)) return null;
  if (when.getTime() > now.getTime()) {
    // Ran early (clock skew between hosts): check again at the right time.
    await addJob(trx, SLA_CHECK_TASK, payload, {
      runAt: when,
      jobKey: jobKey(payload.caseId, payload.metric, payload.check),
    });
    return null;
  }
  if (payload.check === 'warning' && timer.due_at && timer.due_at.getTime() <= now.getTime()) {
    // Already past due (a case brought in with its history, a worker that was down for a
    // while): "due soon" would come after the fact. The breach check says what matters.
    return null;
  }
  if (payload.check === 'warning') await warn(trx, sla, timer, now);
  else await breach(trx, sla, timer, now);
  await commit(trx, sla);
  return timer;
}

/** The worker tasks of the SLA engine (`cases.sla_check`). */
export function slaTasks(deps: SlaDeps): TaskList {
  const task: Task = async (payload) => {
    const { check: kind, caseId, metric } = payload as SlaCheckPayload;
    const fired = await deps.db.transaction().execute((trx) => check(trx, payload as SlaCheckPayload));
    if (fired && kind === 'due')
      deps.log?.info({ caseId, metric, dueAt: fired.due_at?.toISOString() }, 'SLA target breached');
  };
  return { [SLA_CHECK_TASK]: task };
}
