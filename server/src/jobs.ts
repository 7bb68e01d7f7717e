// Every job the worker runs, composed from the modules: the domain-event dispatcher with
// all modules' handlers, and each module's own tasks. main.ts and tests use the same list.
import type { TaskList } from 'graphile-worker';
import type { Logger } from 'pino';
import { attachmentContents } from './modules/cases/attachments/index.js';
import { notificationEventHandlers } from './modules/cases/notifications/index.js';
import { slaEventHandlers, slaTasks } from './modules/cases/sla/index.js';
import { emailInTasks, type MailSettings, sendMailTask } from './modules/channels/index.js';
import type { Db } from './platform/database.js';
import { type EventHandler, eventTasks, setHandledEventTypes } from './platform/events.js';

export interface JobDeps {
  db: Db;
  log: Logger;
  mail: MailSettings;
  publicUrl: string;
}

export function eventHandlers(deps: JobDeps): EventHandler[] {
  return [
    ...slaEventHandlers({ db: deps.db, log: deps.log }),
    ...notificationEventHandlers({ db: deps.db, mail: deps.mail, publicUrl: deps.publicUrl }),
  ];
}

/** Tells this process which event types have handlers, so that no other event gets a dispatch
 * job (platform/events.ts `setHandledEventTypes`). Every process that writes events calls it. */
export function dispatchHandledEvents(deps: JobDeps): void {
  setHandledEventTypes(eventHandlers(deps).flatMap((handler) => handler.eventTypes));
}

export function taskList(deps: JobDeps): TaskList {
  return {
    ...eventTasks(deps.db, eventHandlers(deps), deps.log.child({ component: 'events' })),
    ...slaTasks({ db: deps.db, log: deps.log }),
    ...emailInTasks({ db: deps.db, log: deps.log }),
    'channels.send_mail': sendMailTask(deps.db, deps.mail, { attachmentContents }),
  };
}
