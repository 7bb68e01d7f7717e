// Test fixtures for case search: cases and messages written straight into the tables
// (search reads them as they are, however they got there).
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { TestApp } from '../../../test/app.js';
import type { CaseStatus } from '../cases.tables.js';

let sequence = 0;

export async function insertCase(
  t: TestApp,
  options: {
    customerId: string;
    subject?: string;
    market?: string;
    status?: CaseStatus;
    language?: 'de' | 'en';
    vehicleId?: string | null;
    assigneeId?: string | null;
    createdAt?: string;
    mergedIntoId?: string;
  },
) {
  sequence++;
  const number = `PW-2026-${String(900_000 + sequence).padStart(6, '0')}`;
  const createdAt = options.createdAt ?? new Date(Date.UTC(2026, 5, 1) + sequence * 60_000).toISOString();
  const row = await t.db
    .insertInto('cases')
    .values({
      number,
      subject: options.subject ?? `Anliegen ${randomBytes(3).toString('hex')}`,
      status: options.status ?? 'open',
      priority: 'normal',
      channel: 'email',
      customer_id: options.customerId,
      vehicle_id: options.vehicleId ?? null,
      market: options.market ?? 'DE',
      assignee_id: options.assigneeId ?? null,
      merged_into_id: options.mergedIntoId ?? null,
      language: options.language ?? 'de',
      updated_at: createdAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // created_at takes no value on insert (the database stamps it); tests set it to order cases.
  await sql`UPDATE cases SET created_at = ${createdAt} WHERE id = ${row.id}`.execute(t.db);
  return { id: row.id, number };
}

export async function insertMessage(
  t: TestApp,
  caseId: string,
  body: string,
  options: { note?: boolean; createdAt?: string } = {},
) {
  const row = await t.db
    .insertInto('case_messages')
    .values({
      case_id: caseId,
      kind: options.note ? 'note' : 'reply',
      internal: options.note ?? false,
      author_kind: options.note ? 'staff' : 'customer',
      author_name: options.note ? 'Agent' : 'Customer',
      channel: 'email',
      body_text: body,
      created_at: options.createdAt ?? new Date(Date.UTC(2026, 5, 1) + ++sequence * 60_000).toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
