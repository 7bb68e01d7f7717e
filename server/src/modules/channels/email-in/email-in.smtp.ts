// The built-in SMTP receiver: an MX (or an upstream server forwarding to it) delivers here.
// Mail is accepted only for configured mailboxes and up to MAIL_MAX_BYTES; DATA is
// collected into one buffer with a hard limit, and 250 is answered only after the raw
// mail and its processing job are committed in PostgreSQL. Which addresses are accepted comes
// from a per-process copy of the table kept current over NOTIFY (email-in.mailbox-cache.ts).
import type { Logger } from 'pino';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { Db } from '../../../platform/database.js';
import { firstFreePort } from '../../../platform/ports.js';
import { type MailboxListener, startMailboxCache } from './email-in.mailbox-cache.js';
import { addressKey, type ReceivingMailbox, recipientState } from './email-in.mailboxes.js';
import { storeInboundEmail } from './email-in.store.js';

export interface SmtpReceiver {
  readonly port: number;
  stop(): Promise<void>;
}

export interface SmtpReceiverOptions {
  db: Db;
  log: Logger;
  host: string;
  /** Preferred port; the next free one is used when it is taken, 0 picks any free port. */
  port: number;
  maxBytes: number;
  /** Where mailbox changes are heard (NOTIFY pitwall_mailboxes); without it, the table is read per mail. */
  live?: MailboxListener;
}

function smtpError(responseCode: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode });
}

/**
 * Collects DATA into a single buffer: sized from the client's SIZE= announcement when it
 * gave one (so a 25 MB mail is one 25 MB buffer), else grown by doubling. Never above `limit`.
 */
class RawCollector {
  private buffer: Buffer;
  length = 0;
  exceeded = false;

  constructor(
    private readonly limit: number,
    declaredSize: number,
  ) {
    const initial = declaredSize > 0 ? Math.min(declaredSize + 1024, limit) : 64 * 1024;
    this.buffer = Buffer.allocUnsafe(Math.min(initial, limit));
  }

  push(chunk: Buffer): void {
    if (this.exceeded) return;
    const needed = this.length + chunk.length;
    if (needed > this.limit) {
      this.exceeded = true;
      this.buffer = Buffer.alloc(0);
      return;
    }
    if (needed > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.min(Math.max(needed, this.buffer.length * 2), this.limit));
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    chunk.copy(this.buffer, this.length);
    this.length = needed;
  }

  content(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
}

export async function startSmtpReceiver(options: SmtpReceiverOptions): Promise<SmtpReceiver> {
  const log = options.log.child({ component: 'smtp-in' });
  const { db, maxBytes } = options;
  const mailboxes = await startMailboxCache({ db, log, live: options.live });

  // Per SMTP session (one connection): the mailboxes its RCPT TO commands found.
  const acceptedRecipients = new WeakMap<SMTPServerSession, Map<string, ReceivingMailbox>>();

  async function acceptData(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<string> {
    const mailFrom = session.envelope.mailFrom || null;
    const declared = Number((mailFrom?.args as Record<string, string> | undefined)?.SIZE) || 0;
    const collector = new RawCollector(maxBytes, declared);
    await new Promise<void>((resolve, reject) => {
      stream.on('data', (chunk: Buffer) => collector.push(chunk));
      stream.once('end', resolve);
      stream.once('error', reject);
    });
    if (collector.exceeded || stream.sizeExceeded)
      throw smtpError(552, `5.3.4 Message too big: the limit is ${maxBytes} bytes`);
    const recipients = session.envelope.rcptTo.map((rcpt) => rcpt.address);
    // RCPT TO already looked the mailboxes up in this SMTP transaction; kept for this mail only,
    // so a mailbox disabled meanwhile refuses the next mail on a long-lived connection.
    const accepted = acceptedRecipients.get(session);
    acceptedRecipients.delete(session);
    const found = recipients.every((address) => accepted?.has(addressKey(address)))
      ? recipients.flatMap((address) => accepted?.get(addressKey(address)) ?? [])
      : await mailboxes.find(recipients);
    const first = recipients
      .map((address) => found.find((mailbox) => addressKey(mailbox.address) === addressKey(address)))
      .find((mailbox) => mailbox !== undefined);
    if (!first) throw smtpError(550, '5.1.1 No such mailbox here');
    const stored = await storeInboundEmail(db, {
      mailboxId: first.id,
      source: 'smtp',
      raw: collector.content(),
      envelope: {
        mailFrom: mailFrom ? mailFrom.address : null,
        rcptTo: recipients,
        remoteAddress: session.remoteAddress ?? null,
      },
    });
    log.debug({ inboundEmailId: stored.id, size: collector.length, stored: stored.stored }, 'mail accepted');
    return `OK: queued as ${stored.id}`;
  }

  const server = new SMTPServer({
    banner: 'Pitwall inbound mail',
    size: maxBytes,
    authOptional: true,
    // A receiving MX: no AUTH; TLS is terminated by the upstream server (see docs/email.md).
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    // The remote host's name is not needed and a slow resolver would stall every connection.
    disableReverseLookup: true,
    closeTimeout: 5_000,
    onRcptTo(address, session, callback) {
      const accept = (mailbox: ReceivingMailbox) => {
        const accepted = acceptedRecipients.get(session) ?? new Map<string, ReceivingMailbox>();
        accepted.set(addressKey(address.address), mailbox);
        acceptedRecipients.set(session, accepted);
        callback();
      };
      mailboxes
        .find([address.address])
        .then(async (found) => {
          if (found[0]) return accept(found[0]);
          // Only on a refusal, and from the table: the copy may not have heard of a change yet.
          const recipient = await recipientState(db, address.address);
          if (recipient.state === 'enabled') return accept(recipient.mailbox);
          callback(
            recipient.state === 'disabled'
              ? smtpError(550, `5.2.1 <${address.address}>: Recipient address rejected: mailbox disabled`)
              : smtpError(550, `5.1.1 <${address.address}>: Recipient address rejected: unknown mailbox`),
          );
        })
        .catch((error: unknown) => {
          log.warn({ err: error }, 'recipient lookup failed');
          callback(smtpError(451, '4.3.0 Temporary failure, please try again later'));
        });
    },
    onData(stream, session, callback) {
      acceptData(stream, session)
        .then((message) => callback(null, message))
        .catch((error: Error & { responseCode?: number }) => {
          if (error.responseCode) return callback(error);
          log.error({ err: error }, 'storing an inbound mail failed; the sender will retry');
          // Drain whatever is left so the connection can answer.
          stream.resume();
          callback(smtpError(451, '4.3.0 Temporary failure storing the message, please try again later'));
        });
    },
  });
  server.on('error', (error) => log.warn({ err: error }, 'SMTP receiver error'));

  let port: number;
  try {
    port = options.port === 0 ? 0 : await firstFreePort(options.port, options.host);
    if (options.port !== 0 && port !== options.port)
      log.warn(`port ${options.port} is in use; the SMTP receiver moves to ${port} (set SMTP_PORT)`);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await mailboxes.stop();
    throw error;
  }
  const address = server.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  log.info({ port: actualPort, host: options.host }, 'SMTP receiver listening');
  return {
    port: actualPort,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await mailboxes.stop();
    },
  };
}
