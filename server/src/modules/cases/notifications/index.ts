// Notifications of the cases module: in-app (live to the one recipient) and email, sent by
// event handlers when a case is assigned, answered, written to by its customer or near its SLA.
export { type NotificationDeps, notificationEventHandlers } from './notifications.handlers.js';
export { notificationRoutes } from './notifications.routes.js';
export { type NotificationInput, notify } from './notifications.service.js';
