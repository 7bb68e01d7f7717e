// Test helpers for the cases module and its sub-modules: cases and messages written straight
// into the tables, a case opened by an owner through the portal, and multipart upload bodies.
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { CaseStatus, MessageKind } from '../modules/cases/cases.tables.js';
import type { Db } from '../platform/database.js';
import { login, type Session } from './app.js';
import { createCustomer } from './factories.js';

export async function insertCase(
  db: Db,
  options: {
    customerId: string;
    market?: string;
    language?: 'de' | 'en';
    status?: CaseStatus;
    assigneeId?: string | null;
    teamId?: string | null;
    vehicleId?: string | null;
    subject?: string;
    tags?: string[];
  },
) {
  const next = await sql<{ n: string }>`SELECT nextval('case_number_seq') AS n`.execute(db);
  const number = `PW-2026-${String(next.rows[0]?.n).padStart(6, '0')}`;
  return db
    .insertInto('cases')
    .values({
      number,
      subject: options.subject ?? 'Charging stops at 80 %',
      status: options.status ?? 'open',
      priority: 'normal',
      channel: 'portal',
      customer_id: options.customerId,
      vehicle_id: options.vehicleId ?? null,
      market: options.market ?? 'DE',
      team_id: options.teamId ?? null,
      assignee_id: options.assigneeId ?? null,
      tags: options.tags ?? [],
      language: options.language ?? 'de',
    })
    .returning(['id', 'number'])
    .executeTakeFirstOrThrow();
}

export async function insertMessage(
  db: Db,
  options: {
    caseId: string;
    kind?: MessageKind;
    internal?: boolean;
    authorKind?: 'customer' | 'staff' | 'system';
    authorId?: string | null;
    body?: string;
  },
) {
  const kind = options.kind ?? 'reply';
  return db
    .insertInto('case_messages')
    .values({
      case_id: options.caseId,
      kind,
      internal: options.internal ?? kind !== 'reply',
      author_kind: options.authorKind ?? 'staff',
      author_id: options.authorId ?? null,
      author_name: 'Test author',
      channel: 'portal',
      body_text: options.body ?? 'Hello',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** A 1×1 PNG. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

export interface FormPart {
  field?: string;
  filename?: string;
  content: Buffer | string;
}

function multipartBody(parts: FormPart[]) {
  const boundary = `----pitwall${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const name = `form-data; name="${part.field ?? 'file'}"`;
    const disposition = part.filename === undefined ? name : `${name}; filename="${part.filename}"`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n`));
    if (part.filename !== undefined) chunks.push(Buffer.from('Content-Type: application/octet-stream\r\n'));
    chunks.push(Buffer.from('\r\n'), Buffer.from(part.content), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** POST /api/cases/attachments as a browser would (multipart/form-data). */
export function uploadForm(app: FastifyInstance, session: Session, parts: FormPart[]) {
  const form = multipartBody(parts);
  return app.inject({
    method: 'POST',
    url: '/api/cases/attachments',
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'content-type': form.contentType },
    payload: form.body,
  });
}

export interface CaseByOwnerOptions {
  market?: string;
  subject?: string;
  body?: string;
}

/** A new owner of the market who opens a case in the portal, signed in. */
export async function caseByOwner(app: FastifyInstance, db: Db, options: CaseByOwnerOptions = {}) {
  const owner = await createCustomer(db, { market: options.market ?? 'DE' });
  const session = await login(app, owner.email, owner.password);
  const created = await session.request('POST', '/api/cases', {
    subject: options.subject ?? 'Ladeklappe klemmt',
    topic: 'charging',
    body: options.body ?? 'Die Ladeklappe öffnet sich nicht.',
  });
  if (created.statusCode !== 201)
    throw new Error(`opening a case failed: ${created.statusCode} ${created.body}`);
  return { owner, session, caseId: created.json().id as string, number: created.json().number as string };
}
