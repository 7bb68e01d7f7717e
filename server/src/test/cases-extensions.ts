// Test helpers for the cases sub-modules (attachments, macros, notifications): an app with
// their routes, and cases and messages written straight into the tables.
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import pino from 'pino';
import { buildApp } from '../app.js';
import { attachmentRoutes } from '../modules/cases/attachments/index.js';
import type { CaseStatus, MessageKind } from '../modules/cases/cases.tables.js';
import { macroRoutes } from '../modules/cases/macros/index.js';
import { notificationRoutes } from '../modules/cases/notifications/index.js';
import type { Db } from '../platform/database.js';
import { LiveHub } from '../platform/live.js';
import { type Session, TEST_SECRET_KEY, type TestApp } from './app.js';
import { createTestDatabase } from './database.js';

/** Like buildTestApp; registers the sub-modules' routes itself while app.ts does not yet. */
export async function buildCasesExtensionsApp(): Promise<TestApp> {
  const database = await createTestDatabase();
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const live = new LiveHub(database.url, log);
  await live.start();
  const app: FastifyInstance = await buildApp({
    db: database.db,
    log,
    live,
    publicUrl: 'http://localhost:3000',
    sessionTtlHours: 12,
    stepUpMinutes: 10,
    secretKey: TEST_SECRET_KEY,
    mail: { from: 'Pitwall <no-reply@pitwall.test>', smtpUrl: null },
    webDistDir: null,
  });
  const missing = (method: 'GET' | 'POST', url: string) => !app.hasRoute({ method, url });
  if (missing('POST', '/api/cases/attachments'))
    await app.register(attachmentRoutes(database.db), { prefix: '/api/cases' });
  if (missing('GET', '/api/cases/macros'))
    await app.register(macroRoutes(database.db), { prefix: '/api/cases' });
  if (missing('GET', '/api/cases/notifications'))
    await app.register(notificationRoutes(database.db), { prefix: '/api/cases' });
  await app.ready();
  return {
    app,
    db: database.db,
    database,
    live,
    close: async () => {
      await app.close();
      await live.stop();
      await database.drop();
    },
  };
}

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
