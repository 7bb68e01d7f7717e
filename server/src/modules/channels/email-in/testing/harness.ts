// Test harness for receiving mail: a real application on its own database, the real SMTP
// receiver on a free port, the real job worker with every task, and a real SMTP client.
import { sql } from 'kysely';
import nodemailer from 'nodemailer';
import pino from 'pino';
import { taskList } from '../../../../jobs.js';
import { type JobWorker, startJobWorker } from '../../../../platform/jobs.js';
import { buildTestApp, type TestApp } from '../../../../test/app.js';
import { seedMarkets } from '../../../../test/factories.js';
import { seedDefaultMailboxes } from '../email-in.mailboxes.js';
import { type SmtpReceiver, startSmtpReceiver } from '../email-in.smtp.js';

export const TEST_DOMAIN = 'pitwall.test';

export interface MailHarness extends TestApp {
  smtp: SmtpReceiver;
  worker: JobWorker;
  /** Sends raw RFC 822 bytes over SMTP; resolves with the server's final answer. */
  sendRaw(raw: string | Buffer, envelope?: { from?: string; to?: string[] }): Promise<string>;
  /** Waits until no inbound mail is left unprocessed and no processing job is pending. */
  settled(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startMailHarness(
  options: { maxBytes?: number; concurrency?: number } = {},
): Promise<MailHarness> {
  const t = await buildTestApp();
  await seedMarkets(t.db);
  await seedDefaultMailboxes(t.db, TEST_DOMAIN);
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const smtp = await startSmtpReceiver({
    db: t.db,
    log,
    host: '127.0.0.1',
    port: 0,
    maxBytes: options.maxBytes ?? 30 * 1024 * 1024,
    live: t.live,
  });
  const worker = await startJobWorker({
    connectionString: t.database.url,
    concurrency: options.concurrency ?? 4,
    log,
    tasks: taskList({
      db: t.db,
      log,
      mail: { from: 'Pitwall <no-reply@pitwall.test>', smtpUrl: null },
      publicUrl: 'http://localhost:3000',
    }),
  });
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: smtp.port,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: 4,
  });
  return {
    ...t,
    smtp,
    worker,
    sendRaw: async (raw, envelope = {}) => {
      const info = await transport.sendMail({
        envelope: {
          from: envelope.from ?? 'sender@customer.test',
          to: envelope.to ?? [`service-de@${TEST_DOMAIN}`],
        },
        raw,
      });
      return info.response;
    },
    settled: async (timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const pending = await sql<{ n: string }>`
          SELECT (SELECT count(*) FROM inbound_emails WHERE status = 'received')
               + (SELECT count(*) FROM graphile_worker.jobs WHERE task_identifier = 'channels.process_inbound_email') AS n`.execute(
          t.db,
        );
        if (pending.rows[0]?.n === '0') return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error('inbound mail was not processed in time');
    },
    stop: async () => {
      transport.close();
      await smtp.stop();
      await worker.stop();
      await t.close();
    },
  };
}

/** A plain RFC 822 mail with CRLF line ends. */
export function mail(headers: Record<string, string>, body: string): string {
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return `${lines.join('\r\n')}\r\n\r\n${body.replace(/\r?\n/g, '\r\n')}`;
}
