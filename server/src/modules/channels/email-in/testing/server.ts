// The real server as `npm start` runs it (`node --import tsx server/src/main.ts`), in a
// data folder of its own with free ports: for the crash test and the benchmark.
import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { firstFreePort } from '../../../../platform/ports.js';

const serverRoot = path.resolve(import.meta.dirname, '..', '..', '..', '..', '..');

export interface RunningServer {
  child: ChildProcess;
  smtpPort: number;
  httpPort: number;
  /** The embedded PostgreSQL of this run (its port can change after a crash). */
  databaseUrl: string;
  output(): string;
}

export interface ServerDir {
  dataDir: string;
  env: Record<string, string>;
  start(extra?: Record<string, string>): Promise<RunningServer>;
  remove(): Promise<void>;
}

export async function serverDir(base: number): Promise<ServerDir> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'pitwall-mail-'));
  await chmod(dataDir, 0o755);
  const env = {
    DATA_DIR: dataDir,
    DATABASE_URL: '',
    MQTT_URL: '',
    PORT: String(await firstFreePort(base)),
    SMTP_PORT: String(await firstFreePort(base + 100)),
    MQTT_PORT: String(await firstFreePort(base + 200)),
    EMBEDDED_PG_PORT: String(await firstFreePort(base + 300)),
    MAIL_INBOUND_DOMAIN: 'pitwall.test',
    WEB_DIST_DIR: path.join(dataDir, 'no-web-build'),
    LOG_LEVEL: 'warn',
  };
  return {
    dataDir,
    env,
    start: (extra = {}) => startServer({ ...env, ...extra }),
    remove: () => rm(dataDir, { recursive: true, force: true }),
  };
}

async function startServer(env: Record<string, string>): Promise<RunningServer> {
  const nodeArgs = env.BENCH_NODE_ARGS ? env.BENCH_NODE_ARGS.split(' ') : [];
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'src/main.ts'], {
    cwd: serverRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    const ready = output.includes('Pitwall is ready');
    const smtp = /Mail in: {4}SMTP on [\d.]+:(\d+)/.exec(output);
    const database = /embedded PostgreSQL on 127\.0\.0\.1:(\d+)/.exec(output);
    if (ready && smtp && database)
      return {
        child,
        smtpPort: Number(smtp[1]),
        httpPort: Number(env.PORT),
        databaseUrl: `postgres://pitwall:pitwall@127.0.0.1:${database[1]}/pitwall`,
        output: () => output,
      };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`server not ready in time:\n${output}`);
}

export function stopServer(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}
