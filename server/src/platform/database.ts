// One Kysely instance over node-postgres. Each module declares its own tables;
// `Database` joins them so a query can only name tables that exist.
import {
  type Compilable,
  CompiledQuery,
  Kysely,
  type Transaction as KyselyTransaction,
  PostgresDialect,
} from 'kysely';
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
  pool.on('connect', usePreparedStatements);
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/** Statement texts run as named prepared statements, and their names. */
const preparedNames = new Map<string, string>();
/** How often each statement text with parameters was sent, until it is prepared. */
const sentTexts = new Map<string, number>();
let preparedGeneration = 0;

/** A text sent this often is prepared from then on (pgjdbc's `prepareThreshold` is also 5). */
export const PREPARE_THRESHOLD = 5;
/** At most this many texts are prepared per process (and so per connection). */
const MAX_PREPARED = 2_000;
/** Texts seen fewer times than the threshold are forgotten beyond this many. */
const MAX_COUNTED = 20_000;

function nameFor(text: string): string {
  const name = `pw_${++preparedGeneration}`;
  preparedNames.set(text, name);
  return name;
}

/**
 * Marks a compiled statement whose text is fixed (compiled once, values bound per call) to run
 * as a named prepared statement from its first call (see `usePreparedStatements`).
 */
export function prepared<R>(query: CompiledQuery<R>): CompiledQuery<R> {
  if (!preparedNames.has(query.sql)) nameFor(query.sql);
  return query;
}

/** The name a statement with parameters runs under, once its text has been sent often enough. */
function preparedName(text: string): string | undefined {
  const name = preparedNames.get(text);
  if (name || preparedNames.size >= MAX_PREPARED) return name;
  const sent = (sentTexts.get(text) ?? 0) + 1;
  if (sent < PREPARE_THRESHOLD) {
    if (sentTexts.size >= MAX_COUNTED) sentTexts.clear();
    sentTexts.set(text, sent);
    return undefined;
  }
  sentTexts.delete(text);
  return nameFor(text);
}

// Kysely's driver calls `client.query(text, values)`. A statement with parameters whose text
// has been sent PREPARE_THRESHOLD times runs as a named prepared statement: pg prepares it
// once per connection and PostgreSQL parses it once, and plans it once when its generic plan
// is as good as a custom one (PostgreSQL's own choice after five executions). Parsing and
// planning cost PostgreSQL more than executing most of Pitwall's statements, and a mail or an
// inbox page sends the same few dozen texts again and again. The texts come from code, never
// from input, and are bounded (MAX_PREPARED).
//
// When a migration changes the columns of a table that a prepared `SELECT *` reads while this
// process runs, PostgreSQL refuses the old statement once ("cached plan must not change result
// type", 0A000): the text then gets a new name, so every connection prepares it afresh, and the
// failed request or job is retried as any other failure is.
function usePreparedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const [text, values] = args;
    const name =
      typeof text === 'string' && args.length === 2 && Array.isArray(values) && values.length > 0
        ? preparedName(text)
        : undefined;
    if (!name) return query(...args);
    const result = query({ name, text, values }) as Promise<unknown>;
    return result.catch((error: unknown) => {
      if ((error as { code?: string }).code === '0A000' && preparedNames.get(text as string) === name)
        nameFor(text as string);
      throw error;
    });
  };
}

/** A value a statement compiled once takes per call (see `statementsByShape`); `name` says which. */
export class Slot {
  constructor(readonly name: string) {}
}

/**
 * Statements compiled once per shape and run with each call's values. Kysely otherwise rebuilds
 * and recompiles the whole query tree every time, which on the hottest reads (the customer 360,
 * an inbox page, an opened case) costs as much node CPU as everything else the request does.
 * `build` writes the statement with a `Slot` wherever a call's value goes; every other
 * parameter must be one of `constants` (the statement's own literals), so a value of the first
 * caller can never be baked into the text and served to the next one. The texts run as named
 * prepared statements (`prepared`).
 */
export function statementsByShape<R>(options: { constants?: Iterable<unknown> } = {}) {
  const constants = new Set(options.constants ?? []);
  const templates = new Map<string, CompiledQuery<R>>();
  return (shape: string, build: () => Compilable<R>, bind: (slot: Slot) => unknown): CompiledQuery<R> => {
    let template = templates.get(shape);
    if (!template) {
      template = build().compile();
      const stray = template.parameters.filter((p) => !(p instanceof Slot) && !constants.has(p));
      if (stray.length > 0)
        throw new Error(`statement "${shape}" has unbound values: ${JSON.stringify(stray)}`);
      templates.set(shape, prepared(template));
    }
    const parameters = template.parameters.map((p) => (p instanceof Slot ? bind(p) : p));
    return CompiledQuery.raw(template.sql, parameters) as CompiledQuery<R>;
  };
}

/** One statement of one shape that takes a single value (the customer 360 by id); `constants`
 * as for `statementsByShape`. */
export function compiledOnce<R>(
  build: (db: Executor, value: string) => Compilable<R>,
  options: { constants?: Iterable<unknown> } = {},
) {
  const statement = statementsByShape<R>(options);
  // Stands in for the value while the statement is built; Kysely binds it like any value.
  const value = new Slot('value') as unknown as string;
  return async (executor: Executor, bound: string): Promise<R | undefined> => {
    const query = statement(
      'one',
      () => build(executor, value),
      () => bound,
    );
    return (await executor.executeQuery<R>(query)).rows[0];
  };
}
