// `npm run bench:cases`: seeds demo customers and 200,000 cases with 1,000,000 German and
// English messages into a database of its own (cases-seed.ts), builds the real app
// in-process and drives the agent inbox, opening a case and case search with autocannon,
// each next to a bare Fastify route running the one indexed query it is built around
// (cases-baseline.ts). Ends with one line of JSON holding every figure.
import os from 'node:os';
import { DEFAULT_SEED, DEMO_PASSWORD, demoStaff } from '../server/src/demo/index.js';
import type { Db } from '../server/src/platform/database.js';
import { selectedScenario, setting, startBenchApp } from './app.js';
import { startCasesBaseline } from './cases-baseline.js';
import { seedCases } from './cases-seed.js';
import { caseSearchTerms } from './cases-vocabulary.js';
import { prepareDatabase } from './database.js';
import { cycle, type LoadResult, loginCookie, runLoad } from './load.js';

const CASES = setting('BENCH_CASES', 200_000);
const MESSAGES = setting('BENCH_MESSAGES', 1_000_000);
const CUSTOMERS = setting('BENCH_CUSTOMERS', 50_000);
const CONNECTIONS = setting('BENCH_CONNECTIONS', 16);
const DURATION_S = setting('BENCH_DURATION', 10);
const WARMUP_S = setting('BENCH_WARMUP', 2);
/** Search once more with one connection: the latency of an idle server, not of a saturated one. */
const SERIAL = process.env.BENCH_SERIAL !== '0';
/** Search p95 target on the reference machine (2 cores); inbox and case open: 2× their baseline. */
const SEARCH_P95_TARGET_MS = 150;
const RATIO_TARGET = 2;
const AGENT_MARKETS = ['DE', 'AT', 'CH'];

const note = (line: string) => process.stderr.write(`${line}\n`);
const settle = () => new Promise((resolve) => setTimeout(resolve, 1_500));

interface Scenario {
  name: string;
  url: string;
  nextPath: () => string;
  cookie?: string;
  connections?: number;
}

async function measure(scenario: Scenario, postmasterPid: number | null): Promise<LoadResult> {
  const load = (durationSeconds: number) =>
    runLoad({
      postmasterPid,
      url: scenario.url,
      nextPath: scenario.nextPath,
      headers: scenario.cookie ? { cookie: scenario.cookie } : {},
      connections: scenario.connections ?? CONNECTIONS,
      durationSeconds,
    });
  if (WARMUP_S > 0) await load(WARMUP_S);
  await settle();
  const result = await load(DURATION_S);
  // autocannon stops its clients mid-request; let the server finish those first.
  await settle();
  note(
    `${scenario.name.padEnd(19)} p50 ${result.p50} ms  p95 ${result.p95} ms  p99 ${result.p99} ms  ` +
      `${result.rps} req/s  (${result.requests} requests, ${result.non2xx} non-2xx, ${result.errors} errors; ` +
      `CPU per request: node ${result.nodeCpuMs} ms, PostgreSQL ${result.postgresCpuMs ?? '?'} ms)`,
  );
  return result;
}

async function sampleCaseIds(db: Db, count: number): Promise<string[]> {
  const rows = await db
    .selectFrom('cases')
    .select('id')
    .where('market', 'in', AGENT_MARKETS)
    .where('merged_into_id', 'is', null)
    .orderBy('id')
    .limit(count)
    .execute();
  return rows.map((row) => row.id);
}

function dachAgentEmail(): string {
  const agent = demoStaff.find((m) => m.role === 'agent' && m.markets.join() === AGENT_MARKETS.join());
  if (!agent) throw new Error('no demo agent for DE, AT and CH');
  return agent.email;
}

async function benchCases() {
  const database = await prepareDatabase({ customers: CUSTOMERS, seed: DEFAULT_SEED });
  note(`seeding ${CASES} cases with ${MESSAGES} messages…`);
  const seeded = await seedCases(database.db, { cases: CASES, messages: MESSAGES, log: note });
  note(`cases seeded in ${seeded.ms} ms (index build and VACUUM ANALYZE included)`);
  const served = await startBenchApp(database);
  const appUrl = served.url;
  const baseline = await startCasesBaseline(database.url);
  try {
    const agent = await loginCookie(appUrl, dachAgentEmail(), DEMO_PASSWORD);
    const caseIds = await sampleCaseIds(database.db, 5_000);
    const terms = caseSearchTerms.map((term) => encodeURIComponent(term));
    const [market, baselineMarket] = [cycle(AGENT_MARKETS), cycle(AGENT_MARKETS)];
    const [caseId, baselineCaseId] = [cycle(caseIds), cycle(caseIds)];
    const [term, baselineTerm] = [cycle(terms), cycle(terms)];
    const results: Record<string, LoadResult> = {};
    for (const scenario of [
      {
        name: 'inbox_baseline',
        url: baseline.url,
        nextPath: () => `/baseline/inbox?market=${baselineMarket()}`,
      },
      { name: 'inbox', url: appUrl, cookie: agent, nextPath: () => `/api/cases?view=all&market=${market()}` },
      {
        name: 'case_open_baseline',
        url: baseline.url,
        nextPath: () => `/baseline/cases/${baselineCaseId()}`,
      },
      { name: 'case_open', url: appUrl, cookie: agent, nextPath: () => `/api/cases/${caseId()}` },
      { name: 'search_baseline', url: baseline.url, nextPath: () => `/baseline/search?q=${baselineTerm()}` },
      { name: 'search', url: appUrl, cookie: agent, nextPath: () => `/api/cases/search?q=${term()}` },
      ...(SERIAL
        ? [
            {
              name: 'serial_search_baseline',
              url: baseline.url,
              connections: 1,
              nextPath: () => `/baseline/search?q=${baselineTerm()}`,
            },
            {
              name: 'serial_search',
              url: appUrl,
              cookie: agent,
              connections: 1,
              nextPath: () => `/api/cases/search?q=${term()}`,
            },
          ]
        : []),
    ] satisfies Scenario[]) {
      if (!selectedScenario(scenario.name)) continue;
      results[scenario.name] = await measure(scenario, database.postmasterPid);
    }
    return { results, seeded, customerSeedMs: database.seedMs };
  } finally {
    await baseline.close();
    await served.close();
    await database.stop();
  }
}

async function main() {
  const loadAtStart = os.loadavg()[0] ?? 0;
  const { results, seeded, customerSeedMs } = await benchCases();
  const figures: Record<string, string | number | boolean> = {
    date: new Date().toISOString().slice(0, 10),
    cpus: os.cpus().length,
    cpu_model: os.cpus()[0]?.model ?? 'unknown',
    node: process.version,
    load_avg_1m_start: Number(loadAtStart.toFixed(2)),
    connections: CONNECTIONS,
    duration_s: DURATION_S,
    cases: seeded.cases,
    messages: seeded.messages,
    customers: CUSTOMERS,
    seed_ms: customerSeedMs + seeded.ms,
    cases_seed_ms: seeded.ms,
  };
  const lines: string[] = [];
  for (const name of ['inbox', 'case_open', 'search', 'serial_search']) {
    const app = results[name];
    const bare = results[`${name}_baseline`];
    if (!app || !bare) continue;
    const ratio = Number((app.p95 / bare.p95).toFixed(2));
    Object.assign(figures, {
      [`${name}_p50_ms`]: app.p50,
      [`${name}_p95_ms`]: app.p95,
      [`${name}_p99_ms`]: app.p99,
      [`${name}_rps`]: app.rps,
      [`${name}_baseline_p50_ms`]: bare.p50,
      [`${name}_baseline_p95_ms`]: bare.p95,
      [`${name}_baseline_p99_ms`]: bare.p99,
      [`${name}_baseline_rps`]: bare.rps,
      [`${name}_p95_ratio`]: ratio,
      [`${name}_node_cpu_ms`]: app.nodeCpuMs,
      [`${name}_pg_cpu_ms`]: app.postgresCpuMs ?? -1,
      [`${name}_non2xx`]: app.non2xx + app.errors,
    });
    const target =
      name === 'search'
        ? `target p95 ≤ ${SEARCH_P95_TARGET_MS} ms: ${app.p95 <= SEARCH_P95_TARGET_MS ? 'met' : 'MISSED'}`
        : name === 'serial_search'
          ? 'one connection, no target'
          : `target ≤ ${RATIO_TARGET}× baseline: ${ratio <= RATIO_TARGET ? 'met' : 'MISSED'}`;
    lines.push(`${name.padEnd(10)} p95 ${app.p95} ms vs baseline ${bare.p95} ms = ${ratio}×  (${target})`);
  }
  figures.load_avg_1m_end = Number((os.loadavg()[0] ?? 0).toFixed(2));
  note(lines.join('\n'));
  const failed = Object.entries(results).filter(([, r]) => r.non2xx + r.errors > 0);
  if (failed.length > 0) note(`WARNING: non-2xx answers or errors in ${failed.map(([n]) => n).join(', ')}`);
  process.stdout.write(`${JSON.stringify(figures)}\n`);
  process.exit(failed.length > 0 ? 1 : 0);
}

main().catch((error: unknown) => {
  note(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
