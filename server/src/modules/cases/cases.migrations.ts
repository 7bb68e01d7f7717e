import { type Kysely, type Migration, sql } from 'kysely';

export const casesMigrations: Record<string, Migration> = {
  '20261125_40_cases_core': {
    async up(db: Kysely<unknown>) {
      await sql`
        CREATE TABLE teams (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          name text NOT NULL UNIQUE,
          markets text[] NOT NULL DEFAULT '{}',
          created_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE team_members (
          team_id uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
          user_id uuid NOT NULL,
          PRIMARY KEY (team_id, user_id)
        );
        CREATE INDEX team_members_user ON team_members (user_id);

        CREATE SEQUENCE case_number_seq;
        CREATE TABLE cases (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          number text NOT NULL UNIQUE,
          subject text NOT NULL,
          status text NOT NULL CHECK (status IN ('new', 'open', 'pending_customer', 'pending_third_party', 'solved', 'closed')),
          priority text NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
          channel text NOT NULL CHECK (channel IN ('portal', 'email', 'phone', 'social', 'system')),
          customer_id uuid NOT NULL,
          vehicle_id uuid,
          market text NOT NULL,
          team_id uuid REFERENCES teams (id),
          assignee_id uuid,
          tags text[] NOT NULL DEFAULT '{}',
          merged_into_id uuid REFERENCES cases (id),
          follow_up_of_id uuid REFERENCES cases (id),
          language text NOT NULL CHECK (language IN ('de', 'en')),
          created_at timestamptz NOT NULL DEFAULT now(),
          updated_at timestamptz NOT NULL DEFAULT now(),
          last_customer_message_at timestamptz,
          last_staff_reply_at timestamptz,
          first_response_at timestamptz,
          solved_at timestamptz,
          closed_at timestamptz
        );
        -- The inbox: open work by market, newest activity first; mine; unassigned.
        CREATE INDEX cases_market_status_updated ON cases (market, status, updated_at DESC) WHERE merged_into_id IS NULL;
        CREATE INDEX cases_assignee_updated ON cases (assignee_id, updated_at DESC) WHERE merged_into_id IS NULL;
        CREATE INDEX cases_team_updated ON cases (team_id, updated_at DESC) WHERE merged_into_id IS NULL;
        CREATE INDEX cases_customer ON cases (customer_id, updated_at DESC);
        CREATE INDEX cases_vehicle ON cases (vehicle_id) WHERE vehicle_id IS NOT NULL;
        CREATE INDEX cases_tags ON cases USING gin (tags);

        CREATE TABLE case_followers (
          case_id uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
          user_id uuid NOT NULL,
          PRIMARY KEY (case_id, user_id)
        );
        CREATE TABLE case_links (
          case_id uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
          linked_case_id uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
          created_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (case_id, linked_case_id),
          CHECK (case_id <> linked_case_id)
        );

        CREATE TABLE case_messages (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          case_id uuid NOT NULL REFERENCES cases (id),
          kind text NOT NULL CHECK (kind IN ('reply', 'note', 'phone_call', 'system')),
          internal boolean NOT NULL,
          author_kind text NOT NULL CHECK (author_kind IN ('customer', 'staff', 'system')),
          author_id uuid,
          author_name text NOT NULL,
          channel text NOT NULL CHECK (channel IN ('portal', 'email', 'phone', 'social', 'system')),
          body_text text NOT NULL,
          body_html text,
          call jsonb,
          external_id text,
          -- German and English stems side by side: "Batterien" finds "Batterie", "charging" finds "charge".
          search_vector tsvector GENERATED ALWAYS AS (
            to_tsvector('german', left(body_text, 100000)) || to_tsvector('english', left(body_text, 100000))
          ) STORED,
          created_at timestamptz NOT NULL DEFAULT now(),
          CHECK (kind <> 'note' OR internal)
        );
        CREATE INDEX case_messages_case ON case_messages (case_id, created_at);
        CREATE INDEX case_messages_search ON case_messages USING gin (search_vector);
        CREATE UNIQUE INDEX case_messages_external ON case_messages (external_id) WHERE external_id IS NOT NULL;

        CREATE TABLE attachment_blobs (
          sha256 text PRIMARY KEY,
          content bytea NOT NULL,
          size integer NOT NULL,
          mime_type text NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now()
        );
        -- An upload is unattached (no case, no message) until a message uses it.
        CREATE TABLE case_attachments (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          case_id uuid REFERENCES cases (id),
          message_id uuid REFERENCES case_messages (id),
          sha256 text NOT NULL REFERENCES attachment_blobs (sha256),
          filename text NOT NULL,
          mime_type text NOT NULL,
          size integer NOT NULL,
          uploaded_by uuid,
          created_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX case_attachments_case ON case_attachments (case_id);
        CREATE INDEX case_attachments_message ON case_attachments (message_id);

        CREATE TABLE macros (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          title text NOT NULL,
          body_de text NOT NULL,
          body_en text NOT NULL,
          set_status text CHECK (set_status IN ('open', 'pending_customer', 'pending_third_party', 'solved')),
          add_tags text[] NOT NULL DEFAULT '{}',
          created_by uuid,
          created_at timestamptz NOT NULL DEFAULT now(),
          updated_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE saved_views (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          user_id uuid NOT NULL,
          name text NOT NULL,
          filters jsonb NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now(),
          UNIQUE (user_id, name)
        );
        CREATE TABLE notifications (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          user_id uuid NOT NULL,
          kind text NOT NULL,
          case_id uuid REFERENCES cases (id),
          title text NOT NULL,
          body text NOT NULL,
          read_at timestamptz,
          created_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX notifications_user ON notifications (user_id, created_at DESC);
      `.execute(db);
    },
  },
  '20261125_44_cases_message_email_fields': {
    async up(db: Kysely<unknown>) {
      // Quoted history is kept but folded away; mail headers let replies thread in mail clients.
      await sql`
        ALTER TABLE case_messages ADD COLUMN quoted_text text;
        ALTER TABLE case_messages ADD COLUMN email jsonb;
      `.execute(db);
    },
  },
  '20261125_45_cases_open_and_merge_indexes': {
    async up(db: Kysely<unknown>) {
      // "Which cases were merged into this one" on every case open; the open inbox by market
      // newest first without sorting every open case.
      await sql`
        CREATE INDEX cases_merged_into ON cases (merged_into_id) WHERE merged_into_id IS NOT NULL;
        CREATE INDEX cases_open_market_updated ON cases (market, updated_at DESC)
          WHERE merged_into_id IS NULL AND status IN ('new', 'open', 'pending_customer', 'pending_third_party');
      `.execute(db);
    },
  },
  '20261125_56_cases_open_inbox_keyset': {
    async up(db: Kysely<unknown>) {
      // The inbox orders by last update and then by id, so that equal timestamps (a bulk change
      // stamps many cases with one now()) never make a case appear on two pages. With the id in
      // the index the page is read straight off it, 25 entries, instead of sorting each run of
      // equal timestamps; the older index is a prefix of this one.
      await sql`
        CREATE INDEX cases_open_market_updated_id ON cases (market, updated_at DESC, id)
          WHERE merged_into_id IS NULL AND status IN ('new', 'open', 'pending_customer', 'pending_third_party');
        DROP INDEX cases_open_market_updated;
      `.execute(db);
    },
  },
  '20261205_10_cases_inbound_claim': {
    async up(db: Kysely<unknown>) {
      // An inbound message's Message-ID claimed and looked up in one round trip (was two per
      // mail): the lock first, then the lookup. A VOLATILE function's statements each take a
      // fresh snapshot, so the lookup sees what a transaction that held the lock committed.
      await sql`
        CREATE FUNCTION cases_inbound_claim(external text)
          RETURNS TABLE (case_id uuid, case_number text, message_id uuid)
          LANGUAGE plpgsql VOLATILE AS $$
        BEGIN
          PERFORM pg_advisory_xact_lock(hashtext('inbound:' || external));
          RETURN QUERY SELECT c.id, c.number, m.id FROM case_messages m JOIN cases c ON c.id = m.case_id
            WHERE m.external_id = external LIMIT 1;
        END $$;
      `.execute(db);
    },
  },
  '20261206_20_cases_inbound_claim_many': {
    async up(db: Kysely<unknown>) {
      // The Message-IDs of a batch of mail claimed and looked up in one round trip (one per mail
      // before); a single message claims through it too (cases_inbound_claim is no longer called). The locks are taken in the order of their keys, so two transactions claiming
      // overlapping sets never wait for each other in a circle.
      await sql`
        CREATE FUNCTION cases_inbound_claim_many(externals text[])
          RETURNS TABLE (external_id text, case_id uuid, case_number text, message_id uuid)
          LANGUAGE plpgsql VOLATILE AS $$
        DECLARE
          key integer;
        BEGIN
          FOR key IN SELECT DISTINCT hashtext('inbound:' || e) FROM unnest(externals) AS e ORDER BY 1 LOOP
            PERFORM pg_advisory_xact_lock(key);
          END LOOP;
          RETURN QUERY SELECT m.external_id, c.id, c.number, m.id FROM case_messages m
            JOIN cases c ON c.id = m.case_id WHERE m.external_id = ANY (externals);
        END $$;
      `.execute(db);
    },
  },
};
