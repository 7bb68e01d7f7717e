// A real SMTP server (smtp-server) playing the recipient's mail server: it keeps every mail
// it accepts, raw, and answers `550` for the addresses a test tells it to refuse.
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  raw: Buffer;
  rcptTo: string[];
  mailFrom: string | null;
}

export interface SmtpSink {
  url: string;
  mails: ReceivedMail[];
  /** Recipients answered with `550 5.1.1` at RCPT TO. */
  refused: Set<string>;
  /** Waits for the first accepted mail to `address` and parses it. */
  mailTo(address: string, timeoutMs?: number): Promise<ParsedMail>;
  mailsTo(address: string): ReceivedMail[];
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  const refused = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (!refused.has(address.address.toLowerCase())) return callback();
      const error = new Error('5.1.1 Mailbox unavailable: user unknown') as Error & { responseCode: number };
      error.responseCode = 550;
      callback(error);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const from = session.envelope.mailFrom;
        mails.push({
          raw: Buffer.concat(chunks),
          rcptTo: session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase()),
          mailFrom: from ? from.address : null,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  const mailsTo = (address: string) => mails.filter((mail) => mail.rcptTo.includes(address.toLowerCase()));
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    refused,
    mailsTo,
    async mailTo(address, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const [mail] = mailsTo(address);
        if (mail) return simpleParser(mail.raw);
        if (Date.now() > deadline) throw new Error(`no mail to ${address} within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
