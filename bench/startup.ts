// Cold and warm start of the real `npm start` path: `node server/dist/main.js` on a fresh
// DATA_DIR (initdb, migrations, demo seed), stopped with SIGTERM, then started again.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const serverEntry = path.join(root, 'server', 'dist', 'main.js');
const START_TIMEOUT_MS = 180_000;

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (!entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds the server when dist is missing or older than its sources (as `npm start` does). */
export function ensureServerBuild(log: (line: string) => void): void {
  const built = existsSync(serverEntry) ? statSync(serverEntry).mtimeMs : 0;
  if (built >= newestSource(path.join(root, 'server', 'src'))) return;
  log('building the server (npm run build -w server)…');
  const result = spawnSync('npm', ['run', 'build', '-w', 'server'], { cwd: root, encoding: 'utf8' });
  if (result.status === 0) return;
  // tsc still writes the JavaScript when it finds type errors; what runs is measured.
  const emitted = existsSync(serverEntry) && statSync(serverEntry).mtimeMs > built;
  const report = `${result.stdout}\n${result.stderr}`.trim();
  if (!emitted) throw new Error(`npm run build -w server failed:\n${report}`);
  log(`WARNING: the server build reported errors; measuring the JavaScript it emitted:\n${report}`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(child: ChildProcess, port: number, output: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no healthy answer within ${START_TIMEOUT_MS} ms:\n${output()}`);
}

function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Milliseconds from spawn until GET /api/health answers 200. */
async function timeStart(env: NodeJS.ProcessEnv, port: number): Promise<number> {
  const startedAt = performance.now();
  const child = spawn(process.execPath, [serverEntry], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  try {
    await waitForHealth(child, port, () => output);
    return Math.round(performance.now() - startedAt);
  } finally {
    await stopServer(child);
  }
}

export async function measureStartup(
  log: (line: string) => void,
): Promise<{ coldMs: number; warmMs: number }> {
  ensureServerBuild(log);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'pitwall-start-'));
  try {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'development',
      DATA_DIR: dataDir,
      PORT: String(port),
      MQTT_PORT: String(await freePort()),
      EMBEDDED_PG_PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
      DEMO_DATA: 'true',
      DATABASE_URL: '',
      MQTT_URL: '',
      SMTP_URL: '',
    };
    log('cold start (initdb, migrations, demo seed)…');
    const coldMs = await timeStart(env, port);
    log(`cold start ${coldMs} ms; warm start…`);
    const warmMs = await timeStart(env, port);
    log(`warm start ${warmMs} ms`);
    return { coldMs, warmMs };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
