import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext } from 'react';
import { fetchMe, identityKeys } from './api';
import { can, type Me } from './types';

/** The current session; `data` is null when nobody is signed in. */
export function useMe() {
  return useQuery({ queryKey: identityKeys.me, queryFn: fetchMe, retry: false, staleTime: 60_000 });
}

/** Provided by the session guard, so screens behind it never see a missing Me (e.g. while signing out). */
export const CurrentMeContext = createContext<Me | null>(null);

/** The signed-in principal inside a guarded area. */
export function useCurrentMe(): Me {
  const me = useContext(CurrentMeContext);
  if (!me) throw new Error('useCurrentMe needs a signed-in area (RequireSession)');
  return me;
}

export function useSetMe() {
  const queryClient = useQueryClient();
  return useCallback((me: Me | null) => queryClient.setQueryData(identityKeys.me, me), [queryClient]);
}

/** Where a principal lands after signing in: staff who work cases start in the inbox. */
export function homePathFor(me: Pick<Me, 'kind' | 'roles' | 'permissions'>): string {
  if (me.kind === 'customer') return '/portal';
  return can(me, 'cases:read') ? '/agent/cases' : '/agent/customers';
}
