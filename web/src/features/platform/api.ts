import { api } from '../../app/api/client';

export type JobState = 'failed' | 'pending';

export interface Job {
  id: string;
  task: string;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  runAt: string;
  createdAt: string;
  payload: unknown;
}

export type OutboxStatus = 'queued' | 'outbox' | 'sent' | 'failed' | 'bounced';
export const outboxStatuses: OutboxStatus[] = ['queued', 'outbox', 'sent', 'failed', 'bounced'];

export interface OutboxFilters {
  status?: OutboxStatus;
  /** Part of the recipient's address. */
  to?: string;
}

export interface OutboxItem {
  id: string;
  to: string;
  from: string;
  subject: string;
  template: string;
  status: OutboxStatus;
  lastError: string | null;
  attempts: number;
  caseId: string | null;
  createdAt: string;
  sentAt: string | null;
}

export interface OutboxAttachment {
  attachmentId: string;
  filename: string;
  mimeType: string;
  size: number;
  url: string;
}

export interface OutboxMessage extends OutboxItem {
  text: string;
  html: string | null;
  language: string;
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  caseMessageId: string | null;
  failedAt: string | null;
  attachments: OutboxAttachment[];
}

export type InboundStatus = 'quarantined' | 'ignored';
export interface InboundMail {
  id: string;
  mailbox: string;
  source: 'smtp' | 'imap';
  status: 'quarantined' | 'ignored' | 'processed' | 'received';
  reason: string | null;
  /** The reason explained in the signed-in user's language (the stored reason when not one of Pitwall's). */
  reasonText: string | null;
  size: number;
  messageId: string | null;
  receivedAt: string;
}

export interface Mailbox {
  id: string;
  address: string;
  market: string;
  language: 'de' | 'en';
  kind: 'smtp' | 'imap';
  enabled: boolean;
  imap: { host: string; port: number; secure: boolean; user: string; folder: string } | null;
  uidValidity: number | null;
  lastUid: number;
  lastPolledAt: string | null;
  lastPollError: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewSmtpMailbox {
  address: string;
  market: string;
  language: 'de' | 'en';
}

export interface ImapSettingsInput {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password: string;
  folder?: string;
}

export type NewImapMailbox = NewSmtpMailbox & ImapSettingsInput;

export interface MailboxChange {
  enabled?: boolean;
  market?: string;
  language?: 'de' | 'en';
  folder?: string;
}

/** An IMAP mailbox's new connection; the server asks for a step-up. */
export interface MailboxConnectionChange {
  host?: string;
  port?: number;
  secure?: boolean;
  user?: string;
  password?: string;
}

export interface ImapTestResult {
  ok: boolean;
  code: string;
  /** Already in the user's language. */
  message: string;
  messages?: number;
}

export const platformKeys = {
  mailboxes: ['channels', 'mailboxes'] as const,
  quarantine: (status: InboundStatus) => ['channels', 'quarantine', status] as const,
  jobs: (state: JobState) => ['admin', 'jobs', state] as const,
  allJobs: ['admin', 'jobs'] as const,
  outbox: (filters: OutboxFilters) => ['channels', 'outbox', 'list', filters] as const,
  outboxMessage: (id: string) => ['channels', 'outbox', 'message', id] as const,
};

export const platformApi = {
  jobs: (state: JobState) => api.get<{ items: Job[] }>('/api/admin/jobs', { state }),
  retryJob: (id: string) => api.post<void>(`/api/admin/jobs/${encodeURIComponent(id)}/retry`),
  outbox: (filters: OutboxFilters) =>
    api.get<{ items: OutboxItem[] }>('/api/channels/outbox', { status: filters.status, to: filters.to }),
  outboxMessage: (id: string) => api.get<OutboxMessage>(`/api/channels/outbox/${encodeURIComponent(id)}`),
  quarantine: (status: InboundStatus) =>
    api.get<{ items: InboundMail[] }>('/api/channels/quarantine', { status }),
  reprocess: (id: string) =>
    api.post<unknown>(`/api/channels/quarantine/${encodeURIComponent(id)}/reprocess`),
  mailboxes: () => api.get<{ items: Mailbox[] }>('/api/channels/mailboxes'),
  addSmtpMailbox: (input: NewSmtpMailbox) => api.post<Mailbox>('/api/channels/mailboxes/smtp', input),
  addImapMailbox: (input: NewImapMailbox) => api.post<Mailbox>('/api/channels/mailboxes/imap', input),
  updateMailbox: (id: string, change: MailboxChange) =>
    api.patch<Mailbox>(`/api/channels/mailboxes/${encodeURIComponent(id)}`, change),
  changeMailboxConnection: (id: string, change: MailboxConnectionChange) =>
    api.patch<Mailbox>(`/api/channels/mailboxes/${encodeURIComponent(id)}/connection`, change),
  changeMailboxPassword: (id: string, password: string) =>
    api.patch<Mailbox>(`/api/channels/mailboxes/${encodeURIComponent(id)}/connection`, { password }),
  testImapSettings: (settings: ImapSettingsInput) =>
    api.post<ImapTestResult>('/api/channels/mailboxes/test', settings),
  testMailbox: (id: string) =>
    api.post<ImapTestResult>(`/api/channels/mailboxes/${encodeURIComponent(id)}/test`),
};
