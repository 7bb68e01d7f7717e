// Managing the addresses Pitwall receives for, from the admin screen: list, add (SMTP or IMAP),
// change, disable. Nothing is deleted (inbound mail refers to its mailbox). Each change is
// audited in its transaction; the table's trigger NOTIFYs every server process on commit, so
// pollers start and stop without a restart (email-in.imap.ts) and every SMTP receiver reads
// its copy of the addresses again (email-in.mailbox-cache.ts); this process's receiver forgets
// its copy before the answer leaves. Passwords leave this file only sealed.
import { encryptSecret } from '../../../platform/crypto.js';
import type { Db, Executor } from '../../../platform/database.js';
import { errors } from '../../../platform/errors.js';
import { type RequestContext, recordAudit } from '../../identity/index.js';
import { forgetMailboxes } from './email-in.mailbox-cache.js';
import type { EmailMailboxRow, ImapSettings } from './email-in.tables.js';

type Language = 'de' | 'en';

/** A mailbox as admins see it: the IMAP settings without the password, and how polling goes. */
export interface MailboxView {
  id: string;
  address: string;
  market: string;
  language: Language;
  kind: 'smtp' | 'imap';
  enabled: boolean;
  imap: { host: string; port: number; secure: boolean; user: string; folder: string } | null;
  uidValidity: number | null;
  lastUid: number;
  lastPolledAt: string | null;
  lastPollError: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ImapConnection {
  host: string;
  port: number;
  secure: boolean;
  user: string;
}

export interface NewMailbox {
  address: string;
  market: string;
  language: Language;
}

export interface NewImapMailboxInput extends NewMailbox, ImapConnection {
  password: string;
  folder?: string;
}

export interface MailboxChange {
  enabled?: boolean;
  market?: string;
  language?: Language;
  folder?: string;
}

export type ConnectionChange = Partial<ImapConnection> & { password?: string };

export function mailboxView(row: EmailMailboxRow): MailboxView {
  return {
    id: row.id,
    address: row.address,
    market: row.market,
    language: row.language,
    kind: row.kind,
    enabled: row.enabled,
    imap: row.imap
      ? {
          host: row.imap.host,
          port: row.imap.port,
          secure: row.imap.secure,
          user: row.imap.user,
          folder: row.imap.folder ?? 'INBOX',
        }
      : null,
    uidValidity: row.uidvalidity === null ? null : Number(row.uidvalidity),
    lastUid: Number(row.last_uid),
    lastPolledAt: row.last_polled_at?.toISOString() ?? null,
    lastPollError: row.last_poll_error,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** What the audit log keeps of a mailbox: its settings, never the (sealed) password. */
function audited(view: MailboxView) {
  const { uidValidity: _v, lastUid: _u, lastPolledAt: _p, lastPollError: _e, ...settings } = view;
  return settings;
}

export async function listMailboxes(db: Executor): Promise<MailboxView[]> {
  const rows = await db
    .selectFrom('email_mailboxes')
    .selectAll()
    .orderBy('enabled', 'desc')
    .orderBy('address')
    .execute();
  return rows.map(mailboxView);
}

async function assertMarket(db: Executor, market: string): Promise<void> {
  const row = await db.selectFrom('markets').select('code').where('code', '=', market).executeTakeFirst();
  if (!row) throw errors.invalid('market_unknown', { market });
}

async function insertMailbox(
  db: Db,
  context: RequestContext,
  input: NewMailbox & { kind: 'smtp' | 'imap'; imap: ImapSettings | null },
): Promise<MailboxView> {
  const created = await db.transaction().execute(async (trx) => {
    await assertMarket(trx, input.market);
    const address = input.address.trim().toLowerCase();
    const row = await trx
      .insertInto('email_mailboxes')
      .values({
        address,
        market: input.market,
        language: input.language,
        kind: input.kind,
        imap: input.imap ? JSON.stringify(input.imap) : null,
      })
      .onConflict((conflict) => conflict.column('address').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) throw errors.conflict('mailbox_address_taken', { address });
    const view = mailboxView(row);
    await recordAudit(trx, context, {
      action: 'email_mailbox.created',
      entityType: 'email_mailbox',
      entityId: row.id,
      after: audited(view),
    });
    return view;
  });
  forgetMailboxes();
  return created;
}

/** An address the built-in SMTP receiver accepts mail for. */
export function createSmtpMailbox(db: Db, context: RequestContext, input: NewMailbox): Promise<MailboxView> {
  return insertMailbox(db, context, { ...input, kind: 'smtp', imap: null });
}

/** An IMAP mailbox to poll; every server process starts polling it once this commits. */
export function createImapMailbox(
  db: Db,
  context: RequestContext,
  secretKey: string,
  input: NewImapMailboxInput,
): Promise<MailboxView> {
  const imap: ImapSettings = {
    host: input.host.trim(),
    port: input.port,
    secure: input.secure,
    user: input.user,
    passwordSealed: encryptSecret(secretKey, input.password),
    ...(input.folder ? { folder: input.folder } : {}),
  };
  return insertMailbox(db, context, { ...input, kind: 'imap', imap });
}

async function lockMailbox(trx: Executor, id: string): Promise<EmailMailboxRow> {
  const row = await trx
    .selectFrom('email_mailboxes')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw errors.notFound('email_mailbox');
  return row;
}

function otherFolder(before: ImapSettings, after: ImapSettings): boolean {
  return (
    before.host.toLowerCase() !== after.host.toLowerCase() ||
    before.user !== after.user ||
    (before.folder ?? 'INBOX') !== (after.folder ?? 'INBOX')
  );
}

async function saveMailbox(
  trx: Executor,
  context: RequestContext,
  before: EmailMailboxRow,
  set: { enabled?: boolean; market?: string; language?: Language; imap?: ImapSettings },
  action: string,
  extra: Record<string, unknown> = {},
): Promise<MailboxView> {
  const row = await trx
    .updateTable('email_mailboxes')
    .set({
      ...(set.enabled === undefined ? {} : { enabled: set.enabled }),
      ...(set.market === undefined ? {} : { market: set.market }),
      ...(set.language === undefined ? {} : { language: set.language }),
      ...(set.imap === undefined ? {} : { imap: JSON.stringify(set.imap) }),
      // Another server, account or folder: the UIDs read so far mean nothing there (it may even
      // have the same UIDVALIDITY), so it is read from the start; the store keeps every mail single.
      ...(set.imap && before.imap && otherFolder(before.imap, set.imap)
        ? { uidvalidity: null, last_uid: 0 }
        : {}),
      updated_at: new Date(),
    })
    .where('id', '=', before.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const view = mailboxView(row);
  await recordAudit(trx, context, {
    action,
    entityType: 'email_mailbox',
    entityId: row.id,
    before: audited(mailboxView(before)),
    after: { ...audited(view), ...extra },
  });
  return view;
}

/** Enable or disable, move to another market or language, poll another folder. */
export async function updateMailbox(
  db: Db,
  context: RequestContext,
  id: string,
  change: MailboxChange,
): Promise<MailboxView> {
  const updated = await db.transaction().execute(async (trx) => {
    if (change.market !== undefined) await assertMarket(trx, change.market);
    const before = await lockMailbox(trx, id);
    let imap: ImapSettings | undefined;
    if (change.folder !== undefined) {
      if (!before.imap) throw errors.conflict('mailbox_not_imap');
      imap = { ...before.imap, folder: change.folder };
    }
    const action =
      change.enabled === false && before.enabled
        ? 'email_mailbox.disabled'
        : change.enabled === true && !before.enabled
          ? 'email_mailbox.enabled'
          : 'email_mailbox.updated';
    return saveMailbox(trx, context, before, { ...change, imap }, action);
  });
  forgetMailboxes();
  return updated;
}

/** New host, port, TLS, user or password of an IMAP mailbox (a step-up route). */
export async function changeConnection(
  db: Db,
  context: RequestContext,
  secretKey: string,
  id: string,
  change: ConnectionChange,
): Promise<MailboxView> {
  return db.transaction().execute(async (trx) => {
    const before = await lockMailbox(trx, id);
    if (!before.imap) throw errors.conflict('mailbox_not_imap');
    const imap: ImapSettings = {
      ...before.imap,
      ...(change.host === undefined ? {} : { host: change.host.trim() }),
      ...(change.port === undefined ? {} : { port: change.port }),
      ...(change.secure === undefined ? {} : { secure: change.secure }),
      ...(change.user === undefined ? {} : { user: change.user }),
      ...(change.password === undefined ? {} : { passwordSealed: encryptSecret(secretKey, change.password) }),
    };
    return saveMailbox(trx, context, before, { imap }, 'email_mailbox.connection_changed', {
      passwordChanged: change.password !== undefined,
    });
  });
}

/** The stored IMAP settings of a mailbox, for a connection test. */
export async function storedImapSettings(db: Executor, id: string): Promise<ImapSettings> {
  const row = await db.selectFrom('email_mailboxes').select('imap').where('id', '=', id).executeTakeFirst();
  if (!row) throw errors.notFound('email_mailbox');
  if (!row.imap) throw errors.conflict('mailbox_not_imap');
  return row.imap;
}
