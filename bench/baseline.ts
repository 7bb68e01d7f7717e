// The yardsticks: bare Fastify routes on a second instance, same database, same query
// layer (Kysely over node-postgres, a pool of its own), one indexed query each. No session,
// no authorisation check, no response schema.
//   /baseline/customers/:id      the simplest: one row by primary key
//   /baseline/search?q=          the statement a customer search is built around: the first
//                                page of trigram-indexed LIKE matches in name order with their
//                                total (no scoping, no emails, no vehicle counts)
//   /baseline/customers/:id/360  the customer with emails, consents and current vehicles as
//                                JSON arrays, one statement, as the 360 reads them
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
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
  app.get<{ Querystring: { q: string } }>('/baseline/search', async (request) => {
    const like = `%${request.query.q
      .trim()
      .toLowerCase()
      .replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    // With the total beside the page, as the search answers it: PostgreSQL then collects
    // the matches from the trigram index (a bitmap scan) instead of walking the name index
    // and testing every customer, which a bare LIMIT 25 tempts it into.
    return db
      .selectFrom('customers')
      .select(['id', 'first_name', 'last_name', 'market', 'language'])
      .select((eb) => eb.fn.countAll<string>().over().as('total'))
      .where('search_text', 'like', like)
      .orderBy('last_name')
      .orderBy('first_name')
      .orderBy('id')
      .limit(25)
      .execute();
  });
  app.get<{ Params: { id: string } }>('/baseline/customers/:id/360', async (request, reply) => {
    const result = await sql<Record<string, unknown>>`
      SELECT c.*,
        (SELECT coalesce(json_agg(e ORDER BY e.is_primary DESC, e.address), '[]')
           FROM (SELECT address, verified, is_primary FROM customer_emails WHERE customer_id = c.id) e) AS emails,
        (SELECT coalesce(json_agg(k ORDER BY k.purpose), '[]')
           FROM (SELECT purpose, granted, changed_at FROM customer_consents WHERE customer_id = c.id) k) AS consents,
        (SELECT coalesce(json_agg(v ORDER BY v.owned_from DESC), '[]')
           FROM (SELECT v.id, v.vin, v.model, v.model_year, v.market, v.software_version,
                        v.first_registration, o.owned_from
                   FROM vehicle_ownerships o JOIN vehicles v ON v.id = o.vehicle_id
                  WHERE o.customer_id = c.id AND o.owned_until IS NULL) v) AS vehicles
      FROM customers c WHERE c.id = ${request.params.id}`.execute(db);
    return result.rows[0] ?? reply.status(404).send({ error: 'not found' });
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
