// SLA engine of the cases module: policies, business-hours timers, warnings and breaches.
// Other code reads a case's SLA state through `slaSummaries`; everything else runs on events and jobs.
export {
  addBusinessMinutes,
  type BusinessCalendar,
  businessMinutesBetween,
  type WeeklyHours,
} from './sla.business-hours.js';
export type { SlaDeps } from './sla.engine.js';
export { slaEventHandlers } from './sla.handlers.js';
export { slaTasks } from './sla.jobs.js';
export { slaMigrations } from './sla.migrations.js';
export { slaRoutes } from './sla.routes.js';
export type { SlaPolicy } from './sla.schemas.js';
export { type SlaSummary, slaSummaries } from './sla.summary.js';
export type { SlaMetric, SlaState, SlaTables } from './sla.tables.js';
