// Who may see and work a case: staff of the case's market (admins: all markets), and the
// customer whose case it is. Anyone else gets the same 404 as for a case that does not exist.
import { coversMarket, type Principal } from '../identity/index.js';
import type { CaseRow } from './cases.tables.js';

export function mayReadCase(principal: Principal, row: Pick<CaseRow, 'customer_id' | 'market'>): boolean {
  if (principal.kind === 'customer') return principal.customerId === row.customer_id;
  return principal.permissions.has('cases:read') && coversMarket(principal, row.market);
}

export function mayWorkCase(principal: Principal, row: Pick<CaseRow, 'customer_id' | 'market'>): boolean {
  if (principal.kind === 'customer') return false;
  return principal.permissions.has('cases:write') && coversMarket(principal, row.market);
}

/** Customers reply to and close their own cases; they never change anything else. */
export function mayReplyAsCustomer(principal: Principal, row: Pick<CaseRow, 'customer_id'>): boolean {
  return principal.kind === 'customer' && principal.customerId === row.customer_id;
}

/** Markets a staff principal sees cases of; `null` means all. */
export function caseMarkets(principal: Principal): readonly string[] | null {
  if (principal.kind === 'customer') return [];
  return principal.allMarkets ? null : principal.markets;
}
