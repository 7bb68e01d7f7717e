// The benchmark's database: an embedded PostgreSQL in a temporary folder (or
// BENCH_DATABASE_URL), migrated and filled with demo data by the real seeding code.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { databaseContents, resetDemoData, seedDemoData } from '../server/src/demo/index.js';
import { createDb, type Db } from '../server/src/platform/database.js';
import { startEmbeddedPostgres } from '../server/src/platform/embedded-postgres.js';
import { migrateJobQueue, migrateToLatest } from '../server/src/platform/migrator.js';

export interface BenchDatabase {
  url: string;
  db: Db;
  seedMs: number;
  customers: number;
  vehicles: number;
  /** The embedded cluster's postmaster (null for BENCH_DATABASE_URL). */
  postmasterPid: number | null;
  stop(): Promise<void>;
}

const note = (line: string) => process.stderr.write(`${line}\n`);

interface Connection {
  url: string;
  postmasterPid: number | null;
  stop: () => Promise<void>;
}

async function connect(): Promise<Connection> {
  const external = process.env.BENCH_DATABASE_URL;
  if (external) return { url: external, postmasterPid: null, stop: async () => {} };
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'pitwall-bench-'));
  const cluster = await startEmbeddedPostgres({
    dataDir,
    preferredPort: 55_532,
    log: pino({ level: 'warn' }),
    database: 'pitwall_bench',
  });
  const pidFile = await readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').catch(() => '');
  return {
    url: cluster.connectionString('pitwall_bench'),
    postmasterPid: Number.parseInt(pidFile, 10) || null,
    stop: async () => {
      await cluster.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function prepareDatabase(options: { customers: number; seed: number }): Promise<BenchDatabase> {
  const { url, postmasterPid, stop } = await connect();
  const db = createDb(url, { max: 20 });
  await migrateToLatest(db);
  await migrateJobQueue(url);
  const contents = await databaseContents(db);
  if (contents.users + contents.customers > 0) {
    if (process.env.BENCH_RESET !== '1') {
      await db.destroy();
      await stop();
      throw new Error(
        `BENCH_DATABASE_URL holds data (${contents.users} users, ${contents.customers} customers). ` +
          'Use an empty database, or set BENCH_RESET=1 to empty its demo tables first.',
      );
    }
    await resetDemoData(db);
  }
  note(`seeding ${options.customers} customers…`);
  const summary = await seedDemoData(db, { customers: options.customers, seed: options.seed, log: note });
  note(`seeded in ${summary.ms} ms (VACUUM ANALYZE of the demo tables included)`);
  return {
    url,
    db,
    seedMs: summary.ms,
    customers: summary.customers,
    vehicles: summary.vehicles,
    postmasterPid,
    stop: async () => {
      await db.destroy();
      await stop();
    },
  };
}

/** Customer ids to ask for, spread over the whole table (ids are random, so order by id is a fair sample). */
export async function sampleCustomerIds(db: Db, markets: readonly string[] | null, count: number) {
  let query = db.selectFrom('customers').select('id').orderBy('id').limit(count);
  if (markets) query = query.where('market', 'in', [...markets]);
  const rows = await query.execute();
  return rows.map((row) => row.id);
}
