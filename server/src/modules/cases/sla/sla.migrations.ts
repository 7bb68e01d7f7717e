import { type Kysely, type Migration, sql } from 'kysely';

export const slaMigrations: Record<string, Migration> = {
  '20261125_41_cases_sla_state': {
    async up(db: Kysely<unknown>) {
      await sql`
        CREATE TABLE case_sla (
          case_id uuid PRIMARY KEY REFERENCES cases (id),
          policy_id uuid,
          state text NOT NULL DEFAULT 'none' CHECK (state IN ('ok', 'warning', 'breached', 'paused', 'met', 'none')),
          metric text CHECK (metric IN ('first_response', 'next_response', 'resolution')),
          due_at timestamptz,
          breached_at timestamptz,
          updated_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX case_sla_state_due ON case_sla (state, due_at);
      `.execute(db);
    },
  },
  '20261125_42_cases_sla_policies_timers': {
    async up(db: Kysely<unknown>) {
      await sql`
        CREATE TABLE sla_policies (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          name text NOT NULL,
          market text NOT NULL REFERENCES markets (code),
          priority text CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
          channel text CHECK (channel IN ('portal', 'email', 'phone', 'social', 'system')),
          first_response_minutes integer NOT NULL CHECK (first_response_minutes > 0),
          next_response_minutes integer NOT NULL CHECK (next_response_minutes > 0),
          resolution_minutes integer NOT NULL CHECK (resolution_minutes > 0),
          business_hours jsonb NOT NULL,
          observe_holidays boolean NOT NULL DEFAULT true,
          on_breach text NOT NULL CHECK (on_breach IN ('notify', 'raise_priority', 'reassign')),
          escalation_team_id uuid REFERENCES teams (id),
          created_at timestamptz NOT NULL DEFAULT now(),
          updated_at timestamptz NOT NULL DEFAULT now(),
          CHECK (on_breach <> 'reassign' OR escalation_team_id IS NOT NULL)
        );
        -- One policy per market, priority and channel; null means "any" and counts as a value.
        CREATE UNIQUE INDEX sla_policies_scope ON sla_policies (market, priority, channel) NULLS NOT DISTINCT;

        CREATE TABLE case_sla_timers (
          case_id uuid NOT NULL REFERENCES cases (id),
          metric text NOT NULL CHECK (metric IN ('first_response', 'next_response', 'resolution')),
          policy_id uuid REFERENCES sla_policies (id) ON DELETE SET NULL,
          target_minutes integer NOT NULL,
          started_at timestamptz NOT NULL,
          resumed_at timestamptz NOT NULL,
          consumed_minutes double precision NOT NULL DEFAULT 0,
          due_at timestamptz,
          warn_at timestamptz,
          paused_at timestamptz,
          warned_at timestamptz,
          met_at timestamptz,
          breached_at timestamptz,
          stopped_at timestamptz,
          generation integer NOT NULL DEFAULT 0,
          updated_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (case_id, metric)
        );
      `.execute(db);
    },
  },
};
