import { useMutation, useQueryClient } from '@tanstack/react-query';
import { caseKeys, casesApi } from '../api';
import type { CaseDetail, CasePatch, NewCall, NewMessage } from '../types';

/** Refreshes one case wherever it is shown (by id or number) and the lists it appears in. */
export function useRefreshCase() {
  const queryClient = useQueryClient();
  return (detail: Pick<CaseDetail, 'id' | 'number'>, updated?: CaseDetail) => {
    if (updated) {
      queryClient.setQueriesData<CaseDetail>({ queryKey: caseKeys.details }, (shown) =>
        shown?.id === updated.id ? { ...updated, redirectedFrom: shown.redirectedFrom } : shown,
      );
    }
    void queryClient.invalidateQueries({
      queryKey: caseKeys.details,
      predicate: (query) => {
        const shown = query.state.data as CaseDetail | undefined;
        return (
          shown?.id === detail.id || query.queryKey[2] === detail.number || query.queryKey[2] === detail.id
        );
      },
    });
    void queryClient.invalidateQueries({ queryKey: caseKeys.lists });
    void queryClient.invalidateQueries({ queryKey: caseKeys.counts });
  };
}

/** The changes an agent makes on a case page; each refreshes the case when done. */
export function useCaseActions(detail: CaseDetail) {
  const refresh = useRefreshCase();
  const done = (updated?: CaseDetail) => refresh(detail, updated);
  return {
    update: useMutation({
      mutationFn: (patch: CasePatch) => casesApi.update(detail.id, patch),
      onSuccess: (updated) => done(updated),
    }),
    addMessage: useMutation({
      mutationFn: (message: NewMessage) => casesApi.addMessage(detail.id, message),
      onSuccess: () => done(),
    }),
    logCall: useMutation({
      mutationFn: (call: NewCall) => casesApi.logCall(detail.id, call),
      onSuccess: () => done(),
    }),
    follow: useMutation({
      mutationFn: (follow: boolean) => (follow ? casesApi.follow(detail.id) : casesApi.unfollow(detail.id)),
      onSuccess: () => done(),
    }),
    link: useMutation({
      mutationFn: (other: string) => casesApi.link(detail.id, other),
      onSuccess: () => done(),
    }),
    unlink: useMutation({
      mutationFn: (linkedId: string) => casesApi.unlink(detail.id, linkedId),
      onSuccess: () => done(),
    }),
    applyMacro: useMutation({
      mutationFn: (macroId: string) => casesApi.applyMacro(detail.id, macroId),
      onSuccess: () => done(),
    }),
  };
}

export type CaseActions = ReturnType<typeof useCaseActions>;
