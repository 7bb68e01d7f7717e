import { type Kysely, type Migration, sql } from 'kysely';

export const emailOutMigrations: Record<string, Migration> = {
  // Threading headers, the sender per market, attachments (as references: the bytes stay in
  // attachment_blobs) and the case message a mail belongs to, so a failed or bounced mail can
  // be shown on the case ('bounced' joins the statuses in 20261125_51). No foreign keys to the cases tables: channels does not own them, and
  // erasing a case message must not be blocked by the mail that carried it.
  '20261125_55_channels_email_out': {
    async up(db: Kysely<unknown>) {
      await sql`
        ALTER TABLE outbox_messages
          ADD COLUMN message_id text,
          ADD COLUMN in_reply_to text,
          ADD COLUMN reference_ids text[] NOT NULL DEFAULT '{}',
          ADD COLUMN attachments jsonb NOT NULL DEFAULT '[]',
          ADD COLUMN case_id uuid,
          ADD COLUMN case_message_id uuid,
          ADD COLUMN attempts integer NOT NULL DEFAULT 0,
          ADD COLUMN failed_at timestamptz;
        UPDATE outbox_messages SET message_id = '<' || id || '@pitwall>' WHERE message_id IS NULL;
        ALTER TABLE outbox_messages ALTER COLUMN message_id SET NOT NULL;
        CREATE UNIQUE INDEX outbox_messages_message_id ON outbox_messages (message_id);
        CREATE INDEX outbox_messages_case ON outbox_messages (case_id, created_at DESC) WHERE case_id IS NOT NULL;
        CREATE INDEX outbox_messages_status ON outbox_messages (status, created_at DESC);
      `.execute(db);
    },
  },
};
