import { prepareDatabase } from '../../../../../../bench/database.js';
import { seedCases } from '../../../../../../bench/cases-seed.js';
process.env.BENCH_DATABASE_URL = 'postgres://pitwall@127.0.0.1:55700/pitwall_proto';
const d = await prepareDatabase({ customers: Number(process.env.CUSTOMERS ?? 50000), seed: 20261125 });
const log = (l: string) => console.error(l);
const s = await seedCases(d.db, { cases: Number(process.env.CASES ?? 200000), messages: Number(process.env.MESSAGES ?? 1000000), log });
console.log(s, 'demo ms', d.seedMs);
await d.db.destroy();
