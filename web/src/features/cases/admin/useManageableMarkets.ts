import { useQuery } from '@tanstack/react-query';
import { identityApi, identityKeys } from '../../identity/api';
import { useCurrentMe } from '../../identity/session';
import type { Market } from '../../identity/types';

/** The markets the signed-in admin may configure: all for admins, else those of their profile. */
export function useManageableMarkets(): Market[] {
  const me = useCurrentMe();
  const markets = useQuery({
    queryKey: identityKeys.markets,
    queryFn: identityApi.markets,
    staleTime: 300_000,
  });
  const all = markets.data?.items ?? [];
  return me.roles.includes('admin') ? all : all.filter((market) => me.markets.includes(market.code));
}

/** Select options for markets: "Germany (DE)". */
export function marketOptions(markets: readonly Market[]) {
  return markets.map((market) => ({ value: market.code, label: `${market.name} (${market.code})` }));
}
