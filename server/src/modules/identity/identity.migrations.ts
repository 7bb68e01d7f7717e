import { type Kysely, type Migration, sql } from 'kysely';

export const identityMigrations: Record<string, Migration> = {
  '20261125_10_identity_users_sessions': {
    async up(db: Kysely<unknown>) {
      await sql`
        CREATE TABLE markets (
          code text PRIMARY KEY CHECK (code ~ '^[A-Z]{2}$'),
          name_en text NOT NULL,
          name_de text NOT NULL,
          time_zone text NOT NULL,
          language text NOT NULL CHECK (language IN ('de', 'en')),
          currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$')
        );
        CREATE TABLE users (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          kind text NOT NULL CHECK (kind IN ('staff', 'customer')),
          email citext NOT NULL UNIQUE,
          name text NOT NULL,
          password_hash text,
          roles text[] NOT NULL DEFAULT '{}',
          markets text[] NOT NULL DEFAULT '{}',
          service_centres text[] NOT NULL DEFAULT '{}',
          customer_id uuid UNIQUE,
          language text NOT NULL DEFAULT 'en' CHECK (language IN ('de', 'en')),
          disabled boolean NOT NULL DEFAULT false,
          failed_login_count integer NOT NULL DEFAULT 0,
          locked_until timestamptz,
          created_at timestamptz NOT NULL DEFAULT now(),
          updated_at timestamptz NOT NULL DEFAULT now(),
          CHECK ((kind = 'customer') = (customer_id IS NOT NULL))
        );
        CREATE INDEX users_roles ON users USING gin (roles);
        CREATE TABLE sessions (
          id text PRIMARY KEY,
          user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
          csrf_token text NOT NULL,
          ip text,
          user_agent text,
          created_at timestamptz NOT NULL DEFAULT now(),
          expires_at timestamptz NOT NULL,
          last_seen_at timestamptz NOT NULL DEFAULT now(),
          elevated_until timestamptz,
          webauthn_challenge text
        );
        CREATE INDEX sessions_user ON sessions (user_id);
        CREATE TABLE login_attempts (
          id bigserial PRIMARY KEY,
          email citext NOT NULL,
          ip text,
          succeeded boolean NOT NULL,
          at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX login_attempts_ip ON login_attempts (ip, at) WHERE NOT succeeded;
        CREATE TABLE password_reset_tokens (
          token_hash text PRIMARY KEY,
          user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
          expires_at timestamptz NOT NULL,
          used_at timestamptz,
          created_at timestamptz NOT NULL DEFAULT now()
        );
      `.execute(db);
    },
  },
  '20261125_11_identity_step_up_tokens': {
    async up(db: Kysely<unknown>) {
      await sql`
        CREATE TABLE totp_credentials (
          user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
          secret_encrypted text NOT NULL,
          confirmed_at timestamptz,
          last_used_step bigint,
          created_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE recovery_codes (
          id bigserial PRIMARY KEY,
          user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
          code_hash text NOT NULL,
          used_at timestamptz
        );
        CREATE INDEX recovery_codes_user ON recovery_codes (user_id);
        CREATE TABLE webauthn_credentials (
          id text PRIMARY KEY,
          user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
          name text NOT NULL,
          public_key bytea NOT NULL,
          counter bigint NOT NULL DEFAULT 0,
          transports text[] NOT NULL DEFAULT '{}',
          created_at timestamptz NOT NULL DEFAULT now(),
          last_used_at timestamptz
        );
        CREATE INDEX webauthn_credentials_user ON webauthn_credentials (user_id);
        CREATE TABLE api_tokens (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          name text NOT NULL,
          token_hash text NOT NULL UNIQUE,
          created_by uuid NOT NULL REFERENCES users (id),
          scopes text[] NOT NULL,
          markets text[] NOT NULL DEFAULT '{}',
          created_at timestamptz NOT NULL DEFAULT now(),
          last_used_at timestamptz,
          expires_at timestamptz,
          revoked_at timestamptz
        );
      `.execute(db);
    },
  },
  '20261125_12_identity_audit_log': {
    async up(db: Kysely<unknown>) {
      // Append-only, enforced by the database itself: no UPDATE, DELETE or TRUNCATE.
      await sql`
        CREATE TABLE audit_log (
          id bigserial PRIMARY KEY,
          at timestamptz NOT NULL DEFAULT now(),
          actor_id uuid,
          actor_kind text NOT NULL CHECK (actor_kind IN ('staff', 'customer', 'token', 'system')),
          actor_label text NOT NULL,
          action text NOT NULL,
          entity_type text NOT NULL,
          entity_id text NOT NULL,
          before jsonb,
          after jsonb,
          request_id text,
          ip text
        );
        CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id, id DESC);
        CREATE INDEX audit_log_actor ON audit_log (actor_id, id DESC);
        CREATE INDEX audit_log_action ON audit_log (action, id DESC);
        CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
            USING ERRCODE = 'insufficient_privilege';
        END $$;
        CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
          FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
        CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
          FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();
      `.execute(db);
    },
  },
  '20261125_13_identity_step_up_attempts': {
    async up(db: Kysely<unknown>) {
      // Step-up codes are six digits: failures are counted per user so they cannot be guessed.
      await sql`
        CREATE TABLE step_up_attempts (
          id bigserial PRIMARY KEY,
          user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
          method text NOT NULL CHECK (method IN ('totp', 'recovery_code', 'passkey')),
          succeeded boolean NOT NULL,
          at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX step_up_attempts_failures ON step_up_attempts (user_id, at) WHERE NOT succeeded;
      `.execute(db);
    },
  },
  '20261125_14_identity_session_notify': {
    async up(db: Kysely<unknown>) {
      // Each server process caches who is behind a session (identity.session-cache.ts). Every
      // change that alters what a session may do is announced here, on commit, so that all
      // processes evict it at once, whichever code (or person at a psql prompt) made it.
      await sql`
        CREATE FUNCTION identity_session_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'DELETE' THEN
            PERFORM pg_notify('pitwall_identity', 's:' || OLD.id);
          ELSIF (OLD.user_id, OLD.csrf_token, OLD.expires_at, OLD.elevated_until)
                IS DISTINCT FROM (NEW.user_id, NEW.csrf_token, NEW.expires_at, NEW.elevated_until) THEN
            PERFORM pg_notify('pitwall_identity', 's:' || OLD.id);
          END IF;
          RETURN NULL;
        END $$;
        CREATE TRIGGER sessions_notify AFTER UPDATE OR DELETE ON sessions
          FOR EACH ROW EXECUTE FUNCTION identity_session_changed();
        CREATE FUNCTION identity_user_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'DELETE' OR
             (OLD.kind, OLD.email, OLD.name, OLD.roles, OLD.markets, OLD.language, OLD.customer_id, OLD.disabled)
             IS DISTINCT FROM
             (NEW.kind, NEW.email, NEW.name, NEW.roles, NEW.markets, NEW.language, NEW.customer_id, NEW.disabled) THEN
            PERFORM pg_notify('pitwall_identity', 'u:' || OLD.id);
          END IF;
          RETURN NULL;
        END $$;
        CREATE TRIGGER users_notify AFTER UPDATE OR DELETE ON users
          FOR EACH ROW EXECUTE FUNCTION identity_user_changed();
        -- Truncating either table (tests, resets) forgets every cached session.
        CREATE FUNCTION identity_all_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          PERFORM pg_notify('pitwall_identity', '*');
          RETURN NULL;
        END $$;
        CREATE TRIGGER sessions_notify_truncate AFTER TRUNCATE ON sessions
          FOR EACH STATEMENT EXECUTE FUNCTION identity_all_changed();
        CREATE TRIGGER users_notify_truncate AFTER TRUNCATE ON users
          FOR EACH STATEMENT EXECUTE FUNCTION identity_all_changed();
      `.execute(db);
    },
  },
};
