// The shapes of docs/cases-api-draft.md, as the web app reads them.

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

export type CaseChannel = 'portal' | 'email' | 'phone' | 'social' | 'system';

export const inboxViews = ['mine', 'unassigned', 'team', 'sla_at_risk', 'sla_breached', 'all'] as const;
export type InboxView = (typeof inboxViews)[number];

export const caseSorts = [
  'updated_desc',
  'updated_asc',
  'created_desc',
  'priority_desc',
  'sla_due_asc',
] as const;
export type CaseSort = (typeof caseSorts)[number];

export const caseTopics = ['charging', 'software', 'delivery', 'service', 'billing', 'other'] as const;
export type CaseTopic = (typeof caseTopics)[number];

export const callOutcomes = ['resolved', 'callback_needed', 'no_answer', 'dropped', 'voicemail'] as const;
export type CallOutcome = (typeof callOutcomes)[number];
export type CallDirection = 'inbound' | 'outbound';

export interface Sla {
  state: 'ok' | 'warning' | 'breached' | 'paused' | 'met' | 'none';
  metric: 'first_response' | 'next_response' | 'resolution' | null;
  dueAt: string | null;
  breachedAt: string | null;
}

export interface NamedRef {
  id: string;
  name: string;
}

/** One page of the inbox. `total` is exact up to 1,000 cases past the page; beyond, "at least". */
export interface CasePage {
  items: CaseSummary[];
  total: number;
  totalIsLowerBound: boolean;
}

export interface CaseSummary {
  id: string;
  number: string;
  subject: string;
  status: CaseStatus;
  priority: CasePriority;
  channel: CaseChannel;
  market: string;
  language: string;
  tags: string[];
  customer: NamedRef;
  vehicle: { id: string; vin: string; model: string } | null;
  assignee: NamedRef | null;
  team: NamedRef | null;
  createdAt: string;
  updatedAt: string;
  lastCustomerMessageAt: string | null;
  sla: Sla;
}

export interface Attachment {
  id: string;
  filename: string;
  mimeType: string;
  size: number;
  url: string;
  previewUrl: string | null;
}

export interface Message {
  id: string;
  kind: 'reply' | 'note' | 'phone_call' | 'system';
  internal: boolean;
  author: { kind: 'customer' | 'staff' | 'system'; id: string | null; name: string };
  channel: CaseChannel;
  bodyText: string;
  bodyHtml: string | null;
  /** Quoted history and signature of an email, shown folded. */
  quotedText: string | null;
  call: { direction: CallDirection; durationSeconds: number; outcome: CallOutcome } | null;
  attachments: Attachment[];
  createdAt: string;
}

export interface CaseLink {
  id: string;
  number: string;
  subject: string;
  status: CaseStatus;
}

export interface CaseDetail extends CaseSummary {
  followers: NamedRef[];
  links: CaseLink[];
  followUpOf: { id: string; number: string } | null;
  mergedFrom: { id: string; number: string }[];
  redirectedFrom: string | null;
  timeline: Message[];
  viewerIsFollower: boolean;
}

/** The inbox query (`GET /api/cases`); also what a saved view stores as `filters`. */
export interface InboxFilters {
  view?: InboxView;
  status?: CaseStatus[];
  priority?: CasePriority;
  market?: string;
  assigneeId?: string;
  teamId?: string;
  tag?: string;
  sort?: CaseSort;
}

export interface SavedView {
  id: string;
  name: string;
  filters: InboxFilters;
}

export interface CaseCounts {
  mine: number;
  unassigned: number;
  team: number;
  sla_at_risk: number;
  sla_breached: number;
  all: number;
}

export interface CasePatch {
  subject?: string;
  status?: CaseStatus;
  priority?: CasePriority;
  assigneeId?: string | null;
  teamId?: string | null;
  tags?: string[];
  vehicleId?: string | null;
}

export interface BulkChange {
  caseIds: string[];
  status?: CaseStatus;
  assigneeId?: string | null;
  addTags?: string[];
  removeTags?: string[];
}

export interface BulkResult {
  updated: string[];
  failed: { id: string; code: string; message: string }[];
}

export interface Macro {
  id: string;
  title: string;
  bodyDe: string;
  bodyEn: string;
  setStatus: CaseStatus | null;
  addTags: string[];
}

export interface Team {
  id: string;
  name: string;
  markets: string[];
}

export interface CaseNotification {
  id: string;
  kind: string;
  caseId: string;
  caseNumber: string;
  title: string;
  body: string;
  readAt: string | null;
  createdAt: string;
}

export interface SearchParams {
  q: string;
  status: CaseStatus[];
  market: string;
  from: string;
  to: string;
  model: string;
  page: number;
}

export interface SearchHit {
  case: CaseSummary;
  rank: number;
  snippet: string;
}

export interface NewMessage {
  kind: 'reply' | 'note';
  body: string;
  attachmentIds?: string[];
  status?: CaseStatus;
}

export interface NewCall {
  direction: CallDirection;
  durationSeconds: number;
  outcome: CallOutcome;
  notes: string;
}

export interface NewCustomerCase {
  subject: string;
  topic: CaseTopic;
  body: string;
  vehicleId?: string;
  attachmentIds?: string[];
}

/** Channels an agent can open a case on (`system` is the platform's own). */
export const staffCaseChannels = ['phone', 'email', 'portal', 'social'] as const;
export type StaffCaseChannel = (typeof staffCaseChannels)[number];

export interface NewStaffCase {
  customerId: string;
  subject: string;
  body: string;
  channel: StaffCaseChannel;
  priority: CasePriority;
  vehicleId?: string;
}
