import { type Kysely, type Migration, sql } from 'kysely';

export const channelsMigrations: Record<string, Migration> = {
  '20261125_30_channels_outbox': {
    async up(db: Kysely<unknown>) {
      await sql`
        CREATE TABLE outbox_messages (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          to_address text NOT NULL,
          from_address text NOT NULL,
          subject text NOT NULL,
          text_body text NOT NULL,
          html_body text,
          language text NOT NULL CHECK (language IN ('de', 'en')),
          template text NOT NULL,
          status text NOT NULL DEFAULT 'outbox' CHECK (status IN ('queued', 'outbox', 'sent', 'failed')),
          last_error text,
          created_at timestamptz NOT NULL DEFAULT now(),
          sent_at timestamptz
        );
        CREATE INDEX outbox_messages_created ON outbox_messages (created_at DESC);
        CREATE INDEX outbox_messages_to ON outbox_messages (to_address, created_at DESC);
      `.execute(db);
    },
  },
};
