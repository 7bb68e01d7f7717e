// Demo data for the fictional brand "Nordlys Motors": markets, staff of every role,
// customers with vehicles, all derived from one seed. The seeding tool may write every
// module's tables; nothing else in the application imports from here.
import type { Db } from '../platform/database.js';

export { BRAND, isValidVin } from './brand.js';
export { seedDemoCases } from './cases.js';
export { DEMO_PASSWORD, type DemoLogin, demoLogins, demoOwners, demoStaff } from './people.js';
export { type DatabaseContents, databaseContents, resetDemoData } from './reset.js';
export { DEFAULT_SEED, type DemoSummary, type SeedOptions, seedDemoData } from './seed.js';

/** No user yet: the first start of a fresh installation. */
export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  return !row;
}
