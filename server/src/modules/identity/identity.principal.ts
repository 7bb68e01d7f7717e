import type { Language } from '../../platform/i18n.js';
import type { Permission } from './identity.permissions.js';

interface StaffScope {
  /** Market codes this principal may see; ignored when `allMarkets`. */
  markets: readonly string[];
  allMarkets: boolean;
  permissions: ReadonlySet<Permission>;
}

export interface StaffPrincipal extends StaffScope {
  kind: 'staff';
  userId: string;
  email: string;
  name: string;
  roles: readonly string[];
  language: Language;
  sessionId: string;
  csrfToken: string;
  elevatedUntil: Date | null;
}

export interface CustomerPrincipal {
  kind: 'customer';
  userId: string;
  customerId: string;
  email: string;
  name: string;
  language: Language;
  sessionId: string;
  csrfToken: string;
  elevatedUntil: Date | null;
}

/** An integration calling with `Authorization: Bearer pw_…`. */
export interface TokenPrincipal extends StaffScope {
  kind: 'token';
  tokenId: string;
  name: string;
  createdBy: string;
}

export type Principal = StaffPrincipal | CustomerPrincipal | TokenPrincipal;

/** What a service needs to know about who asks: the principal plus request facts for the audit log. */
export interface RequestContext {
  principal: Principal | null;
  requestId: string | null;
  ip: string | null;
  language: Language;
}

export const systemContext: RequestContext = { principal: null, requestId: null, ip: null, language: 'en' };

export function isElevated(principal: Principal): boolean {
  if (principal.kind === 'token') return false;
  return principal.elevatedUntil !== null && principal.elevatedUntil.getTime() > Date.now();
}

/** True when the principal's scope covers this market. */
export function coversMarket(principal: Principal, market: string): boolean {
  if (principal.kind === 'customer') return false;
  return principal.allMarkets || principal.markets.includes(market);
}

export function actorLabel(principal: Principal | null): string {
  if (!principal) return 'system';
  if (principal.kind === 'token') return `token:${principal.name}`;
  return principal.email;
}

export function actorId(principal: Principal | null): string | null {
  if (!principal) return null;
  return principal.kind === 'token' ? principal.createdBy : principal.userId;
}
