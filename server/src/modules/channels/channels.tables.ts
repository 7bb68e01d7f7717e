import type { ColumnType, Generated, Selectable } from 'kysely';

export const outboxStatuses = ['queued', 'outbox', 'sent', 'failed', 'bounced'] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];

/** A file of a case message sent along, by reference: the bytes are read when the mail is sent. */
export interface OutboxAttachmentRef {
  attachmentId: string;
  filename: string;
  mimeType: string;
  size: number;
}

type TextArray = ColumnType<string[], string[] | undefined, string[]>;

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
  /** queued → sent, or failed once every attempt is used; bounced when a bounce report names it. */
  status: Generated<OutboxStatus>;
  last_error: string | null;
  created_at: ColumnType<Date, never, never>;
  sent_at: ColumnType<Date, never, Date> | null;
  /** The `Message-ID` header, `<uuid@domain>`; a bounce or a customer's reply names it. */
  message_id: string;
  in_reply_to: string | null;
  reference_ids: TextArray;
  attachments: ColumnType<OutboxAttachmentRef[], string | undefined, string>;
  case_id: string | null;
  case_message_id: string | null;
  /** Send attempts so far (the job's own count, kept here for the outbox view). */
  attempts: ColumnType<number, number | undefined, number>;
  failed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface ChannelsTables {
  outbox_messages: OutboxMessagesTable;
}

export type OutboxMessageRow = Selectable<OutboxMessagesTable>;
