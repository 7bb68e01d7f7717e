// Module cases: every customer request as a case with one timeline, whatever the channel:
// inbox, replies and notes, phone logs, attachments, macros, SLA timers, search, live updates.
export { findVisibleCase, isCaseNumber } from './cases.access.js';
export { type EmailThreadParent, emailThreadOf, recordOutgoingEmail } from './cases.email.js';
export {
  claimInboundMessages,
  type InboundMessage,
  type InboundResult,
  receiveInboundMessage,
} from './cases.inbound.js';
export { casesRoutes } from './cases.routes.js';
export { caseSummaries } from './cases.summaries.js';
export type { EmailHeaders } from './cases.tables.js';
export { savedViewRoutes } from './cases.views.routes.js';
