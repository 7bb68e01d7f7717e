// The clock of one SLA target. Transitions are pure: they take a timer and an instant and
// change it in place, returning whether anything changed; sla.engine.ts persists the result.
// Consumed time is counted in business minutes, so a pause or a weekend costs nothing.
import { addBusinessMinutes, type BusinessCalendar, businessMinutesBetween } from './sla.business-hours.js';
import type { SlaMetric, SlaPolicyRow, SlaTimerRow } from './sla.tables.js';

export type SlaTimer = Omit<SlaTimerRow, 'updated_at'>;

/** Share of the target after which a warning is sent. */
export const WARNING_SHARE = 0.75;

export function isActive(timer: SlaTimer): boolean {
  return timer.met_at === null && timer.stopped_at === null;
}

export function isRunning(timer: SlaTimer): boolean {
  return isActive(timer) && timer.paused_at === null;
}

export function targetOf(policy: SlaPolicyRow, metric: SlaMetric): number {
  if (metric === 'first_response') return policy.first_response_minutes;
  if (metric === 'next_response') return policy.next_response_minutes;
  return policy.resolution_minutes;
}

/** Business minutes used up by `at`. */
function consumedBy(timer: SlaTimer, at: Date, calendar: BusinessCalendar): number {
  if (!isRunning(timer)) return timer.consumed_minutes;
  return timer.consumed_minutes + businessMinutesBetween(timer.resumed_at, at, calendar);
}

/** Sets due and warning time of a running timer from what is left of its target. */
function schedule(timer: SlaTimer, calendar: BusinessCalendar): void {
  const left = timer.target_minutes - timer.consumed_minutes;
  timer.due_at = addBusinessMinutes(timer.resumed_at, left, calendar);
  const leftUntilWarning = WARNING_SHARE * timer.target_minutes - timer.consumed_minutes;
  timer.warn_at = addBusinessMinutes(timer.resumed_at, Math.max(0, leftUntilWarning), calendar);
  timer.generation += 1;
}

function halt(timer: SlaTimer, at: Date, calendar: BusinessCalendar): void {
  timer.consumed_minutes = consumedBy(timer, at, calendar);
  timer.due_at = null;
  timer.warn_at = null;
  timer.generation += 1;
}

function later(a: Date, b: Date): Date {
  return a.getTime() >= b.getTime() ? a : b;
}

export function newTimer(
  caseId: string,
  metric: SlaMetric,
  policy: SlaPolicyRow,
  at: Date,
  calendar: BusinessCalendar,
  previous?: SlaTimer,
): SlaTimer {
  const timer: SlaTimer = {
    case_id: caseId,
    metric,
    policy_id: policy.id,
    target_minutes: targetOf(policy, metric),
    started_at: at,
    resumed_at: at,
    consumed_minutes: 0,
    due_at: null,
    warn_at: null,
    paused_at: null,
    warned_at: null,
    met_at: null,
    breached_at: null,
    stopped_at: null,
    generation: previous?.generation ?? 0,
  };
  schedule(timer, calendar);
  return timer;
}

export function pause(timer: SlaTimer, at: Date, calendar: BusinessCalendar): boolean {
  if (!isRunning(timer)) return false;
  halt(timer, later(at, timer.resumed_at), calendar);
  timer.paused_at = later(at, timer.resumed_at);
  return true;
}

/** Picks up the current policy's target: resuming recalculates the due time. */
export function resume(
  timer: SlaTimer,
  at: Date,
  calendar: BusinessCalendar,
  policy: SlaPolicyRow | null,
): boolean {
  if (!isActive(timer) || timer.paused_at === null) return false;
  timer.resumed_at = later(at, timer.paused_at);
  timer.paused_at = null;
  if (policy && timer.breached_at === null) {
    timer.policy_id = policy.id;
    timer.target_minutes = targetOf(policy, timer.metric);
  }
  schedule(timer, calendar);
  return true;
}

export function meet(timer: SlaTimer, at: Date, calendar: BusinessCalendar): boolean {
  if (!isActive(timer)) return false;
  const when = later(at, timer.started_at);
  halt(timer, when, calendar);
  timer.met_at = when;
  return true;
}

/** The case was solved before this response target was met: it no longer applies. */
export function stop(timer: SlaTimer, at: Date, calendar: BusinessCalendar): boolean {
  if (!isActive(timer)) return false;
  const when = later(at, timer.started_at);
  halt(timer, when, calendar);
  timer.stopped_at = when;
  return true;
}

/** A solved case was reopened: the clock continues with what was left (solved time not counted). */
export function reactivate(timer: SlaTimer, at: Date, calendar: BusinessCalendar, paused: boolean): boolean {
  if (isActive(timer)) return false;
  const ended = timer.met_at ?? timer.stopped_at ?? at;
  timer.met_at = null;
  timer.stopped_at = null;
  timer.resumed_at = later(at, ended);
  timer.paused_at = paused ? timer.resumed_at : null;
  if (paused) timer.generation += 1;
  else schedule(timer, calendar);
  return true;
}

/** The case's policy or priority changed: same start, new target. A breach stays a breach. */
export function retarget(
  timer: SlaTimer,
  policy: SlaPolicyRow,
  calendar: BusinessCalendar,
  now: Date,
): boolean {
  if (!isActive(timer) || timer.breached_at !== null) return false;
  const target = targetOf(policy, timer.metric);
  if (target === timer.target_minutes && policy.id === timer.policy_id && !isRunning(timer)) return false;
  timer.policy_id = policy.id;
  timer.target_minutes = target;
  if (!isRunning(timer)) return true;
  schedule(timer, calendar);
  if (timer.warned_at && timer.warn_at && timer.warn_at.getTime() > now.getTime()) timer.warned_at = null;
  return true;
}
