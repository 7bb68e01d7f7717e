// The audit log: every change of state, who made it, before and after. The table
// refuses UPDATE and DELETE (see the migration), so entries cannot be rewritten.
import { sql } from 'kysely';
import type { Executor } from '../../platform/database.js';
import { actorId, actorLabel, type RequestContext } from './identity.principal.js';

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

const redactedKeys = new Set([
  'password',
  'password_hash',
  'token_hash',
  'secret_encrypted',
  'code_hash',
  'public_key',
]);

function redact(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.map(redact);
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return '[bytes]';
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, inner]) => [
        key,
        redactedKeys.has(key) ? '[redacted]' : redact(inner),
      ]),
    );
  }
  return value;
}

export async function recordAudit(db: Executor, context: RequestContext, entry: AuditEntry): Promise<void> {
  await auditInsert(db, context, entry).execute();
}

/** The audit entry's INSERT, not yet run: for a caller that writes it in one statement with
 * the change's domain event (`emitEvent`'s `together`), a round trip less per change. */
export function auditInsert(db: Executor, context: RequestContext, entry: AuditEntry) {
  const kind = context.principal?.kind ?? 'system';
  return db.insertInto('audit_log').values({
    actor_id: actorId(context.principal),
    actor_kind: kind,
    actor_label: actorLabel(context.principal),
    action: entry.action,
    entity_type: entry.entityType,
    entity_id: entry.entityId,
    before: entry.before === undefined ? null : JSON.stringify(redact(entry.before)),
    after: entry.after === undefined ? null : JSON.stringify(redact(entry.after)),
    request_id: context.requestId,
    ip: context.ip,
  });
}

export interface AuditQuery {
  q?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  actorId?: string;
  from?: string;
  to?: string;
  before?: string;
  limit: number;
}

export async function searchAudit(db: Executor, query: AuditQuery) {
  let select = db
    .selectFrom('audit_log')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(query.limit + 1);
  if (query.action) select = select.where('action', '=', query.action);
  if (query.entityType) select = select.where('entity_type', '=', query.entityType);
  if (query.entityId) select = select.where('entity_id', '=', query.entityId);
  if (query.actorId) select = select.where('actor_id', '=', query.actorId);
  if (query.from) select = select.where('at', '>=', new Date(query.from));
  if (query.to) select = select.where('at', '<=', new Date(query.to));
  if (query.before) select = select.where('id', '<', query.before);
  if (query.q) {
    const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    select = select.where((eb) =>
      eb.or([
        eb('actor_label', 'ilike', like),
        eb('action', 'ilike', like),
        eb('entity_id', 'ilike', like),
        eb(sql`after::text`, 'ilike', like),
      ]),
    );
  }
  const rows = await select.execute();
  const page = rows.slice(0, query.limit);
  return { items: page, nextBefore: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null };
}
