// What the API benchmarks share: their settings from the environment, the scenario filter,
// and the real application built in-process on the benchmark's database.
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { buildApp } from '../server/src/app.js';
import type { Db } from '../server/src/platform/database.js';
import { LiveHub } from '../server/src/platform/live.js';

/** A non-negative number from the environment, or the default; anything else stops the run. */
export function setting(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number, got "${raw}"`);
  return value;
}

/** `BENCH_ONLY=a,b` runs only the scenarios named (for iterating on one of them). */
export function selectedScenario(name: string): boolean {
  const only = process.env.BENCH_ONLY;
  return !only || only.split(',').includes(name);
}

/**
 * The real application (`buildApp`, a `LiveHub`, log level `warn` so request logging is not
 * measured) listening on a random local port.
 */
export async function startBenchApp(database: {
  url: string;
  db: Db;
}): Promise<{ app: FastifyInstance; url: string; close(): Promise<void> }> {
  const log = pino({ level: 'warn' });
  const live = new LiveHub(database.url, log);
  await live.start();
  const app = await buildApp({
    db: database.db,
    log,
    live,
    publicUrl: 'http://localhost:3000',
    sessionTtlHours: 12,
    stepUpMinutes: 10,
    secretKey: 'bench-secret-key-0123456789abcdef0123456789',
    mail: { from: 'Pitwall <no-reply@pitwall.local>', smtpUrl: null },
    webDistDir: null,
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    app,
    url,
    close: async () => {
      await app.close();
      await live.stop();
    },
  };
}
