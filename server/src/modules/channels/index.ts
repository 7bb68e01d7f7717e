// Module channels: how Pitwall talks to people outside it. Today: outgoing mail and
// the in-app outbox. Email in, portal messages, phone logs and webhooks come next.
export { type MailSettings, type OutgoingMail, queueMail, sendMailTask } from './channels.mail.js';
export { channelsRoutes } from './channels.routes.js';
