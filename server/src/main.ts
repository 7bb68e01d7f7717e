// Starts Pitwall: configuration, database (embedded unless DATABASE_URL), migrations,
// demo data on first start, MQTT broker, live updates, job worker and the HTTP server.
// SIGINT/SIGTERM stop everything in reverse order.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import pino from 'pino';
import { buildApp } from './app.js';
import { DEFAULT_SEED, demoLogins, isDatabaseEmpty, seedDemoCases, seedDemoData } from './demo/index.js';
import { dispatchHandledEvents, taskList } from './jobs.js';
import { seedDefaultMailboxes, startEmailReceiving } from './modules/channels/index.js';
import { type Config, loadConfigOrExit, mailSettings } from './platform/config.js';
import { randomToken } from './platform/crypto.js';
import { createDb } from './platform/database.js';
import { type EmbeddedDatabase, startEmbeddedPostgres } from './platform/embedded-postgres.js';
import { prepareEventQueues } from './platform/events.js';
import { type JobWorker, startJobWorker } from './platform/jobs.js';
import { LiveHub } from './platform/live.js';
import { migrateJobQueue, migrateToLatest } from './platform/migrator.js';
import {
  type BrokerConnection,
  connectBroker,
  type EmbeddedBroker,
  startEmbeddedBroker,
} from './platform/mqtt.js';
import { isPortFree } from './platform/ports.js';
import { startWorkerProcesses } from './platform/worker-processes.js';

/** SECRET_KEY, or a key generated once and kept in the data folder (never in production). */
async function resolveSecretKey(config: Config): Promise<string> {
  if (config.secretKey) return config.secretKey;
  await mkdir(config.dataDir, { recursive: true });
  const file = path.join(config.dataDir, 'secret.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = randomToken(32);
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}

async function main() {
  const startedAt = performance.now();
  const config = loadConfigOrExit();
  const log = pino({ level: config.logLevel, base: { app: 'pitwall' } });
  const stack: Array<{ name: string; stop: () => Promise<unknown> }> = [];
  let stopping = false;
  const shutdown = async (signal: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    for (const part of stack.reverse()) {
      try {
        await part.stop();
        log.info(`${part.name} stopped`);
      } catch (error) {
        log.warn({ err: error }, `${part.name} did not stop cleanly`);
      }
    }
    process.exit(exitCode);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('uncaughtException', (error) => {
    log.fatal({ err: error }, 'uncaught exception; shutting down');
    void shutdown('uncaughtException', 1);
  });

  try {
    if (!(await isPortFree(config.port, config.host))) {
      throw new Error(
        `PORT ${config.port} on ${config.host} is already in use. Stop the other server or set PORT.`,
      );
    }
    let connectionString = config.databaseUrl;
    let embedded: EmbeddedDatabase | null = null;
    if (!connectionString) {
      const cluster = await startEmbeddedPostgres({
        dataDir: config.dataDir,
        preferredPort: config.embeddedPostgresPort,
        log,
      });
      stack.push({ name: 'embedded PostgreSQL', stop: () => cluster.stop() });
      connectionString = cluster.connectionString('pitwall');
      embedded = cluster;
    }
    const db = createDb(connectionString, {
      max: 20,
      onError: (error) => log.warn({ err: error }, 'idle database connection lost'),
    });
    stack.push({ name: 'database pool', stop: () => db.destroy() });
    const applied = await migrateToLatest(db);
    await migrateJobQueue(connectionString);
    await prepareEventQueues(db);
    if (applied.length > 0) log.info({ migrations: applied }, 'migrations applied');

    let seeded = false;
    if (config.demoData && (await isDatabaseEmpty(db))) {
      log.info('first start: generating demo data');
      await seedDemoData(db, { customers: 200, log: (message) => log.info(message) });
      const cases = await seedDemoCases(db, { seed: DEFAULT_SEED });
      log.info(`demo data: ${cases} cases`);
      seeded = true;
    }
    const mailboxes = await seedDefaultMailboxes(db, config.mailInboundDomain);
    if (mailboxes.length > 0) log.info({ mailboxes }, 'default inbound mailboxes created');

    let broker: EmbeddedBroker | null = null;
    let brokerUrl = config.mqttUrl;
    if (!brokerUrl) {
      const embeddedBroker = await startEmbeddedBroker({ preferredPort: config.mqttPort, log });
      stack.push({ name: 'embedded MQTT broker', stop: () => embeddedBroker.stop() });
      brokerUrl = embeddedBroker.url;
      broker = embeddedBroker;
    }
    const mqtt: BrokerConnection = await connectBroker(brokerUrl, log);
    stack.push({ name: 'MQTT client', stop: () => mqtt.stop() });

    const live = new LiveHub(connectionString, log.child({ component: 'live' }));
    await live.start();
    stack.push({ name: 'live updates', stop: () => live.stop() });

    const secretKey = await resolveSecretKey(config);
    const mail = mailSettings(config);
    // Events without a handler get no dispatch job, in this process as in the worker processes.
    dispatchHandledEvents({ db, log, mail, publicUrl: config.publicUrl });
    let worker: JobWorker | null = null;
    if (config.workerProcesses > 0 && config.workerConcurrency > 0) {
      const started = startWorkerProcesses({
        count: config.workerProcesses,
        databaseUrl: connectionString,
        log,
      });
      stack.push({ name: 'job worker processes', stop: () => started.stop() });
      worker = started;
    } else if (config.workerConcurrency > 0) {
      const started = await startJobWorker({
        connectionString,
        concurrency: config.workerConcurrency,
        log,
        tasks: taskList({ db, log, mail, publicUrl: config.publicUrl }),
      });
      stack.push({ name: 'job worker', stop: () => started.stop() });
      worker = started;
    }

    const receiving = await startEmailReceiving({
      db,
      log,
      host: config.host,
      smtpPort: config.smtpPort,
      maxBytes: config.mailMaxBytes,
      secretKey,
      live,
    });
    stack.push({ name: 'mail receiving', stop: () => receiving.stop() });

    const app = await buildApp({
      db,
      log,
      live,
      publicUrl: config.publicUrl,
      sessionTtlHours: config.sessionTtlHours,
      stepUpMinutes: config.stepUpMinutes,
      secretKey,
      mail,
      webDistDir: config.webDistDir,
      worker: () => worker,
      broker: () => mqtt,
    });
    await app.listen({ port: config.port, host: config.host });
    stack.push({ name: 'HTTP server', stop: () => app.close() });

    const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
    const lines = [
      '',
      `  Pitwall is ready in ${seconds}s${seeded ? ' (demo data generated)' : ''}`,
      '',
      `  App:        ${config.publicUrl}/`,
      `  Portal:     ${config.publicUrl}/portal`,
      `  API docs:   ${config.publicUrl}/api/docs`,
      `  Health:     ${config.publicUrl}/api/health`,
      `  Database:   ${embedded ? `embedded PostgreSQL on 127.0.0.1:${embedded.port} (${path.join(config.dataDir, 'postgres')})` : 'DATABASE_URL'}`,
      `  MQTT:       ${broker ? `embedded broker on ${broker.url}` : brokerUrl}`,
      `  Mail:       ${config.smtpUrl ? 'SMTP_URL' : 'in-app outbox (Admin → Outbox)'}`,
      `  Mail in:    SMTP on ${config.host}:${receiving.smtpPort}${receiving.imapMailboxes > 0 ? `, ${receiving.imapMailboxes} IMAP mailbox(es)` : ''}`,
      '',
      ...(config.demoData
        ? [
            '  Demo logins:',
            ...demoLogins.map((l) => `    ${l.role.padEnd(18)} ${l.email.padEnd(40)} ${l.password}`),
            '',
          ]
        : []),
      '  Stop with Ctrl+C.',
      '',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    log.info(
      { startupMs: Math.round(performance.now() - startedAt), url: config.publicUrl },
      'pitwall ready',
    );
  } catch (error) {
    log.fatal({ err: error }, `start failed: ${error instanceof Error ? error.message : String(error)}`);
    await shutdown('start-failure', 1);
  }
}

void main();
