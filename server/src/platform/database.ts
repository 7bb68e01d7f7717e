// One Kysely instance over node-postgres. Each module declares its own tables;
// `Database` joins them so a query can only name tables that exist.
import { Kysely, type Transaction as KyselyTransaction, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { CasesTables } from '../modules/cases/cases.tables.js';
import type { SlaTables } from '../modules/cases/sla/sla.tables.js';
import type { ChannelsTables } from '../modules/channels/channels.tables.js';
import type { EmailInTables } from '../modules/channels/email-in/email-in.tables.js';
import type { CustomersTables } from '../modules/customers/customers.tables.js';
import type { IdentityTables } from '../modules/identity/identity.tables.js';
import type { PlatformTables } from './platform.tables.js';

export interface Database
  extends PlatformTables,
    IdentityTables,
    CustomersTables,
    ChannelsTables,
    EmailInTables,
    CasesTables,
    SlaTables {}

export type Db = Kysely<Database>;
export type Transaction = KyselyTransaction<Database>;
export type Executor = Kysely<Database> | Transaction;

// Return bigint columns (counts, bigserial ids) as strings and timestamps as Date.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => value);

export function createDb(
  connectionString: string,
  options: { max?: number; onError?: (error: Error) => void } = {},
): Db {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10, application_name: 'pitwall' });
  // An idle connection dropped by the server (restart, failover) must not crash the process;
  // the pool replaces it on the next query.
  pool.on('error', options.onError ?? (() => {}));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
