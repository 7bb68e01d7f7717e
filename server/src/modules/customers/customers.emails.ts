// What the mail channel reports back about a customer's address.
import { sql } from 'kysely';
import type { Executor } from '../../platform/database.js';

/** Marks every customer address equal to `address` as bounced; returns how many were marked. */
export async function markEmailBounced(db: Executor, address: string): Promise<number> {
  const result = await db
    .updateTable('customer_emails')
    .set({ bounced_at: sql`now()` })
    .where('address', '=', address.trim().toLowerCase())
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
