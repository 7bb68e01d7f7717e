// tiny psql: npx tsx psql.ts "SQL"
import pg from 'pg';
const url = process.env.URL ?? 'postgres://pitwall@127.0.0.1:55700/pitwall_proto';
const c = new pg.Client({ connectionString: url });
await c.connect();
const t = performance.now();
try {
  const r = await c.query(process.argv[2] ?? '');
  const results = Array.isArray(r) ? r : [r];
  for (const x of results) if (x.rows?.length) console.table(x.rows.slice(0, 60));
  else if (x.rows) console.log(`(${x.command} ${x.rowCount})`);
} catch (e) { console.error('ERROR', (e as Error).message); }
console.error(`${(performance.now() - t).toFixed(1)} ms`);
await c.end();
