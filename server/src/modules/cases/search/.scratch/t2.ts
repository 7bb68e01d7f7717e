import pg from 'pg';
const c = new pg.Client({ connectionString: 'postgres://pitwall@127.0.0.1:55700/pitwall_proto' });
await c.connect();
for (const s of (process.env.SETTINGS ?? '').split(';').filter(Boolean)) await c.query(s);
const q = process.argv[2]!;
const params = JSON.parse(process.argv[3] ?? '[]');
let best = Infinity; let r: pg.QueryResult | undefined;
for (let k = 0; k < 5; k++) { const t0 = performance.now(); r = await c.query(q, params); best = Math.min(best, performance.now() - t0); }
console.log(best.toFixed(1), 'ms', JSON.stringify(r!.rows.slice(0, 3)));
await c.end();
