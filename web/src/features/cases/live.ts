import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { LIVE_RECONNECTED, type LiveEvent, useLiveEvent } from '../../app/live';
import { caseKeys } from './api';
import type { CaseDetail } from './types';

// EventSource has no wildcard, so every `case.*` type is named: the contract's, plus the finer ones the
// server emits for single changes (a status-only change arrives as `case.status_changed`, not `case.updated`).
const caseEvents = [
  'case.created',
  'case.updated',
  'case.message_added',
  'case.assigned',
  'case.status_changed',
  'case.priority_changed',
  'case.merged',
  'case.linked',
  'case.sla_warning',
  'case.sla_breached',
  'case.sla_escalated',
] as const;

function refreshCase(queryClient: QueryClient, event: LiveEvent): void {
  const caseId = event.entityId;
  const number = typeof event.data?.number === 'string' ? event.data.number : undefined;
  void queryClient.invalidateQueries({ queryKey: caseKeys.lists });
  void queryClient.invalidateQueries({ queryKey: caseKeys.counts });
  void queryClient.invalidateQueries({ queryKey: caseKeys.searches });
  // A case page is keyed by what its URL holds (number or id); the event names the case by id.
  void queryClient.invalidateQueries({
    queryKey: caseKeys.details,
    predicate: (query) => {
      const ref = query.queryKey[2];
      const shown = query.state.data as CaseDetail | undefined;
      return (
        (caseId !== undefined && (ref === caseId || shown?.id === caseId)) ||
        (number !== undefined && (ref === number || shown?.number === number))
      );
    },
  });
}

/** Keeps every case screen of this tab current: lists, counts, open cases and notifications. */
export function useCasesLiveSync(): void {
  const queryClient = useQueryClient();
  useLiveEvent(caseEvents, (event) => refreshCase(queryClient, event));
  useLiveEvent('notification.created', () => {
    void queryClient.invalidateQueries({ queryKey: caseKeys.notifications });
  });
  useLiveEvent(LIVE_RECONNECTED, () => {
    void queryClient.invalidateQueries({ queryKey: caseKeys.all });
  });
}
