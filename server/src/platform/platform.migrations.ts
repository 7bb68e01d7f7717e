import { type Kysely, type Migration, sql } from 'kysely';

export const platformMigrations: Record<string, Migration> = {
  '20261125_01_platform_extensions': {
    async up(db: Kysely<unknown>) {
      await sql`CREATE EXTENSION IF NOT EXISTS citext`.execute(db);
      await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);
    },
  },
  '20261125_02_platform_domain_events': {
    async up(db: Kysely<unknown>) {
      await sql`
        CREATE TABLE domain_events (
          id bigserial PRIMARY KEY,
          type text NOT NULL,
          entity_type text NOT NULL,
          entity_id text NOT NULL,
          payload jsonb NOT NULL DEFAULT '{}',
          actor_id uuid,
          request_id text,
          occurred_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX domain_events_entity ON domain_events (entity_type, entity_id, id);
        CREATE TABLE event_handler_runs (
          event_id bigint NOT NULL REFERENCES domain_events (id),
          handler text NOT NULL,
          handled_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (event_id, handler)
        );
      `.execute(db);
    },
  },
};
