// Starts one real Pitwall server for the browser tests, exactly as `npm start` runs it
// (embedded PostgreSQL in a temporary data folder, demo data), serving the built web app.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { firstFreePort } from '../server/src/platform/ports.js';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    /** The server's embedded PostgreSQL, for tests that put data in place the UI cannot. */
    databaseUrl: string;
  }
}

const root = path.resolve(import.meta.dirname, '..');

export default async function setup(project: TestProject) {
  const webDist = path.join(root, 'web', 'dist', 'index.html');
  if (!existsSync(webDist))
    throw new Error('web/dist is missing: run `npm run build -w web` first (npm test does).');
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'pitwall-e2e-'));
  await chmod(dataDir, 0o755);
  const port = await firstFreePort(39400);
  const baseUrl = `http://localhost:${port}`;
  const server: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      PUBLIC_URL: baseUrl,
      EMBEDDED_PG_PORT: String(await firstFreePort(39500)),
      MQTT_PORT: String(await firstFreePort(39600)),
      DATABASE_URL: '',
      MQTT_URL: '',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  server.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  server.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const deadline = Date.now() + 120_000;
  while (!output.includes('Pitwall is ready')) {
    if (server.exitCode !== null) throw new Error(`server exited:\n${output}`);
    if (Date.now() > deadline) throw new Error(`server not ready:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  project.provide('baseUrl', baseUrl);
  const database = /embedded PostgreSQL on 127\.0\.0\.1:(\d+)/.exec(output);
  if (!database) throw new Error(`the server did not report its database:\n${output}`);
  project.provide('databaseUrl', `postgres://pitwall:pitwall@127.0.0.1:${database[1]}/pitwall`);
  return async () => {
    await new Promise((resolve) => {
      server.once('exit', resolve);
      server.kill('SIGTERM');
    });
    await rm(dataDir, { recursive: true, force: true });
  };
}
