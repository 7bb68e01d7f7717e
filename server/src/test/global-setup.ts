// One PostgreSQL for the whole run: DATABASE_URL's server, or an embedded cluster in a
// temporary folder. A template database is migrated once; every test file clones it
// (CREATE DATABASE … TEMPLATE), so files run in parallel without seeing each other.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import type { TestProject } from 'vitest/node';
import { createDb } from '../platform/database.js';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../platform/embedded-postgres.js';
import { migrateJobQueue, migrateToLatest } from '../platform/migrator.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export default async function setup(project: TestProject) {
  let embedded: EmbeddedDatabase | null = null;
  let tmp: string | null = null;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'pitwall-test-'));
    embedded = await startEmbeddedPostgres({
      dataDir: tmp,
      preferredPort: 55432,
      log: pino({ level: 'warn' }),
      database: 'postgres_admin',
    });
    adminUrl = embedded.connectionString('postgres');
  }
  const template = `pitwall_template_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  await admin.query(`CREATE DATABASE ${template}`);
  const templateUrl = withDatabase(adminUrl, template);
  const db = createDb(templateUrl, { max: 2 });
  await migrateToLatest(db);
  await db.destroy();
  await migrateJobQueue(templateUrl);
  project.provide('pgAdminUrl', adminUrl);
  project.provide('pgTemplate', template);

  return async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`).catch(() => {});
    await admin.end();
    await embedded?.stop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  };
}
