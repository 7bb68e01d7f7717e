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
  await auditInsert(context, entry).execute(db);
}

/** The audit entry's INSERT, not yet run: for a caller that writes it in one statement with
 * the change's domain event (`emitEvent`'s `together`), a round trip less per change. Written as
 * SQL text rather than with the query builder: every change of state builds one, and building
 * an INSERT with Kysely cost more node CPU than running it. */
export function auditInsert(context: RequestContext, entry: AuditEntry) {
  const kind = context.principal?.kind ?? 'system';
  const json = (value: unknown) => (value === undefined ? null : JSON.stringify(redact(value)));
  return sql`INSERT INTO audit_log (actor_id, actor_kind, actor_label, action, entity_type, entity_id,
      before, after, request_id, ip)
    VALUES (${actorId(context.principal)}::uuid, ${kind}, ${actorLabel(context.principal)}, ${entry.action},
      ${entry.entityType}, ${entry.entityId}, ${json(entry.before)}::jsonb, ${json(entry.after)}::jsonb,
      ${context.requestId}, ${context.ip})`;
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
