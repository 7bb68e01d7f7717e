// The real start path as `npm start` runs it: embedded PostgreSQL and MQTT broker in a
// data folder, demo data, health, clean stop on SIGTERM, and a fast second start.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { firstFreePort } from './platform/ports.js';

const serverRoot = path.resolve(import.meta.dirname, '..');
let dataDir: string;
const children: ChildProcess[] = [];

interface Started {
  child: ChildProcess;
  output: () => string;
  readyMs: number;
}

async function start(env: Record<string, string>): Promise<Started> {
  const began = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverRoot,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    if (output.includes('Pitwall is ready'))
      return { child, output: () => output, readyMs: Date.now() - began };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`server not ready in time:\n${output}`);
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('npm start with embedded defaults', () => {
  it('starts with demo data, moves aside from busy ports, reports health, stops cleanly and restarts fast', async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'pitwall-start-'));
    await chmod(dataDir, 0o755);
    const port = await firstFreePort(39100);
    // Occupy the preferred MQTT port to prove the embedded broker moves aside and says so.
    const squatterPort = await firstFreePort(39200);
    const squatter = net.createServer().listen(squatterPort, '127.0.0.1');
    const env = {
      DATA_DIR: dataDir,
      PORT: String(port),
      MQTT_PORT: String(squatterPort),
      EMBEDDED_PG_PORT: String(await firstFreePort(39300)),
      WEB_DIST_DIR: path.join(dataDir, 'no-web-build'),
    };
    const cold = await start({ ...env, DATABASE_URL: '', MQTT_URL: '' });
    expect(cold.output()).toMatch(/demo data generated/);
    expect(cold.output()).toMatch(/Demo logins:/);
    expect(cold.output()).toMatch(new RegExp(`port ${squatterPort} is in use`));

    const health = await fetch(`http://127.0.0.1:${port}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'ok',
      checks: {
        database: { status: 'ok' },
        jobQueue: { status: 'ok' },
        broker: { status: 'ok' },
        live: { status: 'ok' },
      },
    });

    expect(await stop(cold.child)).toBe(0);
    expect(cold.output()).toMatch(/embedded PostgreSQL stopped/);
    expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);

    const warm = await start({ ...env, DATABASE_URL: '', MQTT_URL: '' });
    expect(warm.output()).not.toMatch(/demo data generated/);
    expect(warm.readyMs).toBeLessThan(cold.readyMs);
    const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@nordlys.example', password: 'pitwall-demo-2026' }),
    });
    expect(login.status).toBe(200);
    expect(await stop(warm.child)).toBe(0);
    squatter.close();
  }, 180_000);

  it('refuses a bad configuration value with the variable named', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: serverRoot,
      env: { ...process.env, PORT: 'eighty' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(output).toMatch(/PORT="eighty" — expected a TCP port number/);
  });
});
