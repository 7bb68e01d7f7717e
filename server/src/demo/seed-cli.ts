// `npm run seed -- --customers 100000 [--seed N] [--reset]`: fills the server's own
// database (DATABASE_URL, or the embedded PostgreSQL in DATA_DIR) with demo data.
import { parseArgs } from 'node:util';
import pino from 'pino';
import { ConfigError, loadConfig } from '../platform/config.js';
import { createDb, type Db } from '../platform/database.js';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../platform/embedded-postgres.js';
import { migrateJobQueue, migrateToLatest } from '../platform/migrator.js';
import { DEFAULT_SEED, databaseContents, resetDemoData, seedDemoData } from './index.js';

const USAGE = `Usage: npm run seed -- [--customers N] [--seed N] [--reset]

  --customers N  customers to generate (default 200; vehicles are about 1.5 per customer)
  --seed N       seed of the generator (default ${DEFAULT_SEED}); the same seed gives the same data
  --reset        empty the demo tables first (customers, vehicles, users, sessions, …);
                 the audit log is append-only and keeps its entries
`;

class UsageError extends Error {}

function positiveInteger(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new UsageError(`--${name} expects a whole number, got "${raw}"`);
  return value;
}

function readArguments() {
  const { values } = parseArgs({
    options: {
      customers: { type: 'string' },
      seed: { type: 'string' },
      reset: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  return {
    help: values.help ?? false,
    reset: values.reset ?? false,
    customers: positiveInteger('customers', values.customers, 200),
    seed: positiveInteger('seed', values.seed, DEFAULT_SEED),
  };
}

const print = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  const args = readArguments();
  if (args.help) {
    print(USAGE);
    return 0;
  }
  const config = loadConfig();
  const log = pino({ level: 'warn' });
  let embedded: EmbeddedDatabase | null = null;
  let db: Db | null = null;
  const stop = async () => {
    await db?.destroy();
    db = null;
    await embedded?.stop();
    embedded = null;
  };
  // Ctrl+C mid-seed: the open transaction rolls back when its connection closes.
  process.once('SIGINT', () => void stop().finally(() => process.exit(130)));
  try {
    let connectionString = config.databaseUrl;
    if (!connectionString) {
      try {
        embedded = await startEmbeddedPostgres({
          dataDir: config.dataDir,
          preferredPort: config.embeddedPostgresPort,
          log,
        });
      } catch (error) {
        throw new Error(
          `Could not start the embedded PostgreSQL in ${config.dataDir}: ${String(error)}\n` +
            'Is the Pitwall server running on this DATA_DIR? Stop it first, or set DATABASE_URL.',
        );
      }
      connectionString = embedded.connectionString('pitwall');
    }
    db = createDb(connectionString, { max: 2 });
    await migrateToLatest(db);
    await migrateJobQueue(connectionString);
    const contents = await databaseContents(db);
    if (contents.users + contents.customers > 0) {
      if (!args.reset) {
        const what = contents.demo ? 'demo data' : 'data';
        print(
          `The database already holds ${what} (${contents.users} users, ${contents.customers} customers).\n` +
            'Run with --reset to delete all customers, vehicles, users and sessions first (the audit log stays).',
        );
        return 1;
      }
      print(`--reset: deleting ${contents.users} users and ${contents.customers} customers…`);
      await resetDemoData(db);
    }
    print(`Seeding ${args.customers} customers with seed ${args.seed}…`);
    const summary = await seedDemoData(db, { customers: args.customers, seed: args.seed, log: print });
    print(
      [
        '',
        `  staff            ${summary.staff}`,
        `  customers        ${summary.customers}`,
        `  emails           ${summary.emails}`,
        `  consents         ${summary.consents}`,
        `  vehicles         ${summary.vehicles}`,
        `  ownerships       ${summary.ownerships}`,
        `  portal accounts  ${summary.portalAccounts}`,
        `  time             ${(summary.ms / 1000).toFixed(1)} s`,
        '',
      ].join('\n'),
    );
    return 0;
  } finally {
    await stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof ConfigError || isParseError(error)) {
      process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
      process.exit(2);
    }
    process.stderr.write(`seed failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);

function isParseError(error: unknown): boolean {
  return error instanceof TypeError && String((error as { code?: string }).code).startsWith('ERR_PARSE_ARGS');
}
