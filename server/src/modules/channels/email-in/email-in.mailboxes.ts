// The addresses Pitwall receives mail for. Each belongs to a market and a language (an
// unknown sender becomes a contact there); IMAP mailboxes remember how far they were read.
import { sql } from 'kysely';
import { encryptSecret } from '../../../platform/crypto.js';
import type { Db, Executor } from '../../../platform/database.js';
import type { EmailMailboxRow, ImapSettings } from './email-in.tables.js';

/**
 * On a fresh installation: one `service-<market>@<domain>` per market (service-de@…,
 * service-uk@…). Does nothing once any mailbox exists or while there are no markets yet.
 * Markets belong to identity, which offers no reader for them; this reads the table.
 */
export async function seedDefaultMailboxes(db: Db, domain: string): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    await sql`LOCK TABLE email_mailboxes IN EXCLUSIVE MODE`.execute(trx);
    const any = await trx.selectFrom('email_mailboxes').select('id').limit(1).executeTakeFirst();
    if (any) return [];
    const markets = await trx.selectFrom('markets').select(['code', 'language']).orderBy('code').execute();
    if (markets.length === 0) return [];
    const rows = markets.map((market) => ({
      address: `service-${market.code.toLowerCase()}@${domain}`,
      market: market.code,
      language: market.language === 'de' ? ('de' as const) : ('en' as const),
      kind: 'smtp' as const,
    }));
    await trx.insertInto('email_mailboxes').values(rows).execute();
    return rows.map((row) => row.address);
  });
}

export interface NewImapMailbox {
  address: string;
  market: string;
  language: 'de' | 'en';
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password: string;
  folder?: string;
}

/** An IMAP mailbox to poll; the password is stored sealed with the installation's SECRET_KEY. */
export async function addImapMailbox(
  db: Executor,
  secretKey: string,
  input: NewImapMailbox,
): Promise<string> {
  const imap: ImapSettings = {
    host: input.host,
    port: input.port,
    secure: input.secure,
    user: input.user,
    passwordSealed: encryptSecret(secretKey, input.password),
    ...(input.folder ? { folder: input.folder } : {}),
  };
  const row = await db
    .insertInto('email_mailboxes')
    .values({
      address: input.address.toLowerCase(),
      market: input.market,
      language: input.language,
      kind: 'imap',
      imap: JSON.stringify(imap),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** An SMTP mailbox: mail to this address is accepted by the built-in receiver. */
export async function addSmtpMailbox(
  db: Executor,
  input: { address: string; market: string; language: 'de' | 'en' },
): Promise<string> {
  const row = await db
    .insertInto('email_mailboxes')
    .values({
      address: input.address.toLowerCase(),
      market: input.market,
      language: input.language,
      kind: 'smtp',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The channel the email_mailboxes trigger notifies on every change of what is received where. */
export const MAILBOXES_CHANNEL = 'pitwall_mailboxes';

/** What the SMTP receiver needs of a mailbox it accepts mail for. */
export type ReceivingMailbox = Pick<EmailMailboxRow, 'id' | 'address'>;

/** An address as the SMTP receiver compares it (the column is citext). */
export function addressKey(address: string): string {
  return address.trim().toLowerCase();
}

/**
 * Enabled mailboxes for the given addresses (any kind: mail forwarded to an IMAP address is
 * welcome too). The SMTP receiver answers from its per-process copy (`MailboxCache`,
 * email-in.mailbox-cache.ts) and calls this only while the copy cannot be trusted: before its
 * process listens, while the listening connection is down or just reconnected, and between a
 * change's NOTIFY and the copy's next read. So an address added or disabled in the app counts in
 * every process as soon as the NOTIFY arrives, within milliseconds (in the process that made the
 * change through the app, before its answer leaves; an added one at once anywhere, since a
 * refusal asks the table: `recipientState`); with no listener, the table is read for every mail.
 */
export async function mailboxesFor(db: Executor, addresses: string[]): Promise<ReceivingMailbox[]> {
  const wanted = [...new Set(addresses.map(addressKey))];
  if (wanted.length === 0) return [];
  return db
    .selectFrom('email_mailboxes')
    .select(['id', 'address'])
    .where('address', 'in', wanted)
    .where('enabled', '=', true)
    .execute();
}

/** Every enabled mailbox: the SMTP receiver's copy (a handful of rows). */
export function enabledMailboxes(db: Executor): Promise<ReceivingMailbox[]> {
  return db.selectFrom('email_mailboxes').select(['id', 'address']).where('enabled', '=', true).execute();
}

/**
 * The table's word on an address the SMTP receiver found no enabled mailbox for: a disabled one
 * gets its own RCPT reply (5.2.1), so its sender learns why; an enabled one is a mailbox added
 * a moment ago whose NOTIFY has not arrived yet, and is taken.
 */
export async function recipientState(
  db: Executor,
  address: string,
): Promise<{ state: 'enabled'; mailbox: ReceivingMailbox } | { state: 'disabled' | 'unknown' }> {
  const row = await db
    .selectFrom('email_mailboxes')
    .select(['id', 'address', 'enabled'])
    .where('address', '=', addressKey(address))
    .executeTakeFirst();
  if (!row) return { state: 'unknown' };
  return row.enabled
    ? { state: 'enabled', mailbox: { id: row.id, address: row.address } }
    : { state: 'disabled' };
}

/** The IMAP mailboxes this installation polls (disabled ones are left alone). */
export function imapMailboxes(db: Executor): Promise<EmailMailboxRow[]> {
  return db
    .selectFrom('email_mailboxes')
    .selectAll()
    .where('kind', '=', 'imap')
    .where('enabled', '=', true)
    .orderBy('address')
    .execute();
}
