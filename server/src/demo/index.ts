// Deterministic demo data for the fictional brand "Nordlys Motors".
import type { Db } from '../platform/database.js';

export interface DemoLogin {
  role: string;
  email: string;
  password: string;
}

export interface SeedOptions {
  customers: number;
  seed?: number;
  log?: (message: string) => void;
}

export const DEMO_PASSWORD = 'pitwall-demo-2026';

export const demoLogins: DemoLogin[] = [
  { role: 'admin', email: 'admin@nordlys.example', password: DEMO_PASSWORD },
];

export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  return !row;
}

export async function seedDemoData(_db: Db, _options: SeedOptions): Promise<void> {
  // Filled in by the demo generator.
}
