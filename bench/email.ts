// npm run bench:email — receiving mail end to end on the real server (`node --import tsx
// server/src/main.ts`, embedded PostgreSQL, its own data folder): 10,000 generated mails
// (20 % with attachments, 40 % replies in threads, German and English) over SMTP on
// loopback from several connections, until every one is stored, parsed, threaded and on a
// case; beside it the parse-only rate (mailparser, the job's own parse call) on the same
// mails; then the server's peak RSS while one 25 MB mail is received. Last line: JSON.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { parseMail } from '../server/src/modules/channels/email-in/index.js';
import { serverDir, stopServer } from '../server/src/modules/channels/email-in/testing/server.js';
import { createDb } from '../server/src/platform/database.js';
import { SmtpClient, toSmtpData } from './smtp-client.js';

const MAILS = Number(process.env.BENCH_MAILS ?? 10_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const WORKERS = process.env.BENCH_WORKERS ?? '8';
const RECONNECT = process.env.BENCH_SMTP_RECONNECT === '1';
/** Job worker processes beside the server's own (WORKER_PROCESSES); 0 runs the jobs in it. */
const WORKER_PROCESSES = process.env.BENCH_WORKER_PROCESSES ?? '1';
const note = (line: string) => process.stderr.write(`${line}\n`);
const CRLF = '\r\n';
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(24_000, 0x41), Buffer.from('\n%%EOF\n')]);

interface BenchMail {
  raw: Buffer;
  /** `raw` as DATA on the wire (`toSmtpData`), prepared before the clock starts. */
  data: Buffer;
  messageId: string;
  to: string;
  from: string;
  replyTo: number | null;
}

function generate(count: number): BenchMail[] {
  const mails: BenchMail[] = [];
  for (let n = 0; n < count; n++) {
    const german = n % 2 === 0;
    const sender = `kunde-${n % Math.max(1, Math.floor(count / 5))}@bench.test`;
    const originals = mails.filter((m, i) => m.replyTo === null && m.from === sender && i < n - 100);
    const reply =
      n % 5 < 2 && originals.length > 0 ? mails.indexOf(originals[originals.length - 1] as BenchMail) : null;
    const parent = reply === null ? null : (mails[reply] as BenchMail);
    const messageId = `<bench-${n}@bench.test>`;
    const to = german ? 'service-de@pitwall.test' : 'service-uk@pitwall.test';
    const subject = parent
      ? `Re: Fahrzeug ${reply}`
      : german
        ? `Fahrzeug ${n}: Ladeklappe öffnet nicht`
        : `Vehicle ${n}: charging stops at 80 %`;
    const text = german
      ? `Guten Tag,\r\n\r\nmeine Ladeklappe öffnet seit dem Update nicht mehr. Können Sie helfen?\r\n\r\nGrüße\r\nKunde ${n}`
      : `Hello,\r\n\r\ncharging stops at 80 % since the last update. Can you help?\r\n\r\nRegards\r\nCustomer ${n}`;
    const head = [
      `From: Kunde <${sender}>`,
      `To: ${to}`,
      `Subject: =?UTF-8?B?${Buffer.from(subject).toString('base64')}?=`,
      `Message-ID: ${messageId}`,
      'MIME-Version: 1.0',
      'Date: Mon, 23 Nov 2026 10:00:00 +0100',
      ...(parent ? [`In-Reply-To: ${parent.messageId}`, `References: ${parent.messageId}`] : []),
    ];
    const quoted = parent
      ? `\r\n\r\nAm Mo., 23. Nov. 2026 schrieb Service:\r\n> Danke für Ihre Nachricht.`
      : '';
    let raw: string;
    if (n % 5 === 4) {
      raw = `${head.join(CRLF)}${CRLF}Content-Type: multipart/mixed; boundary="b"${CRLF}${CRLF}--b${CRLF}Content-Type: text/plain; charset=utf-8${CRLF}Content-Transfer-Encoding: 8bit${CRLF}${CRLF}${text}${quoted}${CRLF}--b${CRLF}Content-Type: application/pdf; name="beleg-${n}.pdf"${CRLF}Content-Disposition: attachment; filename="beleg-${n}.pdf"${CRLF}Content-Transfer-Encoding: base64${CRLF}${CRLF}${Buffer.concat(
        [PDF, Buffer.from(String(n))],
      )
        .toString('base64')
        .replace(/.{76}/g, `$&${CRLF}`)}${CRLF}--b--${CRLF}`;
    } else {
      raw = `${head.join(CRLF)}${CRLF}Content-Type: text/plain; charset=utf-8${CRLF}Content-Transfer-Encoding: 8bit${CRLF}${CRLF}${text}${quoted}${CRLF}`;
    }
    const bytes = Buffer.from(raw);
    mails.push({ raw: bytes, data: toSmtpData(bytes), messageId, to, from: sender, replyTo: reply });
  }
  return mails;
}

/** CPU time (ms) of a process and its reaped children; with `children`, also of its live
 * children (PostgreSQL's backends under the postmaster; with `command`, only children of that
 * name, as the server's job worker processes are counted without its PostgreSQL). */
function cpuMs(pid: number, children = false, command?: string): number {
  let ticks = 0;
  for (const entry of children ? readdirSync('/proc') : [String(pid)]) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // After "pid (name) ": state, ppid, … utime, stime, cutime, cstime at 11–14.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(entry) !== pid && Number(fields[1]) !== pid) continue;
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    if (Number(entry) !== pid && command !== undefined && name !== command) continue;
    for (const index of [11, 12, 13, 14]) ticks += Number(fields[index] ?? 0);
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

function status(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  return Math.round(Number(line?.split(/\s+/)[1] ?? 0) / 1024);
}

async function main() {
  const mails = generate(MAILS);
  note(`generated ${mails.length} mails (${mails.filter((m) => m.replyTo !== null).length} replies)`);
  const dir = await serverDir(44_000 + Math.floor(Math.random() * 2_000));
  let server = await dir.start({
    WORKER_CONCURRENCY: WORKERS,
    WORKER_PROCESSES,
    ...(process.env.BENCH_PROFILE ? { BENCH_NODE_ARGS: '--cpu-prof --cpu-prof-dir=/tmp/pitwall-prof' } : {}),
    ...(process.env.BENCH_NODE_ARGS ? { BENCH_NODE_ARGS: process.env.BENCH_NODE_ARGS } : {}),
  });
  let pid = server.child.pid as number;
  let db = createDb(server.databaseUrl, { max: 4 });
  if (process.env.BENCH_STATEMENTS) {
    // Statement counts per mail (diagnosis): pg_stat_statements needs a restart to load.
    await sql`ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'`.execute(db);
    await sql`ALTER SYSTEM SET pg_stat_statements.track_planning = on`.execute(db);
    await db.destroy();
    await stopServer(server.child);
    server = await dir.start({ WORKER_CONCURRENCY: WORKERS, WORKER_PROCESSES });
    pid = server.child.pid as number;
    db = createDb(server.databaseUrl, { max: 4 });
    await sql`CREATE EXTENSION IF NOT EXISTS pg_stat_statements`.execute(db);
    await sql`SELECT pg_stat_statements_reset()`.execute(db);
  }
  const dbStats = async () =>
    (
      await sql<{ commits: string; wal_sync: string }>`SELECT
        (SELECT sum(xact_commit) FROM pg_stat_database) AS commits,
        (SELECT wal_sync FROM pg_stat_wal) AS wal_sync`.execute(db)
    ).rows[0] as { commits: string; wal_sync: string };
  // Mails still waiting, counted from the status index (counting the processed ones read the
  // whole table every 100 ms: 0.25 ms of PostgreSQL's CPU per mail taken from the server).
  const waiting = async () =>
    Number(
      (
        await sql<{ n: string }>`SELECT count(*) AS n FROM inbound_emails WHERE status = 'received'`.execute(
          db,
        )
      ).rows[0]?.n,
    );
  try {
    const smtp = { host: '127.0.0.1', port: server.smtpPort };
    note(`sending over ${CONNECTIONS} connections; server WORKER_CONCURRENCY=${WORKERS}`);
    const postmaster = Number(
      readFileSync(path.join(dir.dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    const cpuBefore = {
      server: cpuMs(pid, true, 'node'),
      receiver: cpuMs(pid),
      postgres: cpuMs(postmaster, true),
      bench: process.cpuUsage(),
    };
    const statsBefore = await dbStats();
    const loadStart = os.loadavg()[0] as number;
    const started = performance.now();
    let next = 0;
    // Each client keeps its SMTP connection for all its mails, as an MTA delivering a queue to
    // one destination does (Postfix's connection cache); BENCH_SMTP_RECONNECT=1 opens a new
    // connection per mail (banner, EHLO, QUIT each time), as the runs before 2026-12-05 did.
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        const kept = RECONNECT ? null : await SmtpClient.connect(smtp);
        for (let index = next++; index < mails.length; index = next++) {
          const m = mails[index] as BenchMail;
          const client = kept ?? (await SmtpClient.connect(smtp));
          await client.send({ from: m.from, to: [m.to] }, m.data);
          if (!kept) await client.quit();
        }
        await kept?.quit();
      }),
    );
    const acceptedMs = performance.now() - started;
    // Every mail was accepted (stored) before this point: none waiting means all processed.
    while ((await waiting()) > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    const e2eMs = performance.now() - started;
    const statsAfter = await dbStats();
    const perMail = (ms: number) => Number((ms / mails.length).toFixed(2));
    const cpu = {
      server: perMail(cpuMs(pid, true, 'node') - cpuBefore.server),
      receiver: perMail(cpuMs(pid) - cpuBefore.receiver),
      postgres: perMail(cpuMs(postmaster, true) - cpuBefore.postgres),
      bench: perMail(
        process.cpuUsage(cpuBefore.bench).user / 1000 + process.cpuUsage(cpuBefore.bench).system / 1000,
      ),
    };
    if (process.env.BENCH_STATEMENTS) {
      const all = await sql<{ calls: string; ms: string; plan_ms: string }>`
        SELECT sum(calls) AS calls, round(sum(total_exec_time)::numeric, 0) AS ms,
          round(sum(total_plan_time)::numeric, 0) AS plan_ms FROM pg_stat_statements`.execute(db);
      const sums = all.rows[0] as { calls: string; ms: string; plan_ms: string };
      note(
        `all statements: ${(Number(sums.calls) / mails.length).toFixed(1)}/mail, executing ${(Number(sums.ms) / mails.length).toFixed(2)} ms/mail, planning ${(Number(sums.plan_ms) / mails.length).toFixed(2)} ms/mail`,
      );
      const top = await sql<{ calls: string; plans: string; ms: string; plan_ms: string; query: string }>`
        SELECT calls, plans, round(total_exec_time::numeric, 0) AS ms, round(total_plan_time::numeric, 0) AS plan_ms, left(regexp_replace(query, '[[:space:]]+', ' ', 'g'), 150) AS query
        FROM pg_stat_statements ORDER BY calls DESC LIMIT 60`.execute(db);
      for (const row of top.rows)
        note(
          `${(Number(row.calls) / mails.length).toFixed(2).padStart(6)}/mail ${row.ms.padStart(6)} ms ${row.plan_ms.padStart(5)} ms plan (${row.plans.padStart(5)} plans)  ${row.query}`,
        );
    }

    const rows = await db
      .selectFrom('case_messages')
      .select(['external_id', 'case_id'])
      .where('external_id', 'like', '<bench-%')
      .execute();
    const caseOf = new Map(rows.map((row) => [row.external_id, row.case_id]));
    const replies = mails.filter((m) => m.replyTo !== null);
    const threaded = replies.filter(
      (m) => caseOf.get(m.messageId) === caseOf.get((mails[m.replyTo as number] as BenchMail).messageId),
    ).length;

    const parseStarted = performance.now();
    for (const m of mails) await parseMail(m.raw);
    const parseMs = performance.now() - parseStarted;

    // Peak RSS of the server while one 25 MB mail arrives (VmHWM reset first: clear_refs 5).
    const big = `From: big@bench.test${CRLF}To: service-de@pitwall.test${CRLF}Subject: 25 MB${CRLF}Message-ID: <bench-big@bench.test>${CRLF}MIME-Version: 1.0${CRLF}Content-Type: multipart/mixed; boundary="b"${CRLF}${CRLF}--b${CRLF}Content-Type: text/plain${CRLF}${CRLF}large${CRLF}--b${CRLF}Content-Type: application/octet-stream; name="big.bin"${CRLF}Content-Transfer-Encoding: base64${CRLF}${CRLF}${Buffer.alloc(18_700_000, 9).toString('base64').replace(/.{76}/g, `$&${CRLF}`)}${CRLF}--b--${CRLF}`;
    const bigRaw = Buffer.from(big);
    const bigData = toSmtpData(bigRaw);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const rssBefore = status(pid, 'VmRSS');
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    const client = await SmtpClient.connect(smtp);
    await client.send({ from: 'big@bench.test', to: ['service-de@pitwall.test'] }, bigData);
    const peakReceive = status(pid, 'VmHWM');
    await client.quit();
    while ((await waiting()) > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    const peakProcessing = status(pid, 'VmHWM');

    const result = {
      mails: mails.length,
      replies: replies.length,
      with_attachments: mails.filter((_, n) => n % 5 === 4).length,
      connections: CONNECTIONS,
      smtp_connection_per_mail: RECONNECT,
      worker_concurrency: Number(WORKERS),
      worker_processes: Number(WORKER_PROCESSES),
      mails_per_s: Math.round((mails.length / e2eMs) * 1000),
      smtp_accepted_mails_per_s: Math.round((mails.length / acceptedMs) * 1000),
      parse_only_mails_per_s: Math.round((mails.length / parseMs) * 1000),
      e2e_to_parse_ratio: Number((parseMs / e2eMs).toFixed(3)),
      threaded_replies: threaded,
      threaded_ratio: Number((threaded / Math.max(1, replies.length)).toFixed(3)),
      big_mail_mb: Number((bigRaw.length / 1024 / 1024).toFixed(1)),
      rss_before_big_mail_mb: rssBefore,
      peak_rss_mb: peakReceive,
      peak_rss_processing_mb: peakProcessing,
      server_cpu_ms_per_mail: cpu.server,
      server_main_process_cpu_ms_per_mail: cpu.receiver,
      postgres_cpu_ms_per_mail: cpu.postgres,
      smtp_client_cpu_ms_per_mail: cpu.bench,
      db_commits_per_mail: Number(
        ((Number(statsAfter.commits) - Number(statsBefore.commits)) / mails.length).toFixed(1),
      ),
      wal_syncs_per_mail: Number(
        ((Number(statsAfter.wal_sync) - Number(statsBefore.wal_sync)) / mails.length).toFixed(2),
      ),
      cpus: os.cpus().length,
      load_avg_1m_start: Number(loadStart.toFixed(2)),
      load_avg_1m_end: Number((os.loadavg()[0] as number).toFixed(2)),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await db.destroy();
    await stopServer(server.child);
    await dir.remove();
  }
}

void main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
