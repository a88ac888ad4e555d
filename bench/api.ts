/**
 * `npm run bench:api`: an authenticated, audited patient read (`GET /api/v1/patients/:id`) under
 * concurrent load, against a bare `node:http` server answering the same bytes from memory, on the same
 * machine in the same run. See bench/README.md. The last line printed is one JSON object.
 *
 *   npm run bench:api -- [--duration 10] [--warmup 2] [--concurrency 100] [--patients 2000]
 *                        [--audit-samples 300] [--log-level info] [--think-ms 1000] [--profile <dir>]
 *
 * PGlite in a temporary folder by default; PostgreSQL when DATABASE_URL is set (use a database kept for
 * benchmarks: the run leaves its cooperation, patients and audit events there, since audit events
 * cannot be deleted). Every target is 127.0.0.1.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { permissionsOf, type Role } from '../apps/server/src/core/access.ts';
import { appendAudit, auditFrom } from '../apps/server/src/core/audit.ts';
import { AuditBatcher } from '../apps/server/src/core/audit-batch.ts';
import type { RequestContext } from '../apps/server/src/core/context.ts';
import { runInCooperation } from '../apps/server/src/core/db/cooperation-scope.ts';
import { openDatabase, sql, type Database } from '../apps/server/src/core/db/index.ts';
import { migrate } from '../apps/server/src/core/db/migrator.ts';
import { randomIds } from '../apps/server/src/core/ids.ts';
import { SESSION_COOKIE } from '../apps/server/src/core/http/auth-plugin.ts';
import { hashPassword } from '../apps/server/src/modules/identity/index.ts';
import { createSession } from '../apps/server/src/modules/identity/sessions.ts';
import { patientSearchText } from '../apps/server/src/modules/patients/index.ts';
import * as patientsRepository from '../apps/server/src/modules/patients/patients.repository.ts';
import { getPatient } from '../apps/server/src/modules/patients/patients.service.ts';
import { freePort, loginOverHttp, startServer } from '../apps/server/test/support/server-process.ts';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '100' },
    patients: { type: 'string', default: '2000' },
    /** Nurses signed in, each with a session of her own; client c uses session c mod users. */
    users: { type: 'string' },
    'audit-samples': { type: 'string', default: '300' },
    'log-level': { type: 'string', default: 'info' },
    /** Second phase: the same clients as users pausing between reads (exponential, this mean); 0 skips it. */
    'think-ms': { type: 'string', default: '1000' },
    /** Write a V8 CPU profile of the server to this folder (open it in Chrome DevTools). */
    profile: { type: 'string' },
  },
});
const positive = (name: string, value: string | undefined, max: number) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > max) throw new Error(`--${name} must be a number in (0, ${max}]`);
  return n;
};
const DURATION_S = positive('duration', args.duration, 120);
const WARMUP_S = positive('warmup', args.warmup, 60);
const CONCURRENCY = Math.round(positive('concurrency', args.concurrency, 1000));
const PATIENTS = Math.round(positive('patients', args.patients, 100_000));
const USERS = Math.round(positive('users', args.users ?? String(CONCURRENCY), 10_000));
const AUDIT_SAMPLES = Math.round(positive('audit-samples', args['audit-samples'], 10_000));
const LOG_LEVEL = args['log-level']!;
const THINK_MS = args['think-ms'] === '0' ? 0 : positive('think-ms', args['think-ms'], 60_000);
const PASSWORD = 'Bench-Password-42!';
const HOST = '127.0.0.1';

const databaseUrl = process.env.DATABASE_URL;
const dbKind = databaseUrl ? 'postgres' : 'pglite';
const dataDir = databaseUrl ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'passerelle-bench-'));
const openDb = () => (databaseUrl ? openDatabase({ databaseUrl, poolSize: 4 }) : openDatabase({ dataDir: dataDir! }));

const say = (line: string) => console.log(line);

// --- data ---------------------------------------------------------------------------------------------

const BIRTH_NAMES = [
  'MARTIN',
  'BERNARD',
  'DUBOIS',
  'THOMAS',
  'ROBERT',
  'RICHARD',
  'PETIT',
  'DURAND',
  'LEROY',
  'MOREAU',
];
const FIRST_NAMES = ['Camille', 'Louise', 'Jeanne', 'Hugo', 'Jules', 'Lucien', 'Marthe', 'Paul', 'Odette', 'Henri'];

interface Prepared {
  cooperationId: string;
  establishmentId: string;
  userId: string;
  username: string;
  /** Session cookies of the other USERS - 1 nurses (the first signs in over HTTP). */
  otherCookies: string[];
  patientIds: string[];
}

/**
 * A cooperation, an establishment, USERS nurses and PATIENTS patients in their care, inserted directly. The
 * first nurse signs in over HTTP when the server is up; the others' sessions are created here by the function
 * the sign-in uses (the sign-in route allows 20 attempts a minute per address).
 */
async function prepare(database: Database): Promise<Prepared> {
  const db = database.db;
  const cooperationId = randomUUID();
  const establishmentId = randomUUID();
  const userId = randomUUID();
  const username = `bench-${cooperationId.slice(0, 8)}`;
  const passwordHash = await hashPassword(PASSWORD);
  await db
    .insertInto('cooperations')
    .values({ id: cooperationId, slug: username, name: 'Bench cooperation' })
    .execute();
  await db
    .insertInto('establishments')
    .values({
      id: establishmentId,
      cooperation_id: cooperationId,
      name: 'Centre de banc d’essai',
      short_name: 'Banc',
      finess: `69${String(Math.floor(Math.random() * 10_000_000)).padStart(7, '0')}`,
      legal_status: 'cancer_centre',
      cooperation_role: 'member',
    })
    .execute();
  await db
    .insertInto('users')
    .values({
      id: userId,
      cooperation_id: cooperationId,
      username,
      display_name: 'Bench nurse',
      password_hash: passwordHash,
    })
    .execute();
  const otherIds = Array.from({ length: USERS - 1 }, () => randomUUID());
  if (otherIds.length > 0) {
    await db
      .insertInto('users')
      .values(
        otherIds.map((id, k) => ({
          id,
          cooperation_id: cooperationId,
          username: `${username}-${k + 2}`,
          display_name: `Bench nurse ${k + 2}`,
          password_hash: passwordHash,
        })),
      )
      .execute();
  }
  await db
    .insertInto('memberships')
    .values(
      [userId, ...otherIds].map((id) => ({
        id: randomUUID(),
        cooperation_id: cooperationId,
        user_id: id,
        establishment_id: establishmentId,
        role: 'nurse' as const,
        unit_id: null,
      })),
    )
    .execute();
  const otherCookies: string[] = [];
  for (const id of otherIds) {
    const session = await createSession(db, {
      cooperationId,
      userId: id,
      establishmentId,
      stage: 'active',
      authMethod: 'password',
      now: new Date(),
      ttlMinutes: 720,
      ip: HOST,
      userAgent: 'bench',
    });
    otherCookies.push(`${SESSION_COOKIE}=${session.cookieValue}`);
  }
  const patientIds: string[] = [];
  for (let start = 0; start < PATIENTS; start += 500) {
    const batch = Array.from({ length: Math.min(500, PATIENTS - start) }, (_, k) => {
      const i = start + k;
      const birthName = `${BIRTH_NAMES[i % BIRTH_NAMES.length]}${i}`;
      const firstNames = FIRST_NAMES[(i * 7) % FIRST_NAMES.length]!;
      return {
        id: randomUUID(),
        cooperation_id: cooperationId,
        birth_name: birthName,
        used_name: null,
        first_names: firstNames,
        birth_date: `19${String(30 + (i % 60)).padStart(2, '0')}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
        sex: i % 2 ? 'F' : 'M',
        ins: null,
        ins_type: null,
        identity_status: 'provisional',
        search_text: patientSearchText({ birthName, firstNames }),
      } as const;
    });
    await db.insertInto('patients').values(batch).execute();
    await db
      .insertInto('care_relationships')
      .values(
        batch.map((p) => ({
          id: randomUUID(),
          cooperation_id: cooperationId,
          patient_id: p.id,
          establishment_id: establishmentId,
          starts_on: '2020-01-01',
        })),
      )
      .execute();
    patientIds.push(...batch.map((p) => p.id));
  }
  return { cooperationId, establishmentId, userId, username, otherCookies, patientIds };
}

// --- the cost of an audit write, measured in-process and uncontended -----------------------------------

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

async function timeEach(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn(i);
    out.push(performance.now() - t0);
  }
  return out;
}

/**
 * Three ways to do the same read, one at a time: the read statement alone, the service's audited read (the
 * same statement with the audit append as a CTE), and the audit append alone in its own transaction.
 */
async function measureAuditCost(database: Database, p: Prepared) {
  const roles: Role[] = ['nurse'];
  const ctx = (): RequestContext => ({
    actor: {
      kind: 'session',
      userId: p.userId,
      username: p.username,
      cooperationId: p.cooperationId,
      establishmentId: p.establishmentId,
      roles,
      permissions: permissionsOf(roles),
      unitIds: null,
      sessionId: null,
      tokenId: null,
    },
    requestId: randomUUID(),
    ip: HOST,
    now: new Date(),
  });
  const db = database.db;
  const pick = (i: number) => p.patientIds[(i * 7919) % p.patientIds.length]!;
  // Inside the cooperation's row-level security scope, as an authenticated request runs.
  const scoped =
    <T>(fn: (i: number) => Promise<T>) =>
    (i: number) =>
      runInCooperation(p.cooperationId, () => fn(i));
  // The patient page's read (one statement), without its audit event.
  const readOnly = scoped(async (i: number) => {
    const row = await patientsRepository.findVisiblePatientDetail(db, ctx(), pick(i));
    if (!row) throw new Error('bench patient not visible');
  });
  // The service's read: the same statement, then its patient.read event through the group commit (alone here).
  const auditBatcher = new AuditBatcher(db);
  const audited = scoped((i: number) => getPatient({ db, ids: randomIds, auditBatcher }, ctx(), pick(i)));
  // The append alone, in a transaction of its own.
  const auditOnly = scoped((i: number) =>
    db
      .transaction()
      .execute((trx) =>
        appendAudit(
          trx,
          auditFrom(ctx(), 'patient.read', { patientId: pick(i), resourceType: 'patient', resourceId: pick(i) }),
        ),
      ),
  );
  await timeEach(30, readOnly);
  await timeEach(30, audited);
  await timeEach(30, auditOnly);
  const n = AUDIT_SAMPLES;
  return {
    readMs: mean(await timeEach(n, readOnly)),
    readAuditedMs: mean(await timeEach(n, audited)),
    auditWriteMs: mean(await timeEach(n, auditOnly)),
  };
}

// --- load generator ------------------------------------------------------------------------------------

/**
 * CPU time used so far, in ms, by process: the server, PostgreSQL's processes together and this bench (the
 * load generator). Read from /proc (Linux); null elsewhere.
 */
type CpuSample = { server: number; postgres: number; bench: number } | null;

const TICK_MS = 10; // USER_HZ is 100 on Linux

function processCpuMs(pid: number | string): { comm: string; ms: number } | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    // After the command: state is field 3, utime and stime are fields 14 and 15 (1-based over the whole line).
    return { comm: stat.slice(stat.indexOf('(') + 1, close), ms: (Number(fields[11]) + Number(fields[12])) * TICK_MS };
  } catch {
    return null;
  }
}

function cpuSampler(serverPid: number | undefined): () => CpuSample {
  return () => {
    if (!serverPid || !fs.existsSync('/proc/self/stat')) return null;
    let postgres = 0;
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const p = processCpuMs(entry);
      if (p && p.comm === 'postgres') postgres += p.ms;
    }
    const usage = process.cpuUsage();
    return {
      server: processCpuMs(serverPid)?.ms ?? 0,
      postgres,
      bench: (usage.user + usage.system) / 1000,
    };
  };
}

interface LoadResult {
  /** CPU ms per answer in the measured window, by process; null where /proc is not available. */
  cpuPerAnswer: { server: number; postgres: number; bench: number } | null;
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  /** The longest time with no answer at all: a stall of the whole server, not one slow request. */
  longestGap: number;
  errorSample: string | undefined;
}

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/**
 * One keep-alive HTTP/1.1 connection sending GET requests one at a time and reading each answer just far
 * enough to know it is complete (status line, Content-Length or chunked body). It shares the machine with the
 * server it measures, so it does the least work a client can: node:http's client cost about a fifth of the
 * server's own CPU per request, which throttled the server it was meant to measure.
 */
class RawHttpConnection {
  readonly #socket: net.Socket;
  readonly #head: string;
  #buffer: Buffer = Buffer.alloc(0);
  #waiting: { resolve: (status: number) => void; reject: (e: Error) => void } | undefined;

  private constructor(socket: net.Socket, headers: Record<string, string>) {
    this.#socket = socket;
    this.#head = Object.entries({ host: `${HOST}`, ...headers })
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = this.#buffer.length ? Buffer.concat([this.#buffer, chunk]) : chunk;
      this.#parse();
    });
    const fail = (e: Error) => {
      const w = this.#waiting;
      this.#waiting = undefined;
      w?.reject(e);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed')));
  }

  static open(host: string, port: number, headers: Record<string, string>): Promise<RawHttpConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port }, () => resolve(new RawHttpConnection(socket, headers)));
      socket.once('error', reject);
    });
  }

  get(urlPath: string): Promise<number> {
    if (this.#waiting) return Promise.reject(new Error('one request at a time'));
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
      this.#socket.write(`GET ${urlPath} HTTP/1.1\r\n${this.#head}\r\n`);
    });
  }

  close(): void {
    this.#socket.destroy();
  }

  #parse(): void {
    const end = this.#buffer.indexOf('\r\n\r\n');
    if (end < 0 || !this.#waiting) return;
    const head = this.#buffer.toString('latin1', 0, end);
    const status = Number(head.slice(9, 12));
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    let total: number;
    if (length) {
      total = end + 4 + Number(length[1]);
    } else if (/\r\ntransfer-encoding: *chunked/i.test(head)) {
      const last = this.#buffer.indexOf('\r\n0\r\n\r\n', end);
      if (last < 0) return;
      total = last + 7;
    } else {
      total = end + 4;
    }
    if (this.#buffer.length < total) return;
    this.#buffer = this.#buffer.subarray(total);
    const w = this.#waiting;
    this.#waiting = undefined;
    w.resolve(status);
  }
}

/**
 * CONCURRENCY closed-loop clients on keep-alive connections, each sending its next request as soon as
 * the previous answer is read — or, with `thinkMs`, after a pause drawn from an exponential distribution of
 * that mean, as a user reading the screen. Nothing sent during the warm-up is measured; nothing is sent
 * after the measured window.
 */
async function drive(
  port: number,
  nextPath: () => string,
  headersOf: (client: number) => Record<string, string>,
  thinkMs = 0,
  sampleCpu: () => CpuSample = () => null,
): Promise<LoadResult> {
  const latencies: number[] = [];
  const completions: number[] = [];
  let answered = 0;
  let errors = 0;
  let errorSample: string | undefined;
  const connections = await Promise.all(
    Array.from({ length: CONCURRENCY }, (_, c) => RawHttpConnection.open(HOST, port, headersOf(c))),
  );
  const once = (c: number, urlPath: string) =>
    connections[c]!.get(urlPath).catch((e: Error) => {
      errorSample ??= e.message;
      return 0;
    });
  // Every client opens its connection first, before the load: a burst of new connections on a
  // saturated event loop waits seconds to be read, which would measure connection set-up, not reads.
  await Promise.all(connections.map((_, c) => once(c, '/healthz')));
  const start = performance.now();
  const measureFrom = start + WARMUP_S * 1000;
  const end = measureFrom + DURATION_S * 1000;
  let cpuFrom: CpuSample = null;
  let cpuTo: CpuSample = null;
  const cpuTimers = [
    setTimeout(() => (cpuFrom = sampleCpu()), measureFrom - performance.now()),
    setTimeout(() => (cpuTo = sampleCpu()), end - performance.now()),
  ];
  const think = () =>
    thinkMs > 0 ? new Promise((resolve) => setTimeout(resolve, -thinkMs * Math.log(1 - Math.random()))) : null;
  const client = async (c: number) => {
    // Users do not start in step.
    if (thinkMs > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * thinkMs));
    while (performance.now() < end) {
      const t0 = performance.now();
      const status = await once(c, nextPath());
      const t1 = performance.now();
      // Throughput counts answers within the window; latency counts requests sent within it, however
      // long they take (the last ones finish after the window), so slow requests are not censored.
      if (status === 200 && t1 >= measureFrom && t1 <= end) {
        answered++;
        completions.push(t1);
      }
      if (t0 >= measureFrom) {
        if (status === 200) latencies.push(t1 - t0);
        else {
          errors++;
          errorSample ??= `HTTP ${status}`;
        }
      }
      await think();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, c) => client(c)));
  for (const connection of connections) connection.close();
  cpuTimers.forEach(clearTimeout);
  const from = cpuFrom as CpuSample;
  const to = cpuTo as CpuSample;
  const cpuPerAnswer =
    from && to && answered > 0
      ? {
          server: (to.server - from.server) / answered,
          postgres: (to.postgres - from.postgres) / answered,
          bench: (to.bench - from.bench) / answered,
        }
      : null;
  const sorted = Float64Array.from(latencies).sort();
  let longestGap = 0;
  let previous = measureFrom;
  for (const t of [...completions.sort((a, b) => a - b), end]) {
    longestGap = Math.max(longestGap, t - previous);
    previous = t;
  }
  return {
    cpuPerAnswer,
    longestGap,
    requests: latencies.length,
    errors,
    rps: answered / DURATION_S,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted.length ? sorted[sorted.length - 1]! : NaN,
    errorSample,
  };
}

/** A bare node:http server in a child process, answering `body` from memory on every request. */
async function startBaseline(body: string) {
  const port = await freePort();
  const script = `
    const http = require('node:http');
    const body = Buffer.from(process.env.BENCH_BODY, 'utf8');
    http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
      res.end(body);
    }).listen(Number(process.env.PORT), '127.0.0.1', () => console.log('ready'));`;
  const child = spawn(process.execPath, ['-e', script], {
    env: { PATH: process.env.PATH ?? '', PORT: String(port), BENCH_BODY: body },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`baseline server exited (${code})`)));
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { port, stop };
}

/**
 * On PostgreSQL, samples what the server's backends are doing during the load (pg_stat_activity), to
 * show where requests wait: on CPU, on I/O, on a lock, or on the application ("idle in transaction").
 */
function sampleBackends(database: Database, until: number) {
  const counts = new Map<string, number>();
  let samples = 0;
  const done = (async () => {
    while (performance.now() < until) {
      const rows = await sql<{ what: string; n: string }>`
        select case when state = 'idle in transaction' then 'app (idle in transaction)'
                    else coalesce(wait_event_type || ':' || wait_event, 'running') end as what, count(*) as n
        from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid() and state <> 'idle'
          and backend_type = 'client backend'
        group by 1`.execute(database.db);
      for (const r of rows.rows) counts.set(r.what, (counts.get(r.what) ?? 0) + Number(r.n));
      samples++;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  return done.then(() => {
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const shares = [...counts]
      .sort((a, b) => b[1] - a[1])
      .map(([what, n]) => ({ what, share: total ? n / total : 0, mean: samples ? n / samples : 0 }));
    const lockShare = shares.filter((s) => s.what.startsWith('Lock:')).reduce((a, s) => a + s.share, 0);
    return { shares, lockShare };
  });
}

async function countReads(database: Database, cooperationId: string): Promise<number> {
  const row = await database.db
    .selectFrom('audit_events')
    .select(({ fn }) => fn.countAll().as('n'))
    .where('cooperation_id', '=', cooperationId)
    .where('action', '=', 'patient.read')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// --- run -----------------------------------------------------------------------------------------------

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

async function main() {
  say(
    `Passerelle API bench — ${dbKind}, ${CONCURRENCY} clients, ${WARMUP_S}s warm-up + ${DURATION_S}s, ${os.cpus().length} CPUs`,
  );
  const setup = await openDb();
  let prepared: Prepared;
  let cost: Awaited<ReturnType<typeof measureAuditCost>>;
  let eventsBefore: number;
  try {
    await migrate(setup);
    const t0 = performance.now();
    prepared = await prepare(setup);
    say(`prepared ${prepared.patientIds.length} patients in ${round((performance.now() - t0) / 1000, 1)} s`);
    cost = await measureAuditCost(setup, prepared);
    eventsBefore = await countReads(setup, prepared.cooperationId);
    say(
      `uncontended, in-process (${AUDIT_SAMPLES} each): read ${round(cost.readMs)} ms, audited read ${round(cost.readAuditedMs)} ms, audit append alone ${round(cost.auditWriteMs)} ms`,
    );
  } finally {
    // The embedded database has one owner at a time: the server opens it next.
    await setup.close();
  }

  const server = await startServer({
    ...(databaseUrl ? { databaseUrl } : { dataDir: dataDir! }),
    logLevel: LOG_LEVEL,
    discardStdout: true,
    ...(args.profile ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${path.resolve(args.profile)}`] } : {}),
  });
  let api: LoadResult;
  let users: LoadResult | undefined;
  let sample: string;
  let backends: Awaited<ReturnType<typeof sampleBackends>> | undefined;
  const monitor = databaseUrl ? await openDatabase({ databaseUrl, poolSize: 1 }) : undefined;
  try {
    const session = await loginOverHttp(server.baseUrl, prepared.username, PASSWORD);
    const headers = { cookie: session.cookie, accept: 'application/json' };
    const cookies = [session.cookie, ...prepared.otherCookies];
    const headersOf = (c: number) => ({ cookie: cookies[c % cookies.length]!, accept: 'application/json' });
    const first = await fetch(`${server.baseUrl}/api/v1/patients/${prepared.patientIds[0]}`, { headers });
    if (first.status !== 200) throw new Error(`patient read answered ${first.status}: ${await first.text()}`);
    sample = await first.text();
    let i = 0;
    const ids = prepared.patientIds;
    const sampler = monitor ? sampleBackends(monitor, performance.now() + (WARMUP_S + DURATION_S) * 1000) : undefined;
    const nextPath = () => `/api/v1/patients/${ids[(i++ * 7919) % ids.length]}`;
    api = await drive(server.port, nextPath, headersOf, 0, cpuSampler(server.child.pid));
    backends = await sampler;
    if (THINK_MS > 0) users = await drive(server.port, nextPath, headersOf, THINK_MS);
  } finally {
    await monitor?.close();
    const how = await server.stop();
    if (how !== 'exit 0') say(`server stopped with ${how}:\n${server.output()}`);
  }
  if (backends) {
    const top = backends.shares
      .slice(0, 5)
      .map((s) => `${s.what} ${Math.round(s.share * 100)}% (${round(s.mean, 1)} backends)`);
    say(`PostgreSQL backends during the load: ${top.join(', ')}`);
  }
  say(
    `API       ${Math.round(api.rps)} req/s, p50 ${round(api.p50)} ms, p99 ${round(api.p99)} ms, max ${round(api.max)} ms, longest stall ${round(api.longestGap)} ms, errors ${api.errors}${api.errorSample ? ` (${api.errorSample})` : ''}`,
  );
  if (api.cpuPerAnswer) {
    const c = api.cpuPerAnswer;
    say(
      `CPU per answer: server ${round(c.server, 3)} ms, PostgreSQL ${round(c.postgres, 3)} ms, load generator ${round(c.bench, 3)} ms`,
    );
  }

  if (users) {
    say(
      `API, users pausing ${THINK_MS} ms on average between reads: ${Math.round(users.rps)} req/s, p50 ${round(users.p50)} ms, p99 ${round(users.p99)} ms, max ${round(users.max)} ms, errors ${users.errors}`,
    );
  }

  // Every audited read appended one event: count them to be sure the load did what it claims.
  const check = await openDb();
  let events = 0;
  try {
    events = (await countReads(check, prepared.cooperationId)) - eventsBefore;
  } finally {
    await check.close();
  }

  const baseline = await startBaseline(sample);
  let bare: LoadResult;
  try {
    bare = await drive(
      baseline.port,
      () => '/',
      () => ({ accept: 'application/json' }),
    );
  } finally {
    await baseline.stop();
  }
  say(
    `node:http ${Math.round(bare.rps)} req/s, p50 ${round(bare.p50)} ms, p99 ${round(bare.p99)} ms, max ${round(bare.max)} ms, errors ${bare.errors}`,
  );
  say(
    `ratio ${round(api.rps / bare.rps, 3)} (API / bare node:http); ${events} patient.read audit events written in the run`,
  );
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });

  console.log(
    JSON.stringify({
      rps: Math.round(api.rps),
      baseline_rps: Math.round(bare.rps),
      ratio: round(api.rps / bare.rps, 4),
      p50_ms: round(api.p50),
      p99_ms: round(api.p99),
      max_ms: round(api.max),
      longest_stall_ms: round(api.longestGap),
      ...(api.cpuPerAnswer
        ? {
            server_cpu_ms: round(api.cpuPerAnswer.server, 3),
            postgres_cpu_ms: round(api.cpuPerAnswer.postgres, 3),
            bench_cpu_ms: round(api.cpuPerAnswer.bench, 3),
          }
        : {}),
      baseline_p50_ms: round(bare.p50),
      baseline_p99_ms: round(bare.p99),
      db: dbKind,
      concurrency: CONCURRENCY,
      duration_s: DURATION_S,
      warmup_s: WARMUP_S,
      requests: api.requests,
      errors: api.errors + bare.errors + (users?.errors ?? 0),
      audit_write_ms: round(cost.auditWriteMs, 3),
      read_ms: round(cost.readMs, 3),
      read_audited_ms: round(cost.readAuditedMs, 3),
      audit_events: events,
      ...(backends ? { pg_lock_wait_share: round(backends.lockShare, 3) } : {}),
      ...(users
        ? {
            think_ms: THINK_MS,
            users_rps: Math.round(users.rps),
            users_p50_ms: round(users.p50),
            users_p99_ms: round(users.p99),
            users_max_ms: round(users.max),
            users_errors: users.errors,
          }
        : {}),
      patients: prepared.patientIds.length,
      users: USERS,
      log_level: LOG_LEVEL,
      cpus: os.cpus().length,
    }),
  );
}

main().catch((error) => {
  say(error instanceof Error ? (error.stack ?? error.message) : String(error));
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  process.exit(1);
});
