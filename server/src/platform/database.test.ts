// Statements sent often run as named prepared statements (parsed once per connection), and a
// prepared `SELECT *` whose table changed under it heals after one refusal.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/database.js';
import { createDb, type Db, PREPARE_THRESHOLD } from './database.js';

let database: TestDatabase;
let db: Db;

beforeAll(async () => {
  database = await createTestDatabase();
  // One connection, so every statement below meets the same prepared statements.
  db = createDb(database.url, { max: 1 });
  await sql`CREATE TABLE prepared_probe (id int PRIMARY KEY, label text)`.execute(db);
  await sql`INSERT INTO prepared_probe VALUES (1, 'one'), (2, 'two')`.execute(db);
});
afterAll(async () => {
  await db.destroy();
  await database.drop();
});

const preparedTexts = async () =>
  (await sql<{ statement: string }>`SELECT statement FROM pg_prepared_statements`.execute(db)).rows.map(
    (row) => row.statement,
  );

describe('prepared statements', () => {
  it('prepares a statement with parameters once its text was sent PREPARE_THRESHOLD times', async () => {
    const byId = (id: number) =>
      db
        .selectFrom('prepared_probe' as never)
        .selectAll()
        .where('id' as never, '=', id as never);
    const text = byId(1).compile().sql;
    for (let n = 1; n < PREPARE_THRESHOLD; n++) await byId(1).execute();
    expect(await preparedTexts()).not.toContain(text);
    const rows = await byId(2).execute();
    expect(rows).toEqual([{ id: 2, label: 'two' }]);
    expect(await preparedTexts()).toContain(text);
    // Statements without parameters are never prepared (they may hold several commands).
    for (let n = 0; n < PREPARE_THRESHOLD + 1; n++) await sql`SELECT 1 AS one`.execute(db);
    expect(await preparedTexts()).not.toContain('SELECT 1 AS one');
  });

  it('after a column is added under a prepared SELECT *, fails once and then answers with the new column', async () => {
    const query = () =>
      sql<Record<string, unknown>>`SELECT * FROM prepared_probe WHERE id = ${1}`.execute(db);
    for (let n = 0; n < PREPARE_THRESHOLD + 1; n++) await query();
    await sql`ALTER TABLE prepared_probe ADD COLUMN note text DEFAULT 'added'`.execute(db);
    await expect(query()).rejects.toMatchObject({ code: '0A000' });
    const healed = await query();
    expect(healed.rows).toEqual([{ id: 1, label: 'one', note: 'added' }]);
  });
});
