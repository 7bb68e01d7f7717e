// Saved inbox views: a staff user's own named filter sets.
import type { Executor } from '../../platform/database.js';
import { errors } from '../../platform/errors.js';
import { type RequestContext, recordAudit } from '../identity/index.js';

export async function listSavedViews(db: Executor, userId: string) {
  const rows = await db
    .selectFrom('saved_views')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('name')
    .execute();
  return rows.map((row) => ({ id: row.id, name: row.name, filters: row.filters }));
}

export async function saveView(
  db: Executor,
  context: RequestContext,
  userId: string,
  input: { name: string; filters: Record<string, unknown> },
) {
  const row = await db
    .insertInto('saved_views')
    .values({ user_id: userId, name: input.name, filters: JSON.stringify(input.filters) })
    .onConflict((oc) =>
      oc.columns(['user_id', 'name']).doUpdateSet({ filters: JSON.stringify(input.filters) }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, context, {
    action: 'saved_view.saved',
    entityType: 'saved_view',
    entityId: row.id,
    after: input,
  });
  return { id: row.id, name: row.name, filters: row.filters };
}

export async function deleteView(db: Executor, context: RequestContext, userId: string, id: string) {
  const deleted = await db
    .deleteFrom('saved_views')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .returningAll()
    .executeTakeFirst();
  if (!deleted) throw errors.notFound('view');
  await recordAudit(db, context, {
    action: 'saved_view.deleted',
    entityType: 'saved_view',
    entityId: id,
    before: { name: deleted.name },
  });
}
