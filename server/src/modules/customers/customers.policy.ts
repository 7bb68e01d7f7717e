// Who may see a customer: staff and tokens of the customer's market, and the customer
// themself. Everyone else gets the same 404 as for a customer that does not exist.
import { coversMarket, type Principal } from '../identity/index.js';

export function mayReadCustomer(principal: Principal, customer: { id: string; market: string }): boolean {
  if (principal.kind === 'customer') return principal.customerId === customer.id;
  return principal.permissions.has('customers:read') && coversMarket(principal, customer.market);
}

export function mayWriteCustomer(principal: Principal, customer: { id: string; market: string }): boolean {
  if (principal.kind === 'customer') return false;
  return principal.permissions.has('customers:write') && coversMarket(principal, customer.market);
}

/** The markets a staff principal may list customers of; `null` means all. */
export function visibleMarkets(principal: Principal): readonly string[] | null {
  if (principal.kind === 'customer') return [];
  return principal.allMarkets ? null : principal.markets;
}
