// API tokens for integrations (`Authorization: Bearer pw_…`). A token holds a subset of its
// creator's permissions and markets; the secret is shown once and stored only as sha256.
import { sql } from 'kysely';
import { randomToken, sha256 } from '../../platform/crypto.js';
import type { Executor } from '../../platform/database.js';
import { errors } from '../../platform/errors.js';
import { recordAudit } from './identity.audit.js';
import { coversMarket, type RequestContext, type StaffPrincipal } from './identity.principal.js';
import type { ApiToken, CreateApiTokenBody } from './identity.schemas.js';
import type { ApiTokenRow } from './identity.tables.js';

export const API_TOKEN_PREFIX = 'pw_';
const ALL_MARKETS = '*';

export function toApiToken(row: ApiTokenRow): ApiToken {
  const iso = (value: Date | null) => (value ? value.toISOString() : null);
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes,
    markets: row.markets,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: iso(row.last_used_at),
    revokedAt: iso(row.revoked_at),
    expiresAt: iso(row.expires_at),
  };
}

function staffOf(context: RequestContext): StaffPrincipal {
  if (context.principal?.kind !== 'staff') throw errors.forbidden();
  return context.principal;
}

export async function listApiTokens(db: Executor): Promise<ApiToken[]> {
  const rows = await db.selectFrom('api_tokens').selectAll().orderBy('created_at', 'desc').execute();
  return rows.map(toApiToken);
}

/** Nobody hands out more than they hold: every scope and market must be the creator's own. */
async function assertGrantable(db: Executor, creator: StaffPrincipal, scopes: string[], markets: string[]) {
  const scope = scopes.find((candidate) => !(creator.permissions as ReadonlySet<string>).has(candidate));
  if (scope) throw errors.invalid('scope_not_allowed', { scope });
  const outside = markets.find((market) =>
    market === ALL_MARKETS ? !creator.allMarkets : !coversMarket(creator, market),
  );
  if (outside) throw errors.invalid('market_not_in_scope', { market: outside });
  const codes = markets.filter((market) => market !== ALL_MARKETS);
  if (codes.length === 0) return;
  const known = await db.selectFrom('markets').select('code').where('code', 'in', codes).execute();
  const unknown = codes.find((code) => !known.some((row) => row.code === code));
  if (unknown) throw errors.invalid('market_unknown', { market: unknown });
}

export async function createApiToken(
  db: Executor,
  context: RequestContext,
  input: CreateApiTokenBody,
): Promise<{ token: string; item: ApiToken }> {
  const creator = staffOf(context);
  const markets = input.markets ?? (creator.allMarkets ? [ALL_MARKETS] : [...creator.markets]);
  await assertGrantable(db, creator, input.scopes, markets);
  const token = `${API_TOKEN_PREFIX}${randomToken()}`;
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('api_tokens')
      .values({
        name: input.name,
        token_hash: sha256(token),
        created_by: creator.userId,
        scopes: input.scopes,
        markets,
        expires_at:
          input.expiresInDays === undefined
            ? null
            : sql<Date>`now() + make_interval(days => ${input.expiresInDays})`,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const item = toApiToken(row);
    await recordAudit(trx, context, {
      action: 'api_token.created',
      entityType: 'api_token',
      entityId: row.id,
      after: item,
    });
    return { token, item };
  });
}

/** Revoking twice is not an error: the token stays revoked since the first time. */
export async function revokeApiToken(db: Executor, context: RequestContext, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw errors.notFound('token');
    if (before.revoked_at) return;
    const after = await trx
      .updateTable('api_tokens')
      .set({ revoked_at: sql`now()` })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, context, {
      action: 'api_token.revoked',
      entityType: 'api_token',
      entityId: id,
      before: toApiToken(before),
      after: toApiToken(after),
    });
  });
}
