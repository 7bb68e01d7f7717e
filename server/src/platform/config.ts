// Configuration is read once from the environment, validated at boot and frozen.
// A bad value stops the start with the variable's name and what is expected.
import path from 'node:path';

export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly host: string;
  readonly port: number;
  readonly publicUrl: string;
  readonly dataDir: string;
  /** Absent: an embedded PostgreSQL is started in `dataDir/postgres`. */
  readonly databaseUrl: string | null;
  readonly embeddedPostgresPort: number;
  /** Absent: an embedded MQTT broker is started on `mqttPort`. */
  readonly mqttUrl: string | null;
  readonly mqttPort: number;
  /** Absent: mail goes to the in-app outbox only. */
  readonly smtpUrl: string | null;
  readonly mailFrom: string;
  /** Domain of outgoing Message-IDs (`<uuid@domain>`): MAIL_DOMAIN, else PUBLIC_URL's host name. */
  readonly mailDomain: string;
  /** Port of the built-in SMTP receiver for inbound mail; the next free port when taken, 0 = any free port. */
  readonly smtpPort: number;
  /** Domain of the default inbound addresses (`service-de@…`) seeded on first start. */
  readonly mailInboundDomain: string;
  /** Largest inbound mail accepted (SMTP 552 above it). */
  readonly mailMaxBytes: number;
  /** Encrypts secrets at rest (TOTP seeds). Absent outside production: generated once into `dataDir/secret.key`. */
  readonly secretKey: string | null;
  readonly sessionTtlHours: number;
  readonly stepUpMinutes: number;
  readonly logLevel: string;
  readonly demoData: boolean;
  readonly workerConcurrency: number;
  /** Job workers in processes of their own (0: jobs run in this process). */
  readonly workerProcesses: number;
  readonly webDistDir: string;
}

export class ConfigError extends Error {
  constructor(variable: string, expected: string, got: string | undefined) {
    super(`Invalid configuration: ${variable}=${JSON.stringify(got)} — expected ${expected}.`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function port(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new ConfigError(name, 'a TCP port number between 0 and 65535', raw);
  }
  return value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `an integer between ${min} and ${max}`, raw);
  }
  return value;
}

function url(env: Env, name: string, protocols: string[]): string | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `a URL starting with ${protocols.join(' or ')}`, raw);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `a URL starting with ${protocols.join(' or ')}`, raw);
  }
  return raw;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(name, 'true or false', raw);
}

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(values as readonly string[]).includes(raw))
    throw new ConfigError(name, `one of ${values.join(', ')}`, raw);
  return raw as T;
}

function domain(env: Env, name: string, fallback: string): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (
    !/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i.test(raw)
  )
    throw new ConfigError(name, 'a mail domain such as mail.example.com', raw);
  return raw.toLowerCase();
}

/** The repository root: two levels above this file in both `src/` and `dist/`. */
export const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');

export function loadConfig(env: Env = process.env): Config {
  const nodeEnv = oneOf(env, 'NODE_ENV', ['development', 'production', 'test'] as const, 'development');
  const httpPort = port(env, 'PORT', 3000);
  const host = env.HOST || '127.0.0.1';
  const publicUrl = url(env, 'PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${httpPort}`;
  const dataDir = path.resolve(env.DATA_DIR || path.join(repoRoot, 'data'));
  const secretKey = env.SECRET_KEY ?? '';
  if (secretKey !== '' && secretKey.length < 32) {
    throw new ConfigError('SECRET_KEY', 'at least 32 characters', '<hidden>');
  }
  if (nodeEnv === 'production' && secretKey === '') {
    throw new ConfigError('SECRET_KEY', 'a secret of at least 32 characters in production', undefined);
  }
  return Object.freeze({
    env: nodeEnv,
    host,
    port: httpPort,
    publicUrl: publicUrl.replace(/\/$/, ''),
    dataDir,
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    embeddedPostgresPort: port(env, 'EMBEDDED_PG_PORT', 5433),
    mqttUrl: url(env, 'MQTT_URL', ['mqtt:', 'mqtts:', 'ws:', 'wss:', 'tcp:']),
    mqttPort: port(env, 'MQTT_PORT', 1883),
    smtpUrl: url(env, 'SMTP_URL', ['smtp:', 'smtps:']),
    mailFrom: env.MAIL_FROM || 'Pitwall <no-reply@pitwall.local>',
    mailDomain: domain(env, 'MAIL_DOMAIN', new URL(publicUrl).hostname),
    smtpPort: port(env, 'SMTP_PORT', 2525),
    mailInboundDomain: domain(env, 'MAIL_INBOUND_DOMAIN', 'pitwall.local'),
    mailMaxBytes: integer(env, 'MAIL_MAX_BYTES', 30 * 1024 * 1024, 1024, 200 * 1024 * 1024),
    secretKey: secretKey || null,
    sessionTtlHours: integer(env, 'SESSION_TTL_HOURS', 12, 1, 24 * 30),
    stepUpMinutes: integer(env, 'STEP_UP_MINUTES', 10, 1, 120),
    logLevel: oneOf(
      env,
      'LOG_LEVEL',
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const,
      'info',
    ),
    demoData: bool(env, 'DEMO_DATA', true),
    workerConcurrency: integer(env, 'WORKER_CONCURRENCY', 4, 0, 64),
    workerProcesses: integer(env, 'WORKER_PROCESSES', 0, 0, 16),
    webDistDir: path.resolve(env.WEB_DIST_DIR || path.join(repoRoot, 'web', 'dist')),
  });
}

/** The configuration, or a clear message naming the bad variable and exit 1 (main and worker). */
export function loadConfigOrExit(env: Env = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`\n${error.message}\nSee docs/configuration.md.\n\n`);
      process.exit(1);
    }
    throw error;
  }
}

/** How outgoing mail is sent, as every process that sends it needs it. */
export function mailSettings(config: Config): { from: string; smtpUrl: string | null; domain: string } {
  return { from: config.mailFrom, smtpUrl: config.smtpUrl, domain: config.mailDomain };
}
