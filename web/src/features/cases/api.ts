import { api } from '../../app/api/client';
import type {
  Attachment,
  BulkChange,
  BulkResult,
  CaseCounts,
  CaseDetail,
  CaseNotification,
  CasePage,
  CasePatch,
  CaseStatus,
  InboxFilters,
  Macro,
  Message,
  NamedRef,
  NewCall,
  NewCustomerCase,
  NewMessage,
  NewStaffCase,
  SavedView,
  SearchHit,
  SearchParams,
  Team,
} from './types';

export const casesPageSize = 25;

/** Every key starts with `cases`, so a live event can refresh whatever part of it is on screen. */
export const caseKeys = {
  all: ['cases'] as const,
  lists: ['cases', 'list'] as const,
  list: (filters: InboxFilters, page: number) => ['cases', 'list', filters, page] as const,
  /** A customer's own cases (the portal). */
  mine: ['cases', 'list', 'mine'] as const,
  /** The cases of one customer (customer 360); `scope` names the statuses shown. */
  ofCustomer: (customerId: string, scope: string) =>
    ['cases', 'list', 'customer', customerId, scope] as const,
  counts: ['cases', 'counts'] as const,
  details: ['cases', 'detail'] as const,
  detail: (ref: string) => ['cases', 'detail', ref] as const,
  searches: ['cases', 'search'] as const,
  search: (params: SearchParams) => ['cases', 'search', params] as const,
  views: ['cases', 'views'] as const,
  teams: ['cases', 'teams'] as const,
  assignees: (market: string) => ['cases', 'assignees', market] as const,
  macros: ['cases', 'macros'] as const,
  notifications: ['cases', 'notifications'] as const,
};

type Query = Record<string, string | number | string[] | undefined | null>;

/** Like the client's own query building, but a list becomes a repeated parameter (`status=a&status=b`). */
function withQuery(path: string, query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== null && item !== '') params.append(key, String(item));
    }
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

const ref = (value: string) => `/api/cases/${encodeURIComponent(value)}`;

export const casesApi = {
  list: (filters: InboxFilters, page: number) =>
    api.get<CasePage>(
      withQuery('/api/cases', { ...filters, limit: casesPageSize, offset: (page - 1) * casesPageSize }),
    ),
  mine: () => api.get<CasePage>(withQuery('/api/cases', { limit: 100 })),
  /** Naming statuses lifts the inbox's default of open work only, so solved and closed cases can be listed. */
  ofCustomer: (customerId: string, status: readonly CaseStatus[]) =>
    api.get<CasePage>(
      withQuery('/api/cases', { customerId, status: [...status], sort: 'created_desc', limit: 50 }),
    ),
  counts: () => api.get<CaseCounts>('/api/cases/counts'),
  get: (caseRef: string) => api.get<CaseDetail>(ref(caseRef)),
  createAsCustomer: (input: NewCustomerCase) => api.post<CaseDetail>('/api/cases', input),
  createAsStaff: (input: NewStaffCase) => api.post<CaseDetail>('/api/cases', input),
  update: (caseRef: string, patch: CasePatch) => api.patch<CaseDetail>(ref(caseRef), patch),
  /** `followUpCase` is set when a customer's reply to a closed case opened a new one. */
  addMessage: async (caseRef: string, message: NewMessage) => {
    let followUpCase: string | null = null;
    const created = await api.post<Message>(`${ref(caseRef)}/messages`, message, {
      onResponse: (response) => {
        followUpCase = response.headers.get('x-follow-up-case');
      },
    });
    return { message: created, followUpCase: followUpCase as string | null };
  },
  logCall: (caseRef: string, call: NewCall) => api.post<Message>(`${ref(caseRef)}/calls`, call),
  close: (caseRef: string) => api.post<CaseDetail>(`${ref(caseRef)}/close`),
  follow: (caseRef: string) => api.post<void>(`${ref(caseRef)}/follow`),
  unfollow: (caseRef: string) => api.delete(`${ref(caseRef)}/follow`),
  link: (caseRef: string, other: string) => api.post<void>(`${ref(caseRef)}/links`, { ref: other }),
  unlink: (caseRef: string, linkedId: string) =>
    api.delete(`${ref(caseRef)}/links/${encodeURIComponent(linkedId)}`),
  merge: (caseRef: string, into: string) => api.post<CaseDetail>(`${ref(caseRef)}/merge`, { into }),
  bulk: (change: BulkChange) => api.post<BulkResult>('/api/cases/bulk', change),
  presence: (caseRef: string, state: 'viewing' | 'typing' | 'left') =>
    api.post<void>(`${ref(caseRef)}/presence`, { state }),

  teams: () => api.get<{ items: Team[] }>('/api/cases/teams'),
  assignees: (market: string) => api.get<{ items: NamedRef[] }>('/api/cases/assignees', { market }),

  search: ({ page, ...params }: SearchParams) =>
    api.get<{ items: SearchHit[]; total: number }>(
      withQuery('/api/cases/search', { ...params, limit: casesPageSize, offset: (page - 1) * casesPageSize }),
    ),

  uploadAttachment: (file: File) => {
    const form = new FormData();
    form.append('file', file);
    return api.post<Attachment>('/api/cases/attachments', form);
  },

  macros: () => api.get<{ items: Macro[] }>('/api/cases/macros'),
  renderMacro: (caseRef: string, macroId: string) =>
    api.get<{ body: string }>(`${ref(caseRef)}/macros/${encodeURIComponent(macroId)}/render`),
  applyMacro: (caseRef: string, macroId: string) =>
    api.post<Message>(`${ref(caseRef)}/macros/${encodeURIComponent(macroId)}/apply`),

  views: () => api.get<{ items: SavedView[] }>('/api/cases/views'),
  saveView: (name: string, filters: InboxFilters) =>
    api.post<SavedView>('/api/cases/views', { name, filters }),
  deleteView: (id: string) => api.delete(`/api/cases/views/${encodeURIComponent(id)}`),

  notifications: () => api.get<{ items: CaseNotification[]; unread: number }>('/api/cases/notifications'),
  markRead: (id: string) => api.post<void>(`/api/cases/notifications/${encodeURIComponent(id)}/read`),
  markAllRead: () => api.post<void>('/api/cases/notifications/read-all'),
};
