import pg from 'pg';
import { caseSearchTerms } from '../../../../../../bench/cases-vocabulary.js';
const c = new pg.Client({ connectionString: 'postgres://pitwall@127.0.0.1:55700/pitwall_proto' });
await c.connect();
await c.query("SET work_mem = '64MB'");
const out: string[] = [];
for (const t of caseSearchTerms) {
  const r = await c.query(`SELECT count(*) n, count(*) FILTER (WHERE c.market IN ('DE','AT','CH')) dach FROM case_messages m JOIN cases c ON c.id = m.case_id WHERE m.search_vector @@ (websearch_to_tsquery('german', $1) || websearch_to_tsquery('english', $1))`, [t]);
  out.push(`${t.padEnd(24)} ${String(r.rows[0].n).padStart(7)} ${String(r.rows[0].dach).padStart(7)}`);
}
console.log(out.join('\n'));
await c.end();
