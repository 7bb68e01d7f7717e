// IMAP polling of configured mailboxes. Each mailbox remembers its UIDVALIDITY and the last
// UID stored, committed together with each mail, so a restart neither fetches a mail twice
// nor misses one; a changed UIDVALIDITY refetches everything and the store's (mailbox, raw
// hash) uniqueness plus the Message-ID check keep that safe. New mail is noticed through
// IDLE where the server has it (imapflow keeps the selected folder idle) and by a periodic
// poll in any case. A mail is flagged \Seen only after it is committed.
// The set of pollers follows the table: a change of email_mailboxes NOTIFYs every process
// (trigger, on commit), which then starts, restarts or stops pollers to match; a periodic
// reconcile covers notices missed while the listening connection was down.
import { ImapFlow } from 'imapflow';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { decryptSecret } from '../../../platform/crypto.js';
import type { Db } from '../../../platform/database.js';
import type { LiveHub } from '../../../platform/live.js';
import { imapMailboxes, MAILBOXES_CHANNEL } from './email-in.mailboxes.js';
import { storeInboundEmail } from './email-in.store.js';
import type { EmailMailboxRow, ImapSettings } from './email-in.tables.js';

const FETCH_BATCH = 20;

export interface ImapPollerOptions {
  db: Db;
  log: Logger;
  secretKey: string;
  /** Poll even without IDLE news this often. */
  pollSeconds?: number;
  /** Where mailbox changes are heard (NOTIFY pitwall_mailboxes); without it, only the periodic reconcile. */
  live?: Pick<LiveHub, 'onChannel'>;
  /** Compare the running pollers with the table this often anyway. */
  reconcileSeconds?: number;
}

export interface ImapPollers {
  /** How many mailboxes this process polls right now. */
  readonly count: number;
  /** Resolves when every mailbox has been synchronised once since the call (tests, health). */
  syncAll(): Promise<void>;
  /** Starts and stops pollers to match the enabled IMAP mailboxes in the table. */
  reconcile(): Promise<void>;
  stop(): Promise<void>;
}

class MailboxPoller {
  private client: ImapFlow | null = null;
  private stopped = false;
  private running: Promise<void> | null = null;
  private syncing: Promise<void> | null = null;
  private again = false;
  private wake: (() => void) | null = null;
  private readonly settings: ImapSettings;

  constructor(
    private readonly mailbox: EmailMailboxRow,
    private readonly options: ImapPollerOptions,
    private readonly log: Logger,
  ) {
    if (!mailbox.imap) throw new Error(`mailbox ${mailbox.address} has no IMAP settings`);
    this.settings = mailbox.imap;
  }

  start(): void {
    this.running = this.loop();
  }

  private async loop(): Promise<void> {
    let delay = 1_000;
    while (!this.stopped) {
      try {
        await this.session();
        delay = 1_000;
      } catch (error) {
        if (!this.stopped) {
          this.log.warn({ err: error, mailbox: this.mailbox.address }, 'IMAP session failed; reconnecting');
          await this.recordStatus(error);
        }
      }
      if (this.stopped) break;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, delay).unref();
      });
      delay = Math.min(delay * 2, 60_000);
    }
  }

  private async session(): Promise<void> {
    const client = new ImapFlow({
      host: this.settings.host,
      port: this.settings.port,
      secure: this.settings.secure,
      auth: {
        user: this.settings.user,
        pass: decryptSecret(this.options.secretKey, this.settings.passwordSealed),
      },
      logger: false,
      // IDLE one second after the last command (imapflow waits 15 s by default).
      autoIdleDelay: 1_000,
    });
    this.client = client;
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.on('error', (error: Error) =>
      this.log.warn({ err: error, mailbox: this.mailbox.address }, 'IMAP error'),
    );
    try {
      await client.connect();
      await client.mailboxOpen(this.settings.folder ?? 'INBOX');
      client.on('exists', () => void this.sync().catch(() => {}));
      await this.sync();
      const interval = setInterval(
        () => void this.sync().catch(() => {}),
        (this.options.pollSeconds ?? 60) * 1000,
      );
      await closed;
      clearInterval(interval);
    } finally {
      this.client = null;
      client.close();
    }
  }

  /** Shown on the admin screen: when the last poll finished, or why the last session failed. */
  private async recordStatus(error: unknown | null): Promise<void> {
    const message = error instanceof Error ? error.message : error === null ? null : String(error);
    await this.options.db
      .updateTable('email_mailboxes')
      .set(
        message === null
          ? { last_polled_at: new Date(), last_poll_error: null }
          : { last_poll_error: message.slice(0, 500) },
      )
      .where('id', '=', this.mailbox.id)
      .execute()
      .catch((failure: unknown) =>
        this.log.warn({ err: failure, mailbox: this.mailbox.address }, 'could not record the poll status'),
      );
  }

  /** One synchronisation at a time; a request during one runs another right after it. */
  sync(): Promise<void> {
    if (this.syncing) {
      this.again = true;
      return this.syncing;
    }
    this.syncing = (async () => {
      try {
        do {
          this.again = false;
          await this.fetchNew();
          if (this.client?.mailbox && !this.stopped) await this.recordStatus(null);
        } while (this.again && !this.stopped);
      } finally {
        this.syncing = null;
      }
    })();
    return this.syncing;
  }

  /**
   * A poller stopped for new settings (another server, user or folder) may still be finishing a
   * fetch: its progress belongs to the old folder and must not land on the new one's row.
   */
  private stillConfigured() {
    return sql<boolean>`imap = ${JSON.stringify(this.mailbox.imap)}::jsonb`;
  }

  private async fetchNew(): Promise<void> {
    const client = this.client;
    if (!client?.mailbox || this.stopped) return;
    const { db } = this.options;
    const uidValidity = String(client.mailbox.uidValidity);
    const state = await db
      .selectFrom('email_mailboxes')
      .select(['uidvalidity', 'last_uid'])
      .where('id', '=', this.mailbox.id)
      .executeTakeFirstOrThrow();
    let lastUid = Number(state.last_uid);
    if (state.uidvalidity !== uidValidity) {
      if (state.uidvalidity !== null)
        this.log.warn(
          { mailbox: this.mailbox.address, was: state.uidvalidity, now: uidValidity },
          'UIDVALIDITY changed; refetching the folder',
        );
      await db
        .updateTable('email_mailboxes')
        .set({ uidvalidity: uidValidity, last_uid: 0 })
        .where('id', '=', this.mailbox.id)
        .where(this.stillConfigured())
        .execute();
      lastUid = 0;
    }
    const found = (await client.search({ uid: `${lastUid + 1}:*` }, { uid: true })) || [];
    const uids = found.filter((uid) => uid > lastUid).sort((a, b) => a - b);
    for (let start = 0; start < uids.length && !this.stopped; start += FETCH_BATCH) {
      const batch = uids.slice(start, start + FETCH_BATCH);
      const committed: number[] = [];
      for await (const message of client.fetch(batch.join(','), { uid: true, source: true }, { uid: true })) {
        if (!message.source) continue;
        const uid = message.uid;
        await storeInboundEmail(
          db,
          {
            mailboxId: this.mailbox.id,
            source: 'imap',
            raw: message.source,
            envelope: { imapUid: uid, imapUidValidity: uidValidity },
          },
          async (trx) => {
            await trx
              .updateTable('email_mailboxes')
              .set({ last_uid: sql`greatest(last_uid, ${uid})` })
              .where('id', '=', this.mailbox.id)
              .where('uidvalidity', '=', uidValidity)
              .where(this.stillConfigured())
              .execute();
          },
        );
        committed.push(uid);
      }
      if (committed.length > 0) await client.messageFlagsAdd(committed.join(','), ['\\Seen'], { uid: true });
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    const client = this.client;
    if (client) await client.logout().catch(() => client.close());
    await this.running?.catch(() => {});
  }
}

/** What a running poller was started with; a different value means it must restart. */
function fingerprint(mailbox: EmailMailboxRow): string {
  return JSON.stringify([mailbox.address, mailbox.imap]);
}

export async function startImapPollers(options: ImapPollerOptions): Promise<ImapPollers> {
  const log = options.log.child({ component: 'imap-in' });
  const running = new Map<string, { poller: MailboxPoller; fingerprint: string }>();
  let stopped = false;
  let reconciling: Promise<void> | null = null;
  let again = false;

  async function reconcileOnce(): Promise<void> {
    const wanted = new Map((await imapMailboxes(options.db)).map((mailbox) => [mailbox.id, mailbox]));
    if (stopped) return;
    const stopping: Promise<void>[] = [];
    for (const [id, entry] of running) {
      const mailbox = wanted.get(id);
      if (mailbox && fingerprint(mailbox) === entry.fingerprint) continue;
      running.delete(id);
      stopping.push(entry.poller.stop());
      log.info(
        { mailbox: mailbox?.address ?? id },
        mailbox ? 'IMAP settings changed; reconnecting' : 'IMAP polling stopped',
      );
    }
    // The old session logs out before the new one logs in: one connection per mailbox.
    await Promise.all(stopping);
    for (const [id, mailbox] of wanted) {
      if (stopped || running.has(id)) continue;
      const poller = new MailboxPoller(mailbox, options, log);
      running.set(id, { poller, fingerprint: fingerprint(mailbox) });
      poller.start();
      log.info({ mailbox: mailbox.address }, 'IMAP polling started');
    }
  }

  /** One reconcile at a time; a notice during one runs another right after it. */
  function reconcile(): Promise<void> {
    if (reconciling) {
      again = true;
      return reconciling;
    }
    reconciling = (async () => {
      try {
        do {
          again = false;
          await reconcileOnce();
        } while (again && !stopped);
      } finally {
        reconciling = null;
      }
    })();
    return reconciling;
  }
  const reconcileQuietly = () =>
    void reconcile().catch((error: unknown) => log.warn({ err: error }, 'IMAP mailbox reconcile failed'));

  // Listen before the first read, so a change committed in between is not missed.
  const unlisten = (await options.live?.onChannel(MAILBOXES_CHANNEL, reconcileQuietly)) ?? (() => {});
  const timer = setInterval(reconcileQuietly, (options.reconcileSeconds ?? 60) * 1000);
  timer.unref();
  try {
    await reconcile();
  } catch (error) {
    unlisten();
    clearInterval(timer);
    throw error;
  }
  return {
    get count() {
      return running.size;
    },
    syncAll: async () => {
      await Promise.all([...running.values()].map((entry) => entry.poller.sync()));
    },
    reconcile,
    stop: async () => {
      stopped = true;
      unlisten();
      clearInterval(timer);
      await reconciling?.catch(() => {});
      await Promise.all([...running.values()].map((entry) => entry.poller.stop()));
      running.clear();
    },
  };
}
