// Vehicle look-ups search needs from the customers module. They read the customers
// module's `vehicles` table and belong in customers/index.ts; they live here only until
// that module exports them (then this file goes and the imports point there).
import type { Executor } from '../../../platform/database.js';

/** Ids of every vehicle of a model (case-insensitive), for the model filter. */
export async function vehicleIdsOfModel(db: Executor, model: string): Promise<string[]> {
  const rows = await db
    .selectFrom('vehicles')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['model']), '=', model.trim().toLowerCase()))
    .execute();
  return rows.map((row) => row.id);
}

/** The id of the vehicle with this VIN, if there is one. */
export async function vehicleIdsOfVin(db: Executor, vin: string): Promise<string[]> {
  const rows = await db.selectFrom('vehicles').select('id').where('vin', '=', vin).execute();
  return rows.map((row) => row.id);
}
