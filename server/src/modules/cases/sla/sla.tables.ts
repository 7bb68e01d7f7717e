import type { ColumnType, Generated, Selectable } from 'kysely';
import type { CaseChannel, CasePriority } from '../cases.tables.js';
import type { WeeklyHours } from './sla.business-hours.js';

type CreatedAt = ColumnType<Date, never, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export const slaMetrics = ['first_response', 'next_response', 'resolution'] as const;
export type SlaMetric = (typeof slaMetrics)[number];
export const slaStates = ['ok', 'warning', 'breached', 'paused', 'met', 'none'] as const;
export type SlaState = (typeof slaStates)[number];
export const breachActions = ['notify', 'raise_priority', 'reassign'] as const;
export type BreachAction = (typeof breachActions)[number];

/** The current SLA target of each case (one row per case), kept by the SLA engine. */
export interface CaseSlaTable {
  case_id: string;
  policy_id: string | null;
  state: SlaState;
  metric: SlaMetric | null;
  due_at: Date | null;
  breached_at: Date | null;
  /** Written with every change of the case's clocks (see `commit` in sla.engine.ts). */
  updated_at: UpdatedAt;
}

/** Targets per market, optionally narrowed to a priority and/or channel (null = any). */
export interface SlaPoliciesTable {
  id: Generated<string>;
  name: string;
  market: string;
  priority: CasePriority | null;
  channel: CaseChannel | null;
  first_response_minutes: number;
  next_response_minutes: number;
  resolution_minutes: number;
  business_hours: ColumnType<WeeklyHours, string, string>;
  /** Whether the market's public holidays are closed days for this policy. */
  observe_holidays: Generated<boolean>;
  on_breach: BreachAction;
  escalation_team_id: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/**
 * One running or finished clock per case and metric. Business minutes used up before
 * `resumed_at` are in `consumed_minutes`; while running, due = resumed_at + what is left.
 */
export interface CaseSlaTimersTable {
  case_id: string;
  metric: SlaMetric;
  policy_id: string | null;
  target_minutes: number;
  started_at: Date;
  resumed_at: Date;
  consumed_minutes: number;
  /** Null while the clock does not run (paused, met or stopped). */
  due_at: NullableTimestamp;
  warn_at: NullableTimestamp;
  paused_at: NullableTimestamp;
  warned_at: NullableTimestamp;
  met_at: NullableTimestamp;
  breached_at: NullableTimestamp;
  /** Set when the case was solved before this (response) target was met. */
  stopped_at: NullableTimestamp;
  /** Bumped on every reschedule; a check job for an older generation does nothing. */
  generation: number;
  updated_at: UpdatedAt;
}

export interface SlaTables {
  case_sla: CaseSlaTable;
  sla_policies: SlaPoliciesTable;
  case_sla_timers: CaseSlaTimersTable;
}

export type SlaPolicyRow = Selectable<SlaPoliciesTable>;
export type SlaTimerRow = Selectable<CaseSlaTimersTable>;
