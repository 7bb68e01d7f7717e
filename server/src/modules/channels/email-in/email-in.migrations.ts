import { type Kysely, type Migration, sql } from 'kysely';

export const emailInMigrations: Record<string, Migration> = {
  '20261125_50_channels_email_in': {
    async up(db: Kysely<unknown>) {
      await sql`
        CREATE TABLE email_mailboxes (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          address citext NOT NULL UNIQUE,
          market text NOT NULL CHECK (market ~ '^[A-Z]{2}$'),
          language text NOT NULL CHECK (language IN ('de', 'en')),
          kind text NOT NULL CHECK (kind IN ('smtp', 'imap')),
          -- host, port, secure, user, folder and the password sealed with SECRET_KEY
          imap jsonb,
          uidvalidity bigint,
          last_uid bigint NOT NULL DEFAULT 0,
          created_at timestamptz NOT NULL DEFAULT now(),
          CHECK (kind = 'smtp' OR imap IS NOT NULL)
        );
        CREATE TABLE inbound_emails (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          mailbox_id uuid NOT NULL REFERENCES email_mailboxes (id),
          source text NOT NULL CHECK (source IN ('smtp', 'imap')),
          raw bytea NOT NULL,
          raw_sha256 text NOT NULL,
          size integer NOT NULL,
          received_at timestamptz NOT NULL DEFAULT now(),
          status text NOT NULL DEFAULT 'received'
            CHECK (status IN ('received', 'processed', 'quarantined', 'ignored')),
          reason text,
          case_id uuid,
          message_id text,
          envelope jsonb NOT NULL DEFAULT '{}',
          processed_at timestamptz
        );
        -- The same bytes into the same mailbox are one mail: an SMTP retry after a lost 250 and
        -- an IMAP refetch after a UIDVALIDITY change both land here and are not stored again.
        CREATE UNIQUE INDEX inbound_emails_mailbox_raw ON inbound_emails (mailbox_id, raw_sha256);
        CREATE INDEX inbound_emails_status ON inbound_emails (status, received_at DESC);
        CREATE INDEX inbound_emails_message_id ON inbound_emails (message_id) WHERE message_id IS NOT NULL;
        ALTER TABLE inbound_emails ALTER COLUMN raw SET STORAGE EXTERNAL;
      `.execute(db);
    },
  },
  '20261125_51_channels_outbox_bounced': {
    async up(db: Kysely<unknown>) {
      // A bounce (DSN) for an outgoing mail marks it; the rest of the statuses stay as they are.
      await sql`
        DO $$
        DECLARE definition text;
        BEGIN
          SELECT pg_get_constraintdef(oid) INTO definition FROM pg_constraint
            WHERE conrelid = 'outbox_messages'::regclass AND conname = 'outbox_messages_status_check';
          IF definition IS NOT NULL AND position('bounced' in definition) = 0 THEN
            EXECUTE 'ALTER TABLE outbox_messages DROP CONSTRAINT outbox_messages_status_check';
            EXECUTE 'ALTER TABLE outbox_messages ADD CONSTRAINT outbox_messages_status_check '
              || replace(definition, 'ARRAY[', 'ARRAY[''bounced''::text, ');
          END IF;
        END $$;
      `.execute(db);
    },
  },
  '20261126_52_email_mailboxes_admin': {
    async up(db: Kysely<unknown>) {
      // Mailboxes are managed in the app: one can be disabled (never deleted: mail refers to
      // it), pollers report how their last poll went, and every change of what is received
      // where tells all server processes (NOTIFY on commit) to start or stop their pollers —
      // also a change typed at a psql prompt. The pollers' own bookkeeping (UIDs, poll
      // status) is not in the column list, so it notifies nobody.
      await sql`
        ALTER TABLE email_mailboxes
          ADD COLUMN enabled boolean NOT NULL DEFAULT true,
          ADD COLUMN last_polled_at timestamptz,
          ADD COLUMN last_poll_error text,
          ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
        CREATE FUNCTION email_mailboxes_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          PERFORM pg_notify('pitwall_mailboxes', '');
          RETURN NULL;
        END $$;
        CREATE TRIGGER email_mailboxes_changed
          AFTER INSERT OR DELETE OR UPDATE OF address, kind, imap, enabled ON email_mailboxes
          FOR EACH STATEMENT EXECUTE FUNCTION email_mailboxes_notify();
      `.execute(db);
    },
  },
};
