// Receiving mail: the built-in SMTP receiver and IMAP polling store every mail raw before
// acknowledging it; a job parses, threads and hands it to cases, or quarantines it.
import type { TaskList } from 'graphile-worker';
import type { Logger } from 'pino';
import type { Db } from '../../../platform/database.js';
import type { LiveHub } from '../../../platform/live.js';
import { processInboundTask } from './email-in.batch.js';
import { type ImapPollers, startImapPollers } from './email-in.imap.js';
import { watchStaleProcessing } from './email-in.recovery.js';
import { type SmtpReceiver, startSmtpReceiver } from './email-in.smtp.js';
import { PROCESS_TASK, prepareProcessingQueues } from './email-in.store.js';

export { type MailboxRouteDeps, mailboxRoutes } from './email-in.mailbox.routes.js';
export {
  addImapMailbox,
  addSmtpMailbox,
  type NewImapMailbox,
  seedDefaultMailboxes,
} from './email-in.mailboxes.js';
export { emailInMigrations } from './email-in.migrations.js';
export { parseMail, processInboundEmail } from './email-in.process.js';
export { releaseStaleProcessing } from './email-in.recovery.js';
export { emailInRoutes } from './email-in.routes.js';
export { sanitiseEmailHtml } from './email-in.sanitise.js';
export { PROCESS_TASK, storeInboundEmail } from './email-in.store.js';
export type { EmailInTables } from './email-in.tables.js';
export { type ImapPollers, type SmtpReceiver, startImapPollers, startSmtpReceiver };

export function emailInTasks(deps: { db: Db; log: Logger }): TaskList {
  return { [PROCESS_TASK]: processInboundTask(deps.db, deps.log.child({ component: 'email-in' })) };
}

export interface EmailReceiving {
  smtpPort: number;
  imapMailboxes: number;
  stop(): Promise<void>;
}

/** Starts the SMTP receiver and the IMAP pollers of this process (main.ts). */
export async function startEmailReceiving(options: {
  db: Db;
  log: Logger;
  host: string;
  smtpPort: number;
  maxBytes: number;
  secretKey: string;
  /** Hears mailbox changes: IMAP pollers start and stop without a restart, the SMTP receiver's copy is read again. */
  live?: LiveHub;
}): Promise<EmailReceiving> {
  await prepareProcessingQueues(options.db);
  const smtp: SmtpReceiver = await startSmtpReceiver({
    db: options.db,
    log: options.log,
    host: options.host,
    port: options.smtpPort,
    maxBytes: options.maxBytes,
    live: options.live,
  });
  let imap: ImapPollers;
  try {
    imap = await startImapPollers({
      db: options.db,
      log: options.log,
      secretKey: options.secretKey,
      live: options.live,
    });
  } catch (error) {
    await smtp.stop();
    throw error;
  }
  const stopWatching = watchStaleProcessing(options.db, options.log.child({ component: 'email-in' }));
  return {
    smtpPort: smtp.port,
    imapMailboxes: imap.count,
    stop: async () => {
      stopWatching();
      await imap.stop();
      await smtp.stop();
    },
  };
}
