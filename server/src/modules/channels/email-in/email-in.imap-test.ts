// "Test connection" on the mailbox screen: a real IMAP login and folder open with the
// given settings, answered with what went wrong in words an admin can act on. Never throws
// for a failed connection: the result says why, in the caller's language.
import { ImapFlow } from 'imapflow';
import { type Language, translator } from '../../../platform/i18n.js';

export interface ImapTestSettings {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password: string;
  folder?: string;
}

export type ImapTestCode =
  | 'ok'
  | 'auth_failed'
  | 'host_not_found'
  | 'connection_refused'
  | 'timeout'
  | 'tls_failed'
  | 'folder_not_found'
  | 'failed';

export interface ImapTestResult {
  ok: boolean;
  code: ImapTestCode;
  message: string;
  /** Messages in the folder, when it could be opened. */
  messages?: number;
}

const TIMEOUT_MS = 10_000;

type ImapError = Error & {
  code?: string;
  authenticationFailed?: boolean;
  responseText?: string;
  serverResponseCode?: string;
};

function classify(error: ImapError, stage: 'connect' | 'open'): ImapTestCode {
  const code = error.code ?? '';
  if (error.authenticationFailed) return 'auth_failed';
  if (stage === 'open') return 'folder_not_found';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host_not_found';
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH')
    return 'connection_refused';
  if (/TIMEOUT|ETIMEDOUT/.test(code)) return 'timeout';
  if (/SSL|TLS|CERT|EPROTO|SELF_SIGNED|ClosedAfterConnectTLS/i.test(`${code} ${error.message}`))
    return 'tls_failed';
  return 'failed';
}

export async function testImapConnection(
  settings: ImapTestSettings,
  language: Language,
): Promise<ImapTestResult> {
  const t = translator(language);
  const folder = settings.folder || 'INBOX';
  const client = new ImapFlow({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    auth: { user: settings.user, pass: settings.password },
    logger: false,
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: TIMEOUT_MS * 2,
  });
  // Errors also arrive as events; without a listener one would end the process.
  client.on('error', () => {});
  let stage: 'connect' | 'open' = 'connect';
  try {
    await client.connect();
    stage = 'open';
    const mailbox = await client.mailboxOpen(folder, { readOnly: true });
    return {
      ok: true,
      code: 'ok',
      message: t('mailbox_test.ok', { folder, messages: mailbox.exists }),
      messages: mailbox.exists,
    };
  } catch (cause) {
    const error = cause as ImapError;
    const code = classify(error, stage);
    const reason = (error.responseText || error.message || String(cause)).slice(0, 300);
    return {
      ok: false,
      code,
      message: t(`mailbox_test.${code}`, {
        host: settings.host,
        port: settings.port,
        user: settings.user,
        folder,
        reason,
      }),
    };
  } finally {
    await client.logout().catch(() => client.close());
  }
}
