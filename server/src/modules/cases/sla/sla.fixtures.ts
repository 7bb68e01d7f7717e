// Test fixtures for the SLA engine: markets, policies and cases written straight into the
// tables, and events emitted as the cases core emits them.
import { randomBytes } from 'node:crypto';
import { type Insertable, sql } from 'kysely';
import type { Db } from '../../../platform/database.js';
import { emitEvent } from '../../../platform/events.js';
import { createCustomer } from '../../../test/factories.js';
import { until } from '../../../test/until.js';
import type { CasePriority } from '../cases.tables.js';
import { slaSummaries } from './index.js';
import { ALWAYS_OPEN } from './sla.business-hours.js';
import type { SlaPoliciesTable } from './sla.tables.js';

export const minutes = (n: number) => n * 60_000;
const unique = () => randomBytes(3).toString('hex').toUpperCase();

export function slaFixtures(db: () => Db) {
  let markets = 0;
  return {
    /** A market of its own per test (24/7 tests use UTC), so policies never collide. */
    async addMarket(timeZone = 'UTC'): Promise<string> {
      const code = `X${String.fromCharCode(65 + markets++)}`;
      await db()
        .insertInto('markets')
        .values({ code, name_en: code, name_de: code, time_zone: timeZone, language: 'en', currency: 'EUR' })
        .execute();
      return code;
    },

    async addPolicy(values: Partial<Insertable<SlaPoliciesTable>> & { market: string }) {
      return db()
        .insertInto('sla_policies')
        .values({
          name: 'Standard',
          first_response_minutes: 240,
          next_response_minutes: 120,
          resolution_minutes: 600,
          business_hours: JSON.stringify(ALWAYS_OPEN),
          observe_holidays: false,
          on_breach: 'notify',
          ...values,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    },

    async addCase(market: string, createdAt: Date, priority: CasePriority = 'normal') {
      const customer = await createCustomer(db(), { withAccount: false });
      const result = await sql<{ id: string }>`
        INSERT INTO cases (number, subject, status, priority, channel, customer_id, market, language, created_at, updated_at)
        VALUES (${`PW-T-${unique()}`}, 'Charging stops at 80 %', 'new', ${priority}, 'email', ${customer.id}, ${market}, 'en', ${createdAt}, ${createdAt})
        RETURNING id`.execute(db());
      return result.rows[0]?.id as string;
    },

    /** Emits an event as the cases core would (optionally back-dated); returns its id. */
    async emitOnly(caseId: string, type: string, payload: Record<string, unknown> = {}, occurredAt?: Date) {
      return db()
        .transaction()
        .execute(async (trx) => {
          const id = await emitEvent(
            trx,
            { actorId: null, requestId: null },
            { type, entityType: 'case', entityId: caseId, payload },
          );
          if (occurredAt)
            await sql`UPDATE domain_events SET occurred_at = ${occurredAt} WHERE id = ${id}`.execute(trx);
          return id;
        });
    },

    /** Waits until the SLA engine has handled the event. */
    async handled(eventId: string) {
      await until(() =>
        db()
          .selectFrom('event_handler_runs')
          .select('event_id')
          .where('event_id', '=', eventId)
          .where('handler', '=', 'cases.sla')
          .executeTakeFirst(),
      );
    },

    async timers(caseId: string) {
      const rows = await db()
        .selectFrom('case_sla_timers')
        .selectAll()
        .where('case_id', '=', caseId)
        .execute();
      return Object.fromEntries(rows.map((row) => [row.metric, row]));
    },

    async summary(caseId: string) {
      return (await slaSummaries(db(), [caseId])).get(caseId);
    },
  };
}
