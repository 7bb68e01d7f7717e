import type { ColumnType, Generated, Selectable } from 'kysely';

type CreatedAt = ColumnType<Date, never, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;

export const caseStatuses = [
  'new',
  'open',
  'pending_customer',
  'pending_third_party',
  'solved',
  'closed',
] as const;
export type CaseStatus = (typeof caseStatuses)[number];
export const casePriorities = ['low', 'normal', 'high', 'urgent'] as const;
export type CasePriority = (typeof casePriorities)[number];
export const caseChannels = ['portal', 'email', 'phone', 'social', 'system'] as const;
export type CaseChannel = (typeof caseChannels)[number];

export interface TeamsTable {
  id: Generated<string>;
  name: string;
  markets: TextArray;
  created_at: CreatedAt;
}

export interface TeamMembersTable {
  team_id: string;
  user_id: string;
}

export interface CasesTable {
  id: Generated<string>;
  /** Human-friendly number, e.g. PW-2026-000123. */
  number: string;
  subject: string;
  status: CaseStatus;
  priority: CasePriority;
  channel: CaseChannel;
  customer_id: string;
  vehicle_id: string | null;
  market: string;
  team_id: string | null;
  assignee_id: string | null;
  tags: TextArray;
  /** Set when this case was merged into another; its number then redirects there. */
  merged_into_id: string | null;
  /** A reply to a closed case opens a follow-up linked to it. */
  follow_up_of_id: string | null;
  /** Language of the conversation (for search and macros). */
  language: 'de' | 'en';
  created_at: CreatedAt;
  updated_at: Timestamp;
  last_customer_message_at: NullableTimestamp;
  last_staff_reply_at: NullableTimestamp;
  first_response_at: NullableTimestamp;
  solved_at: NullableTimestamp;
  closed_at: NullableTimestamp;
}

export interface CaseFollowersTable {
  case_id: string;
  user_id: string;
}

export interface CaseLinksTable {
  case_id: string;
  linked_case_id: string;
  created_at: CreatedAt;
}

export const messageKinds = ['reply', 'note', 'phone_call', 'system'] as const;
export type MessageKind = (typeof messageKinds)[number];

export interface CaseMessagesTable {
  id: Generated<string>;
  case_id: string;
  kind: MessageKind;
  /** Internal notes and system entries never reach the customer. */
  internal: boolean;
  author_kind: 'customer' | 'staff' | 'system';
  author_id: string | null;
  author_name: string;
  channel: CaseChannel;
  body_text: string;
  /** Sanitised HTML for display (email bodies), or null. */
  body_html: string | null;
  /** Phone call details: direction, duration, outcome. */
  call: ColumnType<PhoneCall | null, string | null | undefined, string | null>;
  /** A channel's own id for de-duplication (e.g. an email Message-ID). */
  external_id: string | null;
  /** Quoted history and signature, shown folded ("show quoted text"). */
  quoted_text: string | null;
  /** Mail headers of an email message (threading of replies). */
  email: ColumnType<EmailHeaders | null, string | null | undefined, string | null>;
  /** German and English stems of the text (maintained by the database). */
  search_vector: ColumnType<string, never, never>;
  created_at: Timestamp;
}

export interface EmailHeaders {
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  from: string;
  to: string[];
  cc: string[];
  subject: string;
}

export interface PhoneCall {
  direction: 'inbound' | 'outbound';
  durationSeconds: number;
  outcome: 'resolved' | 'callback_needed' | 'no_answer' | 'dropped' | 'voicemail';
}

export interface AttachmentBlobsTable {
  sha256: string;
  content: Buffer;
  size: number;
  mime_type: string;
  created_at: CreatedAt;
}

export interface CaseAttachmentsTable {
  id: Generated<string>;
  case_id: string | null;
  message_id: string | null;
  sha256: string;
  filename: string;
  mime_type: string;
  size: number;
  uploaded_by: string | null;
  created_at: CreatedAt;
}

export interface MacrosTable {
  id: Generated<string>;
  title: string;
  body_de: string;
  body_en: string;
  /** Status to set when the macro is applied, if any. */
  set_status: CaseStatus | null;
  add_tags: TextArray;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface SavedViewsTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  filters: ColumnType<Record<string, unknown>, string, string>;
  created_at: CreatedAt;
}

export interface NotificationsTable {
  id: Generated<string>;
  user_id: string;
  kind: string;
  case_id: string | null;
  title: string;
  body: string;
  read_at: NullableTimestamp;
  created_at: CreatedAt;
}

export interface CasesTables {
  teams: TeamsTable;
  team_members: TeamMembersTable;
  cases: CasesTable;
  case_followers: CaseFollowersTable;
  case_links: CaseLinksTable;
  case_messages: CaseMessagesTable;
  attachment_blobs: AttachmentBlobsTable;
  case_attachments: CaseAttachmentsTable;
  macros: MacrosTable;
  saved_views: SavedViewsTable;
  notifications: NotificationsTable;
}

export type CaseRow = Selectable<CasesTable>;
export type CaseMessageRow = Selectable<CaseMessagesTable>;
