// Drives one scenario with autocannon and measures every response's latency itself
// (autocannon's own summary has no p95).
import { readdirSync, readFileSync } from 'node:fs';
import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  /** A fresh path (with query string) per request, so caches cannot flatter the figures. */
  nextPath: () => string;
  headers?: Record<string, string>;
  connections: number;
  durationSeconds: number;
  /** The database's postmaster, to account PostgreSQL's CPU time per request. */
  postmasterPid: number | null;
}

export interface LoadResult {
  p50: number;
  p95: number;
  p99: number;
  rps: number;
  requests: number;
  non2xx: number;
  errors: number;
  /** CPU per request of this process (app and autocannon together) and of PostgreSQL. */
  nodeCpuMs: number;
  postgresCpuMs: number | null;
}

/** CPU time of one PostgreSQL cluster: its postmaster (whose children's time includes
 * exited backends) and its live backends. Linux /proc only; null elsewhere. */
function postgresCpuMs(postmasterPid: number | null): number | null {
  if (postmasterPid === null) return null;
  try {
    let ticks = 0;
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue;
      }
      // After "pid (name) ": state, ppid, … utime, stime, cutime, cstime at 11–14.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pid) !== postmasterPid && Number(fields[1]) !== postmasterPid) continue;
      for (const index of [11, 12, 13, 14]) ticks += Number(fields[index] ?? 0);
    }
    return ticks * 10; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  let non2xx = 0;
  const nodeBefore = process.cpuUsage();
  const postgresBefore = postgresCpuMs(options.postmasterPid);
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.durationSeconds,
        headers: options.headers,
        requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: options.nextPath() }) }],
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      if (statusCode < 200 || statusCode > 299) non2xx++;
    });
  });
  const node = process.cpuUsage(nodeBefore);
  const postgresAfter = postgresCpuMs(options.postmasterPid);
  const perRequest = (ms: number) => round(ms / Math.max(1, latencies.length), 3);
  const sorted = Float64Array.from(latencies).sort();
  return {
    p50: round(percentile(sorted, 0.5)),
    p95: round(percentile(sorted, 0.95)),
    p99: round(percentile(sorted, 0.99)),
    rps: round(latencies.length / options.durationSeconds, 1),
    requests: latencies.length,
    non2xx,
    errors: result.errors + result.timeouts,
    nodeCpuMs: perRequest((node.user + node.system) / 1000),
    postgresCpuMs:
      postgresBefore === null || postgresAfter === null ? null : perRequest(postgresAfter - postgresBefore),
  };
}

/** Signs in through the real login route and returns the session cookie. */
export async function loginCookie(baseUrl: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200)
    throw new Error(`login of ${email} failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers.getSetCookie().find((header) => header.startsWith('pw_session='));
  if (!cookie) throw new Error(`login of ${email} set no session cookie`);
  return cookie.split(';')[0] ?? '';
}

/** Cycles through a list, forever, from a starting point. */
export function cycle<T>(items: readonly T[]): () => T {
  if (items.length === 0) throw new Error('nothing to cycle through');
  let index = 0;
  return () => {
    const item = items[index % items.length] as T;
    index++;
    return item;
  };
}
