// Versioned, forward-only migrations collected from every module. Kysely runs the
// pending ones in one transaction under a PostgreSQL advisory lock, so two
// processes starting together never race; a failure stops the start.

import { Logger, runMigrations } from 'graphile-worker';
import { type Migration, type MigrationProvider, Migrator } from 'kysely';
import { casesMigrations } from '../modules/cases/cases.migrations.js';
import { caseSearchMigrations } from '../modules/cases/search/index.js';
import { slaMigrations } from '../modules/cases/sla/sla.migrations.js';
import { channelsMigrations } from '../modules/channels/channels.migrations.js';
import { emailInMigrations } from '../modules/channels/email-in/email-in.migrations.js';
import { emailOutMigrations } from '../modules/channels/email-out/email-out.migrations.js';
import { customersMigrations } from '../modules/customers/customers.migrations.js';
import { identityMigrations } from '../modules/identity/identity.migrations.js';
import type { Db } from './database.js';
import { platformMigrations } from './platform.migrations.js';

/** Names are `YYYYMMDD_NN_module_what`, so the global order is the order of writing. */
export const allMigrations: Record<string, Migration> = {
  ...platformMigrations,
  ...identityMigrations,
  ...customersMigrations,
  ...channelsMigrations,
  ...casesMigrations,
  ...slaMigrations,
  ...caseSearchMigrations,
  ...emailInMigrations,
  ...emailOutMigrations,
};

class ModuleMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return allMigrations;
  }
}

export class MigrationFailedError extends Error {}

export async function migrateToLatest(db: Db): Promise<string[]> {
  // Modules add migrations independently, so a new one may sort before one that already ran
  // elsewhere; each is still applied exactly once.
  const migrator = new Migrator({
    db,
    provider: new ModuleMigrationProvider(),
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const cause = error instanceof Error ? error : new Error(String(error));
    throw new MigrationFailedError(
      `Migration ${failed?.migrationName ?? '(unknown)'} failed: ${cause.message}`,
      { cause },
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** graphile-worker keeps its own schema; installing it up front keeps `add_job` usable in SQL. */
export async function migrateJobQueue(connectionString: string): Promise<void> {
  await runMigrations({ connectionString, logger: silentGraphileLogger });
}

export const silentGraphileLogger = new Logger(() => () => {});
