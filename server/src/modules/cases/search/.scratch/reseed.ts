import { sql } from 'kysely';
import { createDb } from '../../../../platform/database.js';
import { seedCases } from '../../../../../../bench/cases-seed.js';
const db = createDb('postgres://pitwall@127.0.0.1:55700/pitwall_proto', { max: 4 });
await sql`DROP TABLE IF EXISTS bench_vocabulary, bench_case_customers, bench_case_staff; TRUNCATE case_messages, cases, case_sla CASCADE`.execute(db);
const s = await seedCases(db, { cases: Number(process.env.CASES ?? 200000), messages: Number(process.env.MESSAGES ?? 1000000), log: (l) => console.error(l) });
console.log(s);
await db.destroy();
