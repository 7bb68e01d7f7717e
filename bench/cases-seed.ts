// Fills the cases tables for the benchmark: N cases over the demo customers, M messages,
// German and English text from cases-vocabulary.ts. The rows are generated inside
// PostgreSQL (INSERT … SELECT over generate_series, the vocabulary passed as arrays), on
// two connections at once; nothing crosses the wire but the vocabulary. The same numbers
// give the same text. The search index is built once after the load instead of row by
// row (same definition, read back from the catalogue).
import { sql } from 'kysely';
import type { Db } from '../server/src/platform/database.js';
import { english, german, type LanguageVocabulary, models, places } from './cases-vocabulary.js';

export interface CaseSeedSummary {
  cases: number;
  messages: number;
  ms: number;
}

const PARALLEL = 2;
/** Cases per INSERT; slices start at multiples of it plus one. */
const SLICE = 10_000;

/** The id of the i-th generated case (deterministic, so messages find their case by key). */
const caseId = (i: ReturnType<typeof sql>) => sql`md5('pw-bench-case-' || ${i})::uuid`;

function vocabularyParams(vocabulary: LanguageVocabulary) {
  return [
    vocabulary.subjects,
    vocabulary.customer,
    vocabulary.staff,
    vocabulary.notes,
    vocabulary.greetings,
    vocabulary.closings,
  ];
}

/**
 * bench_pick(list, h): one entry of a list by a hash; bench_skewed(list, h): earlier entries
 * more often (u² of a uniform u), so some words are common and others rare, as in real mail.
 * Case i opens at bench_opened(i) (evenly over three years, in order, like real numbers) and
 * has bench_k(i) messages (1–9, exactly 5 on average: pairs of cases share 10), the first
 * numbered bench_first(i) + 1, each bench_gap(i) after the one before.
 */
async function createHelpers(db: Db, cases: number, perCase: number): Promise<void> {
  const slot = Math.floor((3 * 365 * 86_400) / cases);
  await sql`
    CREATE OR REPLACE FUNCTION bench_h(i bigint, salt bigint) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT abs(hashint8extended(i, salt)) $$;
    CREATE OR REPLACE FUNCTION bench_pick(list text[], h bigint) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT list[1 + (h % cardinality(list))] $$;
    CREATE OR REPLACE FUNCTION bench_skewed(list text[], h bigint) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT list[1 + floor(cardinality(list) * power((h % 1000003) / 1000003.0, 2))::int] $$;
    CREATE OR REPLACE FUNCTION bench_d(i bigint) RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT (bench_h((i + 1) / 2, 40) % ${sql.lit(2 * perCase - 1)})::int - ${sql.lit(perCase - 1)} $$;
    CREATE OR REPLACE FUNCTION bench_k(i bigint) RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT ${sql.lit(perCase)} + CASE WHEN i % 2 = 1 THEN bench_d(i) ELSE -bench_d(i) END $$;
    CREATE OR REPLACE FUNCTION bench_first(i bigint) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT ${sql.lit(perCase)} * (i - 1) + CASE WHEN i % 2 = 0 THEN bench_d(i) ELSE 0 END $$;
    CREATE OR REPLACE FUNCTION bench_opened(i bigint) RETURNS timestamptz LANGUAGE sql STABLE PARALLEL SAFE
      AS $$ SELECT now() - interval '1 day' - ${sql.lit(cases)} * interval '${sql.raw(String(slot))} seconds'
        + (i - 1 + (bench_h(i, 10) % 1000) / 1000.0) * interval '${sql.raw(String(slot))} seconds' $$;
    CREATE OR REPLACE FUNCTION bench_gap(i bigint) RETURNS interval LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT (600 + bench_h(i, 9) % 172800) * interval '1 second' $$;
    CREATE UNLOGGED TABLE IF NOT EXISTS bench_vocabulary (language text PRIMARY KEY, subjects text[], customer text[],
      staff text[], notes text[], greetings text[], closings text[], places text[], models text[]);
    CREATE UNLOGGED TABLE IF NOT EXISTS bench_case_customers (n integer PRIMARY KEY, customer_id uuid, market text,
      language text, vehicle_id uuid);
    CREATE UNLOGGED TABLE IF NOT EXISTS bench_case_staff (market text, n integer, user_id uuid, PRIMARY KEY (market, n));
  `.execute(db);
  for (const [language, vocabulary] of [
    ['de', german],
    ['en', english],
  ] as const) {
    const [subjects, customer, staff, notes, greetings, closings] = vocabularyParams(vocabulary);
    await sql`
      INSERT INTO bench_vocabulary VALUES (${language}, ${subjects}, ${customer}, ${staff}, ${notes}, ${greetings},
        ${closings}, ${places}, ${models})
      ON CONFLICT (language) DO NOTHING
    `.execute(db);
  }
  // Cases belong to real demo customers (with their market, language and current vehicle)
  // and are assigned to real staff of the market.
  await sql`
    INSERT INTO bench_case_customers
    SELECT row_number() OVER (ORDER BY c.id), c.id, c.market, c.language,
      (SELECT o.vehicle_id FROM vehicle_ownerships o WHERE o.customer_id = c.id AND o.owned_until IS NULL LIMIT 1)
    FROM customers c ON CONFLICT DO NOTHING;
    INSERT INTO bench_case_staff
    SELECT m.code, row_number() OVER (PARTITION BY m.code ORDER BY u.id), u.id
    FROM markets m JOIN users u ON u.kind = 'staff' AND m.code = ANY (u.markets) AND NOT 'admin' = ANY (u.roles)
    ON CONFLICT DO NOTHING;
  `.execute(db);
}

async function insertCases(db: Db, from: number, to: number): Promise<void> {
  const i = sql`s.i`;
  await sql`
    WITH counts AS (SELECT (SELECT count(*) FROM bench_case_customers) AS customers)
    INSERT INTO cases (id, number, subject, status, priority, channel, customer_id, vehicle_id, market, assignee_id,
      language, merged_into_id, created_at, updated_at, last_customer_message_at)
    SELECT ${caseId(i)}, 'PW-' || extract(year FROM t.opened) || '-' || lpad(s.i::text, 6, '0'),
      bench_pick(v.subjects, bench_h(s.i, 2)),
      CASE WHEN s.i % 100 = 50 THEN 'closed' ELSE (ARRAY['new','open','open','pending_customer','pending_third_party',
        'solved','solved','closed','closed','closed'])[1 + bench_h(s.i, 3) % 10] END,
      (ARRAY['low','normal','normal','normal','high','urgent'])[1 + bench_h(s.i, 4) % 6],
      (ARRAY['portal','email','email','phone','social'])[1 + bench_h(s.i, 5) % 5],
      cc.customer_id, CASE WHEN bench_h(s.i, 6) % 5 > 0 THEN cc.vehicle_id END, cc.market,
      CASE WHEN bench_h(s.i, 7) % 10 < 7 THEN (SELECT st.user_id FROM bench_case_staff st WHERE st.market = cc.market
        AND st.n = 1 + bench_h(s.i, 8) % (SELECT count(*) FROM bench_case_staff x WHERE x.market = cc.market)) END,
      -- One case in a hundred was merged into the case before it (same slice, so it exists).
      cc.language, CASE WHEN s.i % 100 = 50 THEN ${caseId(sql`s.i - 1`)} END, t.opened, least(now(), t.opened + (bench_k(s.i) - 1) * bench_gap(s.i)), t.opened
    FROM generate_series(${from}::int, ${to}::int) AS s (i)
    CROSS JOIN counts
    JOIN bench_case_customers cc ON cc.n = 1 + bench_h(s.i, 1) % counts.customers
    JOIN bench_vocabulary v ON v.language = cc.language
    CROSS JOIN LATERAL (SELECT bench_opened(s.i) AS opened) t
    ORDER BY s.i
  `.execute(db);
}

/** The messages of cases from..to, written in case order (so the table is in time order, as in production). */
async function insertMessages(db: Db, from: number, to: number): Promise<void> {
  await sql`
    INSERT INTO case_messages (case_id, kind, internal, author_kind, author_name, channel, body_text, created_at)
    SELECT c.id, p.kind, p.kind = 'note', p.author, CASE p.author WHEN 'customer' THEN 'Customer' ELSE 'Agent' END,
      c.channel, replace(replace(replace(replace(
        CASE p.kind
          WHEN 'note' THEN bench_pick(v.notes, bench_h(s.m, 21)) || ' ' || bench_skewed(v.customer, bench_h(s.m, 22))
          WHEN 'reply' THEN CASE p.author
            WHEN 'customer' THEN bench_pick(v.greetings, bench_h(s.m, 23)) || E'\n\n' || bench_skewed(v.customer, bench_h(s.m, 24))
              || ' ' || bench_pick(v.customer, bench_h(s.m, 25))
              || CASE WHEN bench_h(s.m, 26) % 2 = 0 THEN ' ' || bench_pick(v.customer, bench_h(s.m, 27)) ELSE '' END
              || E'\n\n' || bench_pick(v.closings, bench_h(s.m, 28))
            ELSE bench_pick(v.greetings, bench_h(s.m, 29)) || E'\n\n' || bench_pick(v.staff, bench_h(s.m, 30)) || ' '
              || bench_pick(v.staff, bench_h(s.m, 31)) || E'\n\n' || bench_pick(v.closings, bench_h(s.m, 32)) END
        END,
        '{place}', bench_pick(v.places, bench_h(s.m, 33))), '{model}', bench_pick(v.models, bench_h(s.m, 34))),
        '{km}', (1000 + bench_h(s.m, 35) % 120000)::text), '{ref}', 'A-' || lpad((bench_h(s.m, 36) % 100000)::text, 5, '0')),
      least(now(), c.created_at + (s.j - 1) * bench_gap(s.i))
    FROM (SELECT i, j, bench_first(i) + j AS m FROM generate_series(${from}::int, ${to}::int) AS i
      CROSS JOIN LATERAL generate_series(1, bench_k(i)) AS j) AS s
    JOIN cases c ON c.id = ${caseId(sql`s.i`)}
    -- One message in ten is written in the case's other language.
    JOIN bench_vocabulary v ON v.language = CASE WHEN bench_h(s.m, 38) % 10 = 0
      THEN (CASE c.language WHEN 'de' THEN 'en' ELSE 'de' END) ELSE c.language END
    CROSS JOIN LATERAL (SELECT CASE WHEN s.j > 1 AND bench_h(s.m, 39) % 10 = 0 THEN 'note' ELSE 'reply' END AS kind,
      CASE WHEN s.j = 1 OR bench_h(s.m, 39) % 10 >= 5 THEN 'customer' ELSE 'staff' END AS author) p0
    CROSS JOIN LATERAL (SELECT p0.kind, CASE WHEN p0.kind = 'note' THEN 'staff' ELSE p0.author END AS author) p
    ORDER BY s.i, s.j
  `.execute(db);
}

/** Runs `work` over cases [1, total] in slices on PARALLEL connections. */
async function inSlices(
  total: number,
  work: (from: number, to: number) => Promise<void>,
  progress: () => void,
) {
  let next = 1;
  const worker = async () => {
    while (next <= total) {
      const from = next;
      const to = Math.min(total, from + SLICE - 1);
      next = to + 1;
      await work(from, to);
      progress();
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
}

export async function seedCases(
  db: Db,
  options: { cases: number; messages: number; log: (line: string) => void },
): Promise<CaseSeedSummary> {
  const { cases, messages, log } = options;
  const perCase = messages / cases;
  if (!Number.isInteger(perCase) || perCase < 1) {
    throw new Error(`messages (${messages}) must be a whole multiple of cases (${cases})`);
  }
  const startedAt = performance.now();
  await createHelpers(db, cases, perCase);
  // One index build after the load is several times faster than a million GIN insertions.
  const index = await sql<{ definition: string }>`
    SELECT pg_get_indexdef('case_messages_search'::regclass) AS definition`.execute(db);
  const definition = index.rows[0]?.definition;
  if (!definition) throw new Error('index case_messages_search not found');
  await sql`DROP INDEX case_messages_search`.execute(db);
  // Autovacuum would scan the tables while they fill; VACUUM ANALYZE runs once at the end.
  await sql`ALTER TABLE cases SET (autovacuum_enabled = false);
    ALTER TABLE case_messages SET (autovacuum_enabled = false)`.execute(db);
  let slices = 0;
  const total = Math.ceil(cases / SLICE);
  await inSlices(
    cases,
    async (from, to) => {
      await insertCases(db, from, to);
      await insertMessages(db, from, to);
    },
    () => {
      slices++;
      if (slices % 4 === 0 || slices === total)
        log(`cases and messages: ${Math.min(cases, slices * SLICE)} of ${cases}`);
    },
  );
  log('building the search index…');
  await db.connection().execute(async (connection) => {
    await sql`SET maintenance_work_mem = '512MB'`.execute(connection);
    await sql.raw(definition).execute(connection);
  });
  await sql`
    DROP TABLE bench_vocabulary, bench_case_customers, bench_case_staff;
    DROP FUNCTION bench_h, bench_pick, bench_skewed, bench_k, bench_first, bench_d, bench_opened, bench_gap;
  `.execute(db);
  await sql`ALTER TABLE cases RESET (autovacuum_enabled);
    ALTER TABLE case_messages RESET (autovacuum_enabled)`.execute(db);
  await sql`VACUUM (ANALYZE) cases, case_messages`.execute(db);
  return { cases, messages, ms: Math.round(performance.now() - startedAt) };
}
