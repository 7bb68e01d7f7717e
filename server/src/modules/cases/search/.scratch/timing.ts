import pg from 'pg';
import { readFileSync } from 'node:fs';
import { caseSearchTerms } from '../../../../../../bench/cases-vocabulary.js';
const sqlText = readFileSync(process.argv[2]!, 'utf8');
const markets = (process.env.MARKETS ?? 'DE,AT,CH').split(',');
const c = new pg.Client({ connectionString: 'postgres://pitwall@127.0.0.1:55700/pitwall_proto' });
await c.connect();
for (const s of (process.env.SETTINGS ?? '').split(';').filter(Boolean)) await c.query(s);
const rows: [string, number, number][] = [];
for (const t of caseSearchTerms) {
  let best = Infinity; let n = 0;
  for (let k = 0; k < 3; k++) {
    const t0 = performance.now();
    const r = await c.query(sqlText, [t, markets, Number(process.env.CAP ?? 200)]);
    best = Math.min(best, performance.now() - t0); n = r.rowCount ?? 0;
  }
  rows.push([t, best, n]);
}
rows.sort((a, b) => b[1] - a[1]);
console.log(rows.slice(0, 12).map(([t, ms, n]) => `${t.padEnd(24)} ${ms.toFixed(1).padStart(7)} ms ${n}`).join('\n'));
const all = rows.map((r) => r[1]).sort((a, b) => a - b);
console.log('median', all[Math.floor(all.length / 2)]!.toFixed(1), 'p90', all[Math.floor(all.length * 0.9)]!.toFixed(1), 'mean', (all.reduce((a, b) => a + b, 0) / all.length).toFixed(1));
await c.end();
