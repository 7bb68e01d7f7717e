// Module channels: how Pitwall talks to people outside it. Sending: every mail goes through
// the outbox (threaded replies, notices, retries, delivery state); email-in/ receives.
export {
  type MailSettings,
  messageIdDomain,
  type OutgoingMail,
  queueMail,
  SEND_ATTEMPTS,
} from './channels.mail.js';
export { markOutboxBounced } from './channels.outbox.js';
export { type ChannelsRouteDeps, channelsRoutes } from './channels.routes.js';
export type { OutboxAttachmentRef, OutboxStatus } from './channels.tables.js';
export {
  addImapMailbox,
  emailInRoutes,
  emailInTasks,
  mailboxRoutes,
  seedDefaultMailboxes,
  startEmailReceiving,
} from './email-in/index.js';
export { replySubject, type ThreadParent } from './email-out/email-out.headers.js';
export { type CaseReplyMail, queueCaseReply, type SentHeaders } from './email-out/email-out.reply.js';
export { renderNotice, renderReply } from './email-out/email-out.templates.js';
export {
  type AttachmentContent,
  type AttachmentLoader,
  sendMailTask,
} from './email-out/email-out.transport.js';
