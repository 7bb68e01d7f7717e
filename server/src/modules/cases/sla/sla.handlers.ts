// The SLA engine reacts to what happens to a case. Each event moves the case's clocks;
// times come from the event (or the message), not from when the handler happens to run.
import type { Transaction } from '../../../platform/database.js';
import type { EventHandler } from '../../../platform/events.js';
import type { DomainEventRow } from '../../../platform/platform.tables.js';
import type { CaseStatus } from '../cases.tables.js';
import { commit, ensureTimers, openSlaCase, type SlaCase, type SlaDeps } from './sla.engine.js';
import type { SlaMetric } from './sla.tables.js';
import { meet, newTimer, pause, reactivate, resume, retarget, type SlaTimer, stop } from './sla.timers.js';

const finished = (status: unknown) => status === 'solved' || status === 'closed';

function each(sla: SlaCase, change: (timer: SlaTimer) => boolean): void {
  for (const [metric, timer] of sla.timers) if (change(timer)) sla.changed.add(metric);
}

async function messageTime(trx: Transaction, event: DomainEventRow): Promise<Date> {
  const { createdAt, messageId } = event.payload;
  if (typeof createdAt === 'string') return new Date(createdAt);
  // Events written before the payload carried the message's time.
  if (typeof messageId !== 'string') return event.occurred_at;
  const message = await trx
    .selectFrom('case_messages')
    .select('created_at')
    .where('id', '=', messageId)
    .where('case_id', '=', event.entity_id)
    .executeTakeFirst();
  return message?.created_at ?? event.occurred_at;
}

async function onMessage(trx: Transaction, sla: SlaCase, event: DomainEventRow): Promise<void> {
  const { kind, internal, authorKind } = event.payload as {
    kind?: string;
    internal?: boolean;
    authorKind?: string;
  };
  const at = await messageTime(trx, event);
  if (authorKind === 'staff' && kind === 'reply' && internal === false) {
    for (const metric of ['first_response', 'next_response'] as const) {
      const timer = sla.timers.get(metric);
      if (timer && meet(timer, at, sla.calendar)) sla.changed.add(metric);
    }
    return;
  }
  if (authorKind !== 'customer' || internal === true || !sla.policy || finished(sla.case.status)) return;
  const waitingForFirst = sla.timers.get('first_response');
  if (waitingForFirst && waitingForFirst.met_at === null && waitingForFirst.stopped_at === null) return;
  const previous = sla.timers.get('next_response');
  // The clock runs from the oldest unanswered customer message.
  if (previous && previous.met_at === null && previous.stopped_at === null) return;
  const metric: SlaMetric = 'next_response';
  sla.timers.set(metric, newTimer(sla.case.id, metric, sla.policy, at, sla.calendar, previous));
  sla.changed.add(metric);
}

function onStatus(sla: SlaCase, from: CaseStatus | undefined, to: CaseStatus | undefined, at: Date): void {
  if (!to || from === to) return;
  if (finished(to)) {
    each(sla, (timer) =>
      timer.metric === 'resolution' ? meet(timer, at, sla.calendar) : stop(timer, at, sla.calendar),
    );
    return;
  }
  if (finished(from)) {
    const resolution = sla.timers.get('resolution');
    if (resolution && reactivate(resolution, at, sla.calendar, to === 'pending_customer'))
      sla.changed.add('resolution');
    return;
  }
  if (to === 'pending_customer') each(sla, (timer) => pause(timer, at, sla.calendar));
  else if (from === 'pending_customer') each(sla, (timer) => resume(timer, at, sla.calendar, sla.policy));
}

function apply(trx: Transaction, sla: SlaCase, event: DomainEventRow): Promise<void> | undefined {
  switch (event.type) {
    case 'case.message_added':
      return onMessage(trx, sla, event);
    case 'case.status_changed': {
      const { from, to } = event.payload as { from?: CaseStatus; to?: CaseStatus };
      onStatus(sla, from, to, event.occurred_at);
      return;
    }
    case 'case.priority_changed': {
      const { policy } = sla;
      if (policy) each(sla, (timer) => retarget(timer, policy, sla.calendar, new Date()));
      return;
    }
  }
}

/** The events of one case, in order: its clocks are locked, read and saved once for all of them
 * (a new case's `case.created` and first `case.message_added` come in one dispatch). */
async function handleCaseEvents(trx: Transaction, caseId: string, events: readonly DomainEventRow[]) {
  const sla = await openSlaCase(trx, caseId);
  if (!sla) return;
  for (const event of events) {
    ensureTimers(sla);
    await apply(trx, sla, event);
  }
  await commit(trx, sla);
}

/** Handles the cases core's events: `case.created`, `case.message_added`, `case.status_changed`, `case.priority_changed`. */
export function slaEventHandlers(_deps: SlaDeps): EventHandler[] {
  const handleBatch = async (events: readonly DomainEventRow[], trx: Transaction) => {
    const byCase = new Map<string, DomainEventRow[]>();
    for (const event of events) {
      if (event.entity_type !== 'case') continue;
      const ofCase = byCase.get(event.entity_id) ?? [];
      ofCase.push(event);
      byCase.set(event.entity_id, ofCase);
    }
    for (const [caseId, ofCase] of byCase) await handleCaseEvents(trx, caseId, ofCase);
  };
  return [
    {
      name: 'cases.sla',
      eventTypes: ['case.created', 'case.message_added', 'case.status_changed', 'case.priority_changed'],
      handle: (event, trx) => handleBatch([event], trx),
      handleBatch,
    },
  ];
}
