import { type Kysely, type Migration, sql } from 'kysely';

/** The stemmed subject, exactly as search.sql.ts writes it, so the planner matches the index. */
export const SUBJECT_VECTOR_SQL = `(to_tsvector('german', subject) || to_tsvector('english', subject))`;

export const caseSearchMigrations: Record<string, Migration> = {
  '20261125_49_cases_search_indexes': {
    async up(db: Kysely<unknown>) {
      await sql`
        -- Subjects are searched with the same German and English stems as messages.
        CREATE INDEX IF NOT EXISTS cases_subject_search ON cases USING gin (${sql.raw(SUBJECT_VECTOR_SQL)});
        -- Words that occur in thousands of messages are looked for newest first along this
        -- index (stopping once enough are found) instead of reading every match from the GIN index.
        CREATE INDEX IF NOT EXISTS case_messages_created ON case_messages (created_at);
      `.execute(db);
    },
  },
};
