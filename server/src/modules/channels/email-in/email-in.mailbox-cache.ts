// Which addresses the built-in SMTP receiver takes mail for, kept per process so that a mail
// costs no statement for it (the table is a handful of rows and changes from the admin screen).
// Correctness never rests on the periodic refresh: the email_mailboxes trigger NOTIFYs every
// change on commit (email-in.migrations.ts), and each process stops trusting its copy the moment
// it hears of one, reading the table per mail until the copy is read again; the process that
// made a change through the app does so before its answer leaves (`forgetMailboxes`). Before the
// process listens, while the listening connection is down, and after it reconnects (notices may
// have been missed), the copy is not used either: the table is read for every mail, as it is in
// a process with no listening connection at all.
import type { Logger } from 'pino';
import type { Executor } from '../../../platform/database.js';
import type { LiveHub } from '../../../platform/live.js';
import {
  addressKey,
  enabledMailboxes,
  MAILBOXES_CHANNEL,
  mailboxesFor,
  type ReceivingMailbox,
} from './email-in.mailboxes.js';

export type MailboxListener = Pick<LiveHub, 'onChannel' | 'isListening' | 'connectionGeneration'>;

/** Against notices missed on a connection that died without the client noticing. */
const DEFAULT_REFRESH_SECONDS = 60;
/** A copy that could not be read or trusted is tried again at most this often, on demand. */
const RETRY_MS = 1_000;

export class MailboxCache {
  /** The copy, by `addressKey`; null while it cannot be trusted. */
  private byAddress: Map<string, ReceivingMailbox> | null = null;
  /** The listening connection's generation when the copy was read. */
  private generation = -1;
  /** Bumped by every notice: a read that raced one must not be trusted. */
  private changes = 0;
  private loading: Promise<void> | null = null;
  private again = false;
  private lastRead = 0;
  private stopped = false;
  private unlisten: () => void = () => {};
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Executor,
    private readonly log: Logger,
    private readonly live?: MailboxListener,
  ) {}

  /** Listens before the first read, so a change committed in between is not missed. */
  async start(refreshSeconds = DEFAULT_REFRESH_SECONDS): Promise<void> {
    if (!this.live) return;
    this.unlisten = await this.live.onChannel(MAILBOXES_CHANNEL, () => this.changed());
    this.timer = setInterval(() => void this.refresh(), refreshSeconds * 1000);
    this.timer.unref();
    caches.add(this);
    await this.refresh();
  }

  /** The enabled mailboxes among these addresses: from the copy when it can be trusted, else from the table. */
  async find(addresses: string[]): Promise<ReceivingMailbox[]> {
    const copy = this.trustedCopy();
    if (!copy) {
      this.warmUp();
      return mailboxesFor(this.db, addresses);
    }
    const found = new Map<string, ReceivingMailbox>();
    for (const address of addresses) {
      const mailbox = copy.get(addressKey(address));
      if (mailbox) found.set(mailbox.id, mailbox);
    }
    return [...found.values()];
  }

  /** What was read is stale from now on; read again. */
  changed(): void {
    this.changes++;
    this.byAddress = null;
    void this.refresh();
  }

  /** One read at a time; a notice during one runs another right after it. Never rejects. */
  refresh(): Promise<void> {
    if (this.loading) {
      this.again = true;
      return this.loading;
    }
    this.loading = (async () => {
      try {
        do {
          this.again = false;
          await this.read();
        } while (this.again && !this.stopped);
      } catch (error) {
        this.log.warn({ err: error }, 'reading the mailboxes failed; reading the table per mail meanwhile');
      } finally {
        this.loading = null;
      }
    })();
    return this.loading;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    caches.delete(this);
    this.unlisten();
    if (this.timer) clearInterval(this.timer);
    this.byAddress = null;
    await this.loading;
  }

  private trustedCopy(): Map<string, ReceivingMailbox> | null {
    if (!this.byAddress || !this.live?.isListening()) return null;
    return this.generation === this.live.connectionGeneration ? this.byAddress : null;
  }

  private async read(): Promise<void> {
    // Read while not listening, a copy could miss the very change it should be invalidated by.
    if (this.stopped || !this.live?.isListening()) return;
    this.lastRead = Date.now();
    const changes = this.changes;
    const generation = this.live.connectionGeneration;
    const rows = await enabledMailboxes(this.db);
    // A notice while reading: the rows may be stale already (`again` reads once more). Another
    // connection: notices may have been missed while reading.
    if (this.stopped || changes !== this.changes || generation !== this.live.connectionGeneration) return;
    this.byAddress = new Map(rows.map((mailbox) => [addressKey(mailbox.address), mailbox]));
    this.generation = generation;
  }

  /** After a reconnect or a failed read nothing else reads again; a mail asking does. */
  private warmUp(): void {
    if (this.stopped || this.loading || !this.live?.isListening()) return;
    if (Date.now() - this.lastRead < RETRY_MS) return;
    void this.refresh();
  }
}

/** Every listening cache of this process, so a change made here counts here before its answer leaves. */
const caches = new Set<MailboxCache>();

/** Call after a change of which addresses are received (added, enabled, disabled) commits. */
export function forgetMailboxes(): void {
  for (const cache of caches) cache.changed();
}

/**
 * The SMTP receiver's cache. Without a listener (`live`) it holds nothing and reads the table
 * for every mail.
 */
export async function startMailboxCache(options: {
  db: Executor;
  log: Logger;
  live?: MailboxListener;
  refreshSeconds?: number;
}): Promise<MailboxCache> {
  const cache = new MailboxCache(options.db, options.log, options.live);
  await cache.start(options.refreshSeconds);
  return cache;
}
