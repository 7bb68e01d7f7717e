// A lean SMTP client for bench:email: one TCP connection, PIPELINING when the server offers it
// and DATA prepared once per mail before the clock starts, so a mail costs two writes and four
// replies read. The bench shares its 2 cores with the server it measures; real senders are other
// machines, so the load generator should cost no more than an MTA's delivery loop.
import net from 'node:net';
import os from 'node:os';

const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;
const TERMINATOR = Buffer.from('.\r\n');

export interface SmtpReply {
  code: number;
  /** The text of each line, without the code and its separator. */
  lines: string[];
}

/** A 4xx or 5xx reply (or an unexpected 2xx/3xx): the bench stops rather than miscount. */
export class SmtpReplyError extends Error {
  constructor(
    readonly command: string,
    readonly reply: SmtpReply,
  ) {
    super(`SMTP ${command.split(':')[0]} refused: ${reply.code} ${reply.lines.join(' / ')}`);
  }
}

/**
 * A mail's DATA as it goes on the wire (RFC 5321 4.5.2): every line ending CRLF (a bare LF
 * becomes CRLF), a line starting with "." gets a second one, and the "." line that ends DATA.
 */
export function toSmtpData(raw: Buffer): Buffer {
  let lines = 1;
  for (let lf = raw.indexOf(LF); lf !== -1; lf = raw.indexOf(LF, lf + 1)) lines++;
  // Per line at most a stuffed dot and a CRLF more than the input; then the terminator.
  const out = Buffer.allocUnsafe(raw.length + 3 * lines + TERMINATOR.length);
  let length = 0;
  let start = 0;
  while (start < raw.length) {
    const lf = raw.indexOf(LF, start);
    let end = lf === -1 ? raw.length : lf;
    if (end > start && raw[end - 1] === CR) end--;
    if (raw[start] === DOT) out[length++] = DOT;
    length += raw.copy(out, length, start, end);
    out[length++] = CR;
    out[length++] = LF;
    start = lf === -1 ? raw.length : lf + 1;
  }
  length += TERMINATOR.copy(out, length);
  return out.subarray(0, length);
}

/** Splits the byte stream into replies, however TCP cut it, and hands them out in order. */
class ReplyReader {
  private partial: Buffer | null = null;
  private lines: string[] = [];
  private readonly early: SmtpReply[] = [];
  private readonly waiting: { resolve: (reply: SmtpReply) => void; reject: (error: Error) => void }[] = [];
  private failure: Error | null = null;

  push(chunk: Buffer): void {
    if (this.failure) return;
    const bytes = this.partial ? Buffer.concat([this.partial, chunk]) : chunk;
    let start = 0;
    for (let lf = bytes.indexOf(LF); lf !== -1; lf = bytes.indexOf(LF, start)) {
      const end = lf > start && bytes[lf - 1] === CR ? lf - 1 : lf;
      this.line(bytes.toString('utf8', start, end));
      start = lf + 1;
    }
    this.partial = start < bytes.length ? bytes.subarray(start) : null;
  }

  next(): Promise<SmtpReply> {
    const reply = this.early.shift();
    if (reply) return Promise.resolve(reply);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  /** The connection failed or closed: every reply still awaited, and any asked for later, fails. */
  fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.waiting.splice(0)) waiter.reject(this.failure);
  }

  private line(line: string): void {
    if (!/^[2-5]\d\d([ -]|$)/.test(line)) {
      this.fail(new Error(`SMTP: not a reply line: ${JSON.stringify(line.slice(0, 200))}`));
      return;
    }
    this.lines.push(line.slice(4));
    if (line[3] === '-') return;
    const reply = { code: Number(line.slice(0, 3)), lines: this.lines };
    this.lines = [];
    const waiter = this.waiting.shift();
    if (waiter) waiter.resolve(reply);
    else this.early.push(reply);
  }
}

export interface SmtpClientOptions {
  host: string;
  port: number;
  /** The name given in EHLO; the machine's host name by default. */
  name?: string;
  /** No byte in either direction for this long fails the connection. */
  idleTimeoutMs?: number;
}

export interface SmtpEnvelope {
  from: string;
  to: readonly string[];
}

/** 354 must be exactly that; otherwise any reply of the same class (251 for RCPT TO, say). */
function accepted(reply: SmtpReply, code: number): boolean {
  return code === 354 ? reply.code === 354 : Math.floor(reply.code / 100) === Math.floor(code / 100);
}

function expect(command: string, reply: SmtpReply, code: number): SmtpReply {
  if (!accepted(reply, code)) throw new SmtpReplyError(command, reply);
  return reply;
}

export class SmtpClient {
  private constructor(
    private readonly socket: net.Socket,
    private readonly replies: ReplyReader,
    /** The server advertised PIPELINING (RFC 2920): the envelope and DATA go in one write. */
    readonly pipelining: boolean,
  ) {}

  /** Connects, reads the 220 banner and says EHLO. */
  static async connect(options: SmtpClientOptions): Promise<SmtpClient> {
    const socket = net.connect({ host: options.host, port: options.port, noDelay: true });
    const replies = new ReplyReader();
    socket.on('data', (chunk: Buffer) => replies.push(chunk));
    socket.on('error', (error) => replies.fail(error));
    socket.on('close', () => replies.fail(new Error('SMTP: the server closed the connection')));
    const idle = options.idleTimeoutMs ?? 120_000;
    socket.setTimeout(idle, () => socket.destroy(new Error(`SMTP: nothing received for ${idle} ms`)));
    try {
      expect('banner', await replies.next(), 220);
      const ehlo = `EHLO ${options.name ?? os.hostname()}`;
      socket.write(`${ehlo}\r\n`);
      const features = expect(ehlo, await replies.next(), 250).lines.slice(1);
      const pipelining = features.some((feature) => /^PIPELINING\b/i.test(feature));
      return new SmtpClient(socket, replies, pipelining);
    } catch (error) {
      socket.destroy();
      throw error;
    }
  }

  /**
   * Sends one mail; `data` comes from `toSmtpData`. Resolves with the server's final 2xx reply
   * and rejects with the reply on any refusal.
   */
  async send(envelope: SmtpEnvelope, data: Buffer): Promise<SmtpReply> {
    const commands = [`MAIL FROM:<${envelope.from}>`, ...envelope.to.map((to) => `RCPT TO:<${to}>`), 'DATA'];
    const expected = (index: number) => (index === commands.length - 1 ? 354 : 250);
    if (this.pipelining) {
      this.socket.write(`${commands.join('\r\n')}\r\n`);
      const replies = await Promise.all(commands.map(() => this.replies.next()));
      const refused = replies.findIndex((reply, index) => !accepted(reply, expected(index)));
      if (refused !== -1) {
        await this.abandon((replies[commands.length - 1] as SmtpReply).code === 354);
        throw new SmtpReplyError(commands[refused] as string, replies[refused] as SmtpReply);
      }
    } else {
      for (const [index, command] of commands.entries()) {
        this.socket.write(`${command}\r\n`);
        const reply = await this.replies.next();
        if (!accepted(reply, expected(index))) {
          await this.abandon(false);
          throw new SmtpReplyError(command, reply);
        }
      }
    }
    this.socket.write(data);
    return expect('end of DATA', await this.replies.next(), 250);
  }

  /** QUIT, then close; a server that already hung up is fine. */
  async quit(): Promise<void> {
    this.socket.write('QUIT\r\n');
    await this.replies.next().catch(() => undefined);
    this.socket.end();
  }

  /** After a refused envelope: RSET keeps the connection usable, unless the server already
   * waits for DATA (354), which cannot be taken back, so the connection goes. */
  private async abandon(inData: boolean): Promise<void> {
    if (inData) {
      this.socket.destroy();
      return;
    }
    this.socket.write('RSET\r\n');
    await this.replies.next().catch(() => undefined);
  }
}
