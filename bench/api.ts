// `npm run bench:api`: times cold and warm start of `node server/dist/main.js`, then seeds
// 100,000 customers into a database of its own, builds the real app in-process and drives
// customer search and the customer 360 with autocannon, each next to a bare Fastify route
// running the one indexed statement it is built around (baseline.ts). Ends with one line of JSON holding every figure.
import os from 'node:os';
import { DEFAULT_SEED, DEMO_PASSWORD, demoStaff } from '../server/src/demo/index.js';
import { selectedScenario, setting, startBenchApp } from './app.js';
import { startBaseline } from './baseline.js';
import { prepareDatabase, sampleCustomerIds } from './database.js';
import { cycle, type LoadResult, loginCookie, runLoad } from './load.js';
import { searchTerms } from './search-terms.js';
import { measureStartup } from './startup.js';

const CUSTOMERS = setting('BENCH_CUSTOMERS', 100_000);
const CONNECTIONS = setting('BENCH_CONNECTIONS', 32);
const DURATION_S = setting('BENCH_DURATION', 10);
const WARMUP_S = setting('BENCH_WARMUP', 2);
const SERIAL = process.env.BENCH_SERIAL !== '0';
const LOAD_AT_START = os.loadavg()[0] ?? 0;
const SKIP_STARTUP = process.env.BENCH_SKIP_STARTUP === '1';

const note = (line: string) => process.stderr.write(`${line}\n`);
const settle = () => new Promise((resolve) => setTimeout(resolve, 1_500));

interface Scenario {
  name: string;
  url: string;
  nextPath: () => string;
  cookie?: string;
  /** One connection, one request at a time: the latency of an idle server. */
  serial?: boolean;
}

function emailOf(role: string, markets?: string): string {
  const member = demoStaff.find((m) => m.role === role && (!markets || m.markets.join() === markets));
  if (!member) throw new Error(`no demo ${role}`);
  return member.email;
}

async function runScenarios(
  scenarios: Scenario[],
  postmasterPid: number | null,
): Promise<Record<string, LoadResult>> {
  const results: Record<string, LoadResult> = {};
  for (const scenario of scenarios) {
    if (!selectedScenario(scenario.name)) continue;
    const load = (durationSeconds: number) =>
      runLoad({
        url: scenario.url,
        nextPath: scenario.nextPath,
        headers: scenario.cookie ? { cookie: scenario.cookie } : {},
        connections: scenario.serial ? 1 : CONNECTIONS,
        postmasterPid,
        durationSeconds,
      });
    if (WARMUP_S > 0) await load(WARMUP_S);
    await settle();
    const result = await load(DURATION_S);
    // autocannon stops its clients mid-request; let the server finish those requests
    // so they neither count against the next scenario nor meet a closed pool.
    await settle();
    results[scenario.name] = result;
    note(
      `${scenario.name.padEnd(14)} p50 ${result.p50} ms  p95 ${result.p95} ms  p99 ${result.p99} ms  ` +
        `${result.rps} req/s  (${result.requests} requests, ${result.non2xx} non-2xx, ${result.errors} errors; ` +
        `CPU per request: node ${result.nodeCpuMs} ms, PostgreSQL ${result.postgresCpuMs ?? '?'} ms)`,
    );
  }
  return results;
}

async function benchApi() {
  const database = await prepareDatabase({ customers: CUSTOMERS, seed: DEFAULT_SEED });
  const served = await startBenchApp(database);
  const appUrl = served.url;
  const baseline = await startBaseline(database.url);
  try {
    const admin = await loginCookie(appUrl, emailOf('admin'), DEMO_PASSWORD);
    const agent = await loginCookie(appUrl, emailOf('agent', 'DE,AT,CH'), DEMO_PASSWORD);
    const allIds = await sampleCustomerIds(database.db, null, 5_000);
    const dachIds = await sampleCustomerIds(database.db, ['DE', 'AT', 'CH'], 5_000);
    const terms = searchTerms(DEFAULT_SEED, 5_000).map((term) => encodeURIComponent(term));
    const nextTerm = cycle(terms);
    const nextTermForAgent = cycle(terms);
    const nextId = cycle(allIds);
    const nextBaselineId = cycle(allIds);
    const nextBaselineTerm = cycle(terms);
    const nextBaseline360Id = cycle(allIds);
    const nextDachId = cycle(dachIds);
    const baselinePath = () => `/baseline/customers/${nextBaselineId()}`;
    const searchPath = () => `/api/customers?q=${nextTerm()}`;
    const c360Path = () => `/api/customers/${nextId()}`;
    const results = await runScenarios(
      [
        { name: 'baseline', url: baseline.url, nextPath: baselinePath },
        {
          name: 'baseline_search',
          url: baseline.url,
          nextPath: () => `/baseline/search?q=${nextBaselineTerm()}`,
        },
        {
          name: 'baseline_c360',
          url: baseline.url,
          nextPath: () => `/baseline/customers/${nextBaseline360Id()}/360`,
        },
        { name: 'search', url: appUrl, cookie: admin, nextPath: searchPath },
        {
          name: 'search_agent',
          url: appUrl,
          cookie: agent,
          nextPath: () => `/api/customers?q=${nextTermForAgent()}`,
        },
        { name: 'c360', url: appUrl, cookie: admin, nextPath: c360Path },
        { name: 'c360_agent', url: appUrl, cookie: agent, nextPath: () => `/api/customers/${nextDachId()}` },
        ...(SERIAL
          ? [
              { name: 'serial_baseline', url: baseline.url, nextPath: baselinePath, serial: true },
              { name: 'serial_search', url: appUrl, cookie: admin, nextPath: searchPath, serial: true },
              { name: 'serial_c360', url: appUrl, cookie: admin, nextPath: c360Path, serial: true },
            ]
          : []),
      ],
      database.postmasterPid,
    );
    return { results, seedMs: database.seedMs, customers: database.customers, vehicles: database.vehicles };
  } finally {
    await baseline.close();
    await served.close();
    await database.stop();
  }
}

async function main() {
  const startup = SKIP_STARTUP ? null : await measureStartup(note);
  const { results, ...data } = await benchApi();
  // Each scenario is measured against the bare statement it is built around (search against
  // baseline_search, the 360 against baseline_c360): the ratio is what Pitwall adds to it
  // (session, authorisation, scoping, validation, the extra columns, serialisation). Every
  // scenario is also shown against the primary-key baseline (`_pk_ratio`).
  const ownBaseline = (name: string) => {
    if (name.startsWith('serial_')) return results.serial_baseline?.p95;
    if (name.startsWith('search')) return results.baseline_search?.p95;
    if (name.startsWith('c360')) return results.baseline_c360?.p95;
    return results.baseline?.p95;
  };
  const pkBaseline = (name: string) =>
    (name.startsWith('serial_') ? results.serial_baseline?.p95 : results.baseline?.p95) ?? Number.NaN;
  const figures: Record<string, string | number | null> = {
    date: new Date().toISOString().slice(0, 10),
    cpus: os.cpus().length,
    cpu_model: os.cpus()[0]?.model ?? 'unknown',
    node: process.version,
    load_avg_1m_start: Number(LOAD_AT_START.toFixed(2)),
    connections: CONNECTIONS,
    duration_s: DURATION_S,
    customers: data.customers,
    vehicles: data.vehicles,
    seed_ms: data.seedMs,
  };
  for (const [name, result] of Object.entries(results)) {
    figures[`${name}_p50_ms`] = result.p50;
    figures[`${name}_p95_ms`] = result.p95;
    figures[`${name}_p99_ms`] = result.p99;
    figures[`${name}_rps`] = result.rps;
    figures[`${name}_non2xx`] = result.non2xx + result.errors;
    figures[`${name}_node_cpu_ms`] = result.nodeCpuMs;
    figures[`${name}_pg_cpu_ms`] = result.postgresCpuMs;
    if (!name.includes('baseline')) {
      figures[`${name}_p95_ratio`] = Number((result.p95 / (ownBaseline(name) ?? Number.NaN)).toFixed(2));
      if (!name.startsWith('serial_')) {
        figures[`${name}_p95_pk_ratio`] = Number((result.p95 / pkBaseline(name)).toFixed(2));
      }
    }
  }
  figures.load_avg_1m_end = Number(os.loadavg()[0]?.toFixed(2));
  figures.cold_start_ms = startup?.coldMs ?? null;
  figures.warm_start_ms = startup?.warmMs ?? null;
  const failed = Object.entries(results).filter(([, r]) => r.non2xx + r.errors > 0);
  if (failed.length > 0) note(`WARNING: non-2xx answers or errors in ${failed.map(([n]) => n).join(', ')}`);
  process.stdout.write(`${JSON.stringify(figures)}\n`);
  process.exit(failed.length > 0 ? 1 : 0);
}

main().catch((error: unknown) => {
  note(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
