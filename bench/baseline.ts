// The yardstick: a bare Fastify route on a second instance, same database, same query
// layer (Kysely over node-postgres, a pool of its own), one indexed query. No session,
// no authorisation check, no response schema.
import Fastify, { type FastifyInstance } from 'fastify';
import { createDb, type Db } from '../server/src/platform/database.js';

export async function startBaseline(
  databaseUrl: string,
): Promise<{ url: string; close: () => Promise<void> }> {
  const db: Db = createDb(databaseUrl, { max: 20 });
  const app: FastifyInstance = Fastify({ logger: false });
  app.get<{ Params: { id: string } }>('/baseline/customers/:id', async (request, reply) => {
    const customer = await db
      .selectFrom('customers')
      .select(['id', 'first_name', 'last_name', 'market', 'language'])
      .where('id', '=', request.params.id)
      .executeTakeFirst();
    return customer ?? reply.status(404).send({ error: 'not found' });
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
