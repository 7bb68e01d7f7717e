// The yardstick for the cases benchmark: bare Fastify routes on a second instance, same
// database, same query layer (Kysely over node-postgres, a pool of its own), the one
// indexed query each API call is built around. No session, no authorisation, no schema.
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { createDb, type Db } from '../server/src/platform/database.js';

const openStatuses = ['new', 'open', 'pending_customer', 'pending_third_party'] as const;

export async function startCasesBaseline(
  databaseUrl: string,
): Promise<{ url: string; close: () => Promise<void> }> {
  const db: Db = createDb(databaseUrl, { max: 20 });
  const app: FastifyInstance = Fastify({ logger: false });

  // The inbox index is partial (merged cases left out), so the bare query says so too.
  app.get<{ Querystring: { market: string } }>('/baseline/inbox', async (request) =>
    db
      .selectFrom('cases')
      .select(['id', 'number', 'subject', 'status', 'priority', 'market', 'updated_at'])
      .where('market', '=', request.query.market)
      .where('status', 'in', [...openStatuses])
      .where('merged_into_id', 'is', null)
      .orderBy('updated_at', 'desc')
      .limit(25)
      .execute(),
  );

  app.get<{ Params: { id: string } }>('/baseline/cases/:id', async (request, reply) => {
    const found = await db
      .selectFrom('cases')
      .selectAll()
      .where('id', '=', request.params.id)
      .executeTakeFirst();
    if (!found) return reply.status(404).send({ error: 'not found' });
    const messages = await db
      .selectFrom('case_messages')
      .select(['id', 'kind', 'internal', 'author_kind', 'author_name', 'channel', 'body_text', 'created_at'])
      .where('case_id', '=', found.id)
      .orderBy('created_at')
      .execute();
    return { case: found, messages };
  });

  app.get<{ Querystring: { q: string } }>('/baseline/search', async (request) => {
    const q = request.query.q;
    const result = await sql<{ id: string }>`
      SELECT id FROM case_messages
      WHERE search_vector @@ (websearch_to_tsquery('german', ${q}) || websearch_to_tsquery('english', ${q}))
      LIMIT 25`.execute(db);
    return result.rows;
  });

  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    close: async () => {
      await app.close();
      await db.destroy();
    },
  };
}
