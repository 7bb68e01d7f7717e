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

export interface OutboxItem {
  id: string;
  to: string;
  subject: string;
  createdAt: string;
  status: string;
}

export interface OutboxMessage extends OutboxItem {
  from: string;
  text: string | null;
  html: string | null;
}

export const platformKeys = {
  jobs: (state: JobState) => ['admin', 'jobs', state] as const,
  allJobs: ['admin', 'jobs'] as const,
  outbox: ['channels', 'outbox'] as const,
  outboxMessage: (id: string) => ['channels', 'outbox', id] as const,
};

export const platformApi = {
  jobs: (state: JobState) => api.get<{ items: Job[] }>('/api/admin/jobs', { state }),
  retryJob: (id: string) => api.post<void>(`/api/admin/jobs/${encodeURIComponent(id)}/retry`),
  outbox: () => api.get<{ items: OutboxItem[] }>('/api/channels/outbox'),
  outboxMessage: (id: string) => api.get<OutboxMessage>(`/api/channels/outbox/${encodeURIComponent(id)}`),
};
