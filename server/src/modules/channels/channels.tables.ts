import type { ColumnType, Generated, Selectable } from 'kysely';

/** Every outgoing mail is written here first; with SMTP configured a job then sends it. */
export interface OutboxMessagesTable {
  id: Generated<string>;
  to_address: string;
  from_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  language: 'de' | 'en';
  template: string;
  status: Generated<'queued' | 'outbox' | 'sent' | 'failed'>;
  last_error: string | null;
  created_at: ColumnType<Date, never, never>;
  sent_at: ColumnType<Date, never, Date> | null;
}

export interface ChannelsTables {
  outbox_messages: OutboxMessagesTable;
}

export type OutboxMessageRow = Selectable<OutboxMessagesTable>;
