import type { ColumnType, Generated, Selectable } from 'kysely';

export interface DomainEventsTable {
  id: Generated<string>;
  type: string;
  entity_type: string;
  entity_id: string;
  payload: ColumnType<Record<string, unknown>, string, never>;
  actor_id: string | null;
  request_id: string | null;
  occurred_at: ColumnType<Date, never, never>;
}

export interface EventHandlerRunsTable {
  event_id: string;
  handler: string;
  handled_at: ColumnType<Date, never, never>;
}

export interface PlatformTables {
  domain_events: DomainEventsTable;
  event_handler_runs: EventHandlerRunsTable;
}

export type DomainEventRow = Selectable<DomainEventsTable>;
