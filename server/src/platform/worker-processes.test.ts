// WORKER_PROCESSES: jobs run in processes of their own beside the server, which start again
// when they die and stop with the server.
import { readdirSync, readFileSync } from 'node:fs';
import nodemailer from 'nodemailer';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type RunningServer,
  type ServerDir,
  serverDir,
  stopServer,
} from '../modules/channels/email-in/testing/server.js';
import { createDb, type Db } from './database.js';

let dir: ServerDir | undefined;
let server: RunningServer | undefined;
let db: Db | undefined;

afterAll(async () => {
  await db?.destroy();
  if (server) await stopServer(server.child, 'SIGKILL');
  await dir?.remove();
});

/** Live processes whose parent is `pid` and whose command line runs the worker entry. */
function workerChildren(pid: number): number[] {
  return readdirSync('/proc').flatMap((entry) => {
    if (!/^\d+$/.test(entry)) return [];
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      return ppid === pid && /worker\.(ts|js)/.test(cmdline) ? [Number(entry)] : [];
    } catch {
      return [];
    }
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function sendAndWaitProcessed(running: RunningServer, database: Db, n: number): Promise<void> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: running.smtpPort,
    secure: false,
    ignoreTLS: true,
  });
  const messageId = `<worker-process-${n}-${Date.now()}@test.example>`;
  await transport.sendMail({
    from: 'owner@test.example',
    to: 'service-de@pitwall.test',
    subject: `Ladeklappe ${n}`,
    text: 'Die Ladeklappe öffnet nicht.',
    messageId,
  });
  transport.close();
  await until('the mail to be processed by a worker process', async () => {
    const row = await database
      .selectFrom('inbound_emails')
      .select('status')
      .where('message_id', '=', messageId)
      .executeTakeFirst();
    return row?.status === 'processed' ? true : undefined;
  });
}

describe('WORKER_PROCESSES', () => {
  it('runs the jobs in a process of its own, starts it again after kill -9 and stops it with the server', async () => {
    dir = await serverDir(47_000 + Math.floor(Math.random() * 1_000));
    server = await dir.start({ WORKER_PROCESSES: '1', WORKER_CONCURRENCY: '2' });
    const running = server;
    db = createDb(running.databaseUrl, { max: 2 });
    const database = db;
    const first = await until('a worker process', () => workerChildren(running.child.pid as number)[0]);

    await sendAndWaitProcessed(running, database, 1);
    const health = await fetch(`http://127.0.0.1:${running.httpPort}/api/health`);
    expect(await health.json()).toMatchObject({ checks: { jobQueue: { status: 'ok' } } });

    process.kill(first, 'SIGKILL');
    const second = await until('the worker process to be started again', () =>
      workerChildren(running.child.pid as number).find((pid) => pid !== first),
    );
    await sendAndWaitProcessed(running, database, 2);
    await database.destroy();
    db = undefined;
    expect(await stopServer(running.child)).toBe(0);
    server = undefined;
    await until('the worker process to stop with the server', () => (alive(second) ? undefined : true));
  }, 180_000);
});
