// kill -9 of the real server while 1,000 mails arrive over several connections, then a
// restart: every mail that got a 250 is stored exactly once and ends on exactly one case
// message; nothing is left unprocessed.
import { sql } from 'kysely';
import nodemailer, { type Transporter } from 'nodemailer';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from '../../../platform/database.js';
import { mail } from './testing/harness.js';
import { type RunningServer, type ServerDir, serverDir, stopServer } from './testing/server.js';

const MAILS = 1000;
const CONNECTIONS = 8;
let dir: ServerDir | null = null;
let server: RunningServer | null = null;

afterAll(async () => {
  if (server) await stopServer(server.child);
  await dir?.remove();
});

describe('durability', () => {
  it('every mail answered 250 before a kill -9 is stored exactly once after the restart', async () => {
    dir = await serverDir(42_000 + Math.floor(Math.random() * 4_000));
    server = await dir.start();
    const first = server;
    const accepted = new Set<string>();
    const transports = Array.from({ length: CONNECTIONS }, () =>
      nodemailer.createTransport({
        host: '127.0.0.1',
        port: first.smtpPort,
        secure: false,
        ignoreTLS: true,
        connectionTimeout: 5_000,
        socketTimeout: 5_000,
      }),
    );
    let killed = false;
    const sender = async (connection: number) => {
      const transport = transports[connection] as Transporter;
      for (let n = connection; n < MAILS; n += CONNECTIONS) {
        const messageId = `<crash-${n}@customer.test>`;
        const raw = mail(
          {
            From: `crash-${n % 50}@customer.test`,
            To: 'service-de@pitwall.test',
            Subject: `Crash ${n}`,
            'Message-ID': messageId,
          },
          `Mail ${n}\n${'x'.repeat(n % 3000)}`,
        );
        try {
          const info = await transport.sendMail({
            envelope: { from: `crash-${n % 50}@customer.test`, to: ['service-de@pitwall.test'] },
            raw,
          });
          if (/^250 /.test(info.response ?? '')) accepted.add(messageId);
        } catch {
          if (killed) return;
        }
        if (!killed && accepted.size >= 400) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: CONNECTIONS }, (_, c) => sender(c)));
    for (const transport of transports) transport.close();
    expect(killed).toBe(true);
    await new Promise((resolve) =>
      first.child.exitCode !== null || first.child.signalCode !== null
        ? resolve(null)
        : first.child.once('exit', resolve),
    );
    expect(accepted.size).toBeGreaterThanOrEqual(400);
    expect(accepted.size).toBeLessThan(MAILS);

    server = await dir.start();
    const db = createDb(server.databaseUrl, { max: 2 });
    try {
      // Jobs the killed worker had locked are released after STALE_SECONDS (email-in.recovery.ts).
      const deadline = Date.now() + 150_000;
      for (;;) {
        const left = await sql<{
          n: string;
        }>`SELECT (SELECT count(*) FROM inbound_emails WHERE status = 'received') + (SELECT count(*) FROM graphile_worker.jobs WHERE task_identifier = 'channels.process_inbound_email') AS n`.execute(
          db,
        );
        if (left.rows[0]?.n === '0') break;
        if (Date.now() > deadline) throw new Error(`still ${left.rows[0]?.n} mails unprocessed`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const stored = await db
        .selectFrom('inbound_emails')
        .select(['message_id', 'status', 'reason'])
        .where('message_id', 'like', '<crash-%')
        .execute();
      const perId = new Map<string, number>();
      for (const row of stored)
        perId.set(row.message_id as string, (perId.get(row.message_id as string) ?? 0) + 1);
      const missing = [...accepted].filter((id) => !perId.has(id));
      expect(missing).toEqual([]);
      expect([...perId.values()].every((count) => count === 1)).toBe(true);
      expect(stored.filter((row) => row.status !== 'processed')).toEqual([]);
      const messages = await db
        .selectFrom('case_messages')
        .select('external_id')
        .where('external_id', 'like', '<crash-%')
        .execute();
      expect(messages).toHaveLength(stored.length);
    } finally {
      await db.destroy();
    }
    expect(await stopServer(server.child)).toBe(0);
    server = null;
  }, 360_000);
});
