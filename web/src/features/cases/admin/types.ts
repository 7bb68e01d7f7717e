// The admin shapes of the cases module: macros, SLA policies and teams (see the server's schemas).
import type { CaseChannel, CasePriority, Team } from '../types';

/** Statuses a macro may set: never back to new, never closed. */
export const macroStatuses = ['open', 'pending_customer', 'pending_third_party', 'solved'] as const;
export type MacroStatus = (typeof macroStatuses)[number];

/** Placeholders the server knows; anything else is refused with `macro_placeholder_unknown`. */
export const macroPlaceholders = [
  'customer.firstName',
  'customer.name',
  'case.number',
  'vehicle.model',
  'vehicle.vin',
  'agent.name',
] as const;
export type MacroPlaceholder = (typeof macroPlaceholders)[number];

export interface MacroInput {
  title: string;
  bodyDe: string;
  bodyEn: string;
  setStatus: MacroStatus | null;
  addTags: string[];
}

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdays)[number];
/** Opening hours per weekday in the market's time zone; null = closed. */
export type BusinessHours = Record<Weekday, [string, string] | null>;

export const breachActions = ['notify', 'raise_priority', 'reassign'] as const;
export type BreachAction = (typeof breachActions)[number];

export interface SlaPolicyInput {
  name: string;
  market: string;
  priority: CasePriority | null;
  channel: CaseChannel | null;
  firstResponseMinutes: number;
  nextResponseMinutes: number;
  resolutionMinutes: number;
  businessHours: BusinessHours;
  observeHolidays: boolean;
  onBreach: BreachAction;
  escalationTeamId: string | null;
}

export interface SlaPolicy extends SlaPolicyInput {
  id: string;
  createdAt: string;
  updatedAt: string;
}

export interface TeamMember {
  id: string;
  name: string;
  email: string;
  markets: string[];
}

export interface TeamDetail extends Team {
  members: TeamMember[];
  createdAt: string;
}
