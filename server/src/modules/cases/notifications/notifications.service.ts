// In-app notifications: one row per recipient, announced live to that user only.
import { sql } from 'kysely';
import type { Executor } from '../../../platform/database.js';
import { errors } from '../../../platform/errors.js';
import { publishLive } from '../../../platform/live.js';

export interface NotificationInput {
  userId: string;
  kind: string;
  caseId: string | null;
  title: string;
  body: string;
}

export interface NotificationView {
  id: string;
  kind: string;
  caseId: string | null;
  caseNumber: string | null;
  title: string;
  body: string;
  readAt: string | null;
  createdAt: string;
}

/** Writes the notification in the caller's transaction; the live notice goes out on commit. */
export async function notify(trx: Executor, input: NotificationInput): Promise<string> {
  const row = await trx
    .insertInto('notifications')
    .values({
      user_id: input.userId,
      kind: input.kind,
      case_id: input.caseId,
      title: input.title,
      body: input.body,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await publishLive(trx, {
    type: 'notification.created',
    entityType: 'notification',
    entityId: row.id,
    audience: { userIds: [input.userId] },
    data: { kind: input.kind, caseId: input.caseId },
  });
  return row.id;
}

export async function listNotifications(
  db: Executor,
  userId: string,
  limit: number,
): Promise<{ items: NotificationView[]; unread: number }> {
  const [rows, unread] = await Promise.all([
    db
      .selectFrom('notifications as n')
      .leftJoin('cases as c', 'c.id', 'n.case_id')
      .select(['n.id', 'n.kind', 'n.case_id', 'c.number', 'n.title', 'n.body', 'n.read_at', 'n.created_at'])
      .where('n.user_id', '=', userId)
      .orderBy('n.created_at', 'desc')
      .orderBy('n.id', 'desc')
      .limit(limit)
      .execute(),
    db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow(),
  ]);
  return {
    items: rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      caseId: row.case_id,
      caseNumber: row.number,
      title: row.title,
      body: row.body,
      readAt: row.read_at ? row.read_at.toISOString() : null,
      createdAt: row.created_at.toISOString(),
    })),
    unread: Number(unread.count),
  };
}

/** Marks one of the user's own notifications read; anybody else's is "not found". */
export async function markRead(db: Executor, userId: string, id: string): Promise<void> {
  const row = await db
    .updateTable('notifications')
    .set({ read_at: sql`coalesce(read_at, now())` })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .returning('id')
    .executeTakeFirst();
  if (!row) throw errors.notFound('notification');
}

export async function markAllRead(db: Executor, userId: string): Promise<void> {
  await db
    .updateTable('notifications')
    .set({ read_at: sql`now()` })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .execute();
}
