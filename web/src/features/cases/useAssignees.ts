import { useQueries, useQuery } from '@tanstack/react-query';
import { identityApi, identityKeys } from '../identity/api';
import { useCurrentMe } from '../identity/session';
import { caseKeys, casesApi } from './api';
import type { NamedRef } from './types';

/** The markets the signed-in agent works in (all markets when their profile names none, e.g. admins). */
export function useMyMarkets(): string[] {
  const me = useCurrentMe();
  const all = useQuery({
    queryKey: identityKeys.markets,
    queryFn: identityApi.markets,
    enabled: me.markets.length === 0,
  });
  return me.markets.length > 0 ? me.markets : (all.data?.items ?? []).map((market) => market.code);
}

/** Who may be assigned cases of any of these markets (the API answers one market at a time). */
export function useAssignees(markets: readonly string[]): NamedRef[] {
  return useQueries({
    queries: [...new Set(markets)].sort().map((market) => ({
      queryKey: caseKeys.assignees(market),
      queryFn: () => casesApi.assignees(market),
      staleTime: 60_000,
    })),
    combine: (results) => {
      const byId = new Map<string, NamedRef>();
      for (const result of results) for (const item of result.data?.items ?? []) byId.set(item.id, item);
      return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
    },
  });
}
