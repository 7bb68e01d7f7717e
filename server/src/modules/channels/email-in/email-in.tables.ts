import type { ColumnType, Generated, Selectable } from 'kysely';

type CreatedAt = ColumnType<Date, never, never>;

/** Where IMAP mail is fetched from; the password is sealed with SECRET_KEY (platform/crypto). */
export interface ImapSettings {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  passwordSealed: string;
  /** The folder to poll; INBOX when absent. */
  folder?: string;
}

/** An address Pitwall receives mail for: over its SMTP receiver, or polled over IMAP. */
export interface EmailMailboxesTable {
  id: Generated<string>;
  address: string;
  market: string;
  language: 'de' | 'en';
  kind: 'smtp' | 'imap';
  imap: ColumnType<ImapSettings | null, string | null | undefined, string | null>;
  uidvalidity: ColumnType<
    string | null,
    string | number | bigint | null | undefined,
    string | number | bigint | null
  >;
  last_uid: ColumnType<string, string | number | undefined, string | number>;
  /** A disabled mailbox is neither polled nor accepted by the SMTP receiver; never deleted. */
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  /** When its poller last finished a synchronisation, and the error of its last failed session. */
  last_polled_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  last_poll_error: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export type InboundStatus = 'received' | 'processed' | 'quarantined' | 'ignored';

/** Every accepted mail, raw, committed before it is acknowledged; processed by a job. */
export interface InboundEmailsTable {
  id: Generated<string>;
  mailbox_id: string;
  source: 'smtp' | 'imap';
  raw: Buffer;
  raw_sha256: string;
  size: number;
  received_at: CreatedAt;
  status: ColumnType<InboundStatus, InboundStatus | undefined, InboundStatus>;
  reason: string | null;
  case_id: string | null;
  message_id: string | null;
  envelope: ColumnType<InboundEnvelope, string | undefined, string>;
  processed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

/** What the SMTP conversation (or the IMAP fetch) said about the mail. */
export interface InboundEnvelope {
  mailFrom?: string | null;
  rcptTo?: string[];
  remoteAddress?: string | null;
  imapUid?: number;
  imapUidValidity?: string;
}

export interface EmailInTables {
  email_mailboxes: EmailMailboxesTable;
  inbound_emails: InboundEmailsTable;
}

export type EmailMailboxRow = Selectable<EmailMailboxesTable>;
export type InboundEmailRow = Selectable<InboundEmailsTable>;
