import { hostname } from 'node:os';
import { sql, type Kysely, type Selectable } from 'kysely';
import { systemClock, type Clock } from './clock.ts';
import type { DB, Executor } from './db/index.ts';
import type { JobTable } from './db/schema.ts';
import { AppError } from './errors.ts';
import { randomIds, randomSecret, type IdGenerator } from './ids.ts';
import { runInCooperation } from './db/cooperation-scope.ts';

/**
 * PostgreSQL-backed job queue, the same on PGlite and PostgreSQL.
 *
 * - `enqueue` inserts a row; an idempotency key makes a second enqueue return the first job.
 * - A `JobWorker` claims one ready job at a time with `for update skip locked` and a lease
 *   (`locked_until`): two workers never claim the same job, and a job whose worker died is claimed
 *   again once its lease has expired. No transaction is open while a handler runs (the embedded
 *   database has a single connection that the rest of the app needs meanwhile).
 * - Failures are retried with exponential backoff until `max_attempts`, then the job is `failed`.
 * - `job_schedules` rows enqueue a job per cron slot with the key `schedule:<name>:<slot>`, so any
 *   number of app servers run each slot once.
 *
 * Delivery is at least once (a worker can die after the work and before marking it done): handlers
 * must be idempotent and re-read the state they act on. Payloads carry identifiers, never patient
 * data: the jobs table is readable by administrators and its rows outlive the work.
 */

/** Identifiers and flags only: nested objects are refused so that records cannot slip in. */
export type JobPayload = Record<string, string | number | boolean | null>;
export type JobResult = Record<string, unknown>;
export type JobStatus = 'pending' | 'running' | 'done' | 'failed';

export interface EnqueueInput {
  queue: string;
  payload?: JobPayload;
  /** The cooperation the job works for; null or absent for system-wide jobs. */
  cooperationId?: string | null;
  /** Not before this instant (default: now). */
  runAt?: Date;
  /** Unique across all jobs ever enqueued (until purged): a second enqueue returns the first job. */
  idempotencyKey?: string;
  maxAttempts?: number;
}

export interface JobRecord {
  id: string;
  queue: string;
  payload: JobPayload;
  cooperationId: string | null;
  idempotencyKey: string | null;
  status: JobStatus;
  runAt: Date;
  attempts: number;
  maxAttempts: number;
  lockedBy: string | null;
  lockedUntil: Date | null;
  lastError: string | null;
  result: JobResult | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export interface JobDeps {
  clock?: Clock;
  ids?: IdGenerator;
}

const QUEUE_NAME = /^[a-z][a-z0-9_.-]{1,63}$/;
const MAX_PAYLOAD_STRING = 200;
const MAX_ERROR_LENGTH = 500;

function toRecord(row: Selectable<JobTable>): JobRecord {
  return {
    id: row.id,
    queue: row.queue,
    payload: row.payload as JobPayload,
    cooperationId: row.cooperation_id,
    idempotencyKey: row.idempotency_key,
    status: row.status,
    runAt: row.run_at,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    lockedBy: row.locked_by,
    lockedUntil: row.locked_until,
    lastError: row.last_error,
    result: row.result,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}

function assertPayload(payload: JobPayload): void {
  for (const [key, value] of Object.entries(payload)) {
    const ok =
      value === null ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value)) ||
      (typeof value === 'string' && value.length <= MAX_PAYLOAD_STRING);
    if (!ok) throw new Error(`Job payload field "${key}" must be an identifier, a number or a flag`);
  }
}

/**
 * Adds a job. With an `idempotencyKey` already used, returns the existing job (whatever its state)
 * with `created: false`. Works inside a transaction, so a job can be enqueued atomically with the
 * write that calls for it.
 */
export async function enqueue(
  db: Executor,
  input: EnqueueInput,
  deps: JobDeps = {},
): Promise<JobRecord & { created: boolean }> {
  if (!QUEUE_NAME.test(input.queue)) throw new Error(`Invalid queue name "${input.queue}"`);
  const payload = input.payload ?? {};
  assertPayload(payload);
  const maxAttempts = input.maxAttempts ?? 5;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new Error('maxAttempts must be a positive integer');
  const now = (deps.clock ?? systemClock).now();
  const inserted = await db
    .insertInto('jobs')
    .values({
      id: (deps.ids ?? randomIds).uuid(),
      queue: input.queue,
      payload: JSON.stringify(payload),
      cooperation_id: input.cooperationId ?? null,
      idempotency_key: input.idempotencyKey ?? null,
      run_at: input.runAt ?? now,
      max_attempts: maxAttempts,
      created_at: now,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { ...toRecord(inserted), created: true };
  const existing = await db
    .selectFrom('jobs')
    .selectAll()
    .where('idempotency_key', '=', input.idempotencyKey ?? '')
    .executeTakeFirstOrThrow();
  return { ...toRecord(existing), created: false };
}

/** Reads one job (tests, CLI). */
export async function findJob(db: Executor, id: string): Promise<JobRecord | undefined> {
  const row = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toRecord(row);
}

/** A handler that throws this records its message as `last_error`: write it without patient data. */
export class JobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JobError';
  }
}

/**
 * What is kept of a failure. Only messages written to be safe (JobError, AppError) are kept; any
 * other error is reduced to its class and code, because driver and library messages can quote the
 * values they choked on.
 */
export function describeJobError(error: unknown): string {
  let text: string;
  if (error instanceof JobError) text = error.message;
  else if (error instanceof AppError) text = `${error.code}: ${error.message}`;
  else if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    text = `${error.name}${typeof code === 'string' || typeof code === 'number' ? ` [${code}]` : ''} (message withheld)`;
  } else text = 'non-error value thrown (withheld)';
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}
export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 10_000, maxMs: 60 * 60_000 };

/** Delay before retrying after the `attempt`-th failure: base × 2^(attempt−1), capped. */
export function backoffDelayMs(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  return Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
}

// ---------------------------------------------------------------------------------------------
// Cron subset, evaluated in Europe/Paris wall-clock time.

export const SCHEDULE_TIME_ZONE = 'Europe/Paris';

/**
 * Parsed cron expression. Supported: minute `m`, `*` or `*\/n`; hour `h`, `*` or `*\/n`; day of
 * month, month and day of week `*`. So `30 2 * * *` (daily at 02:30) and `*\/5 * * * *` (every five
 * minutes), nothing fancier until a job needs it.
 */
export interface CronSpec {
  source: string;
  minutes: number[];
  hours: number[];
  /** A fixed hour follows the wall clock across DST changes (see `nextCronSlot`). */
  fixedHour: boolean;
}

function cronField(field: string, max: number, name: string): number[] {
  const all = Array.from({ length: max + 1 }, (_, i) => i);
  if (field === '*') return all;
  const step = /^\*\/(\d{1,2})$/.exec(field);
  if (step) {
    const n = Number(step[1]);
    if (n < 1 || n > max) throw new Error(`Cron ${name} step must be between 1 and ${max}`);
    return all.filter((v) => v % n === 0);
  }
  if (/^\d{1,2}$/.test(field) && Number(field) <= max) return [Number(field)];
  throw new Error(`Unsupported cron ${name} "${field}" (use a number, * or */n)`);
}

/** Parses the supported cron subset; throws on anything else. */
export function parseCron(source: string): CronSpec {
  const fields = source.trim().split(/\s+/);
  if (fields.length !== 5) throw new Error(`Cron "${source}" must have five fields`);
  const [minute, hour, dom, month, dow] = fields as [string, string, string, string, string];
  if (dom !== '*' || month !== '*' || dow !== '*') {
    throw new Error(`Cron "${source}": day of month, month and day of week must be *`);
  }
  return {
    source,
    minutes: cronField(minute, 59, 'minute'),
    hours: cronField(hour, 23, 'hour'),
    fixedHour: /^\d+$/.test(hour),
  };
}

const wallFormats = new Map<string, Intl.DateTimeFormat>();
function wallFields(at: number, timeZone: string): { y: number; mo: number; d: number; h: number; mi: number } {
  let format = wallFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    wallFormats.set(timeZone, format);
  }
  const parts: Record<string, number> = {};
  for (const p of format.formatToParts(at)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { y: parts.year!, mo: parts.month!, d: parts.day!, h: parts.hour!, mi: parts.minute! };
}

/** Offset of `timeZone` from UTC at instant `at`, in ms (Paris: 1 h in winter, 2 h in summer). */
function offsetAt(at: number, timeZone: string): number {
  const f = wallFields(at, timeZone);
  const minute = Math.floor(at / 60_000) * 60_000;
  return Date.UTC(f.y, f.mo - 1, f.d, f.h, f.mi) - minute;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * The first slot of `spec` strictly after `after`.
 *
 * DST follows cron's long-standing rule: a job at a fixed hour runs once per local day, in the
 * first of two repeated local times in autumn, and at the same elapsed time (02:30 → 03:30 summer
 * time) when spring skips its local time; a job with a wildcard hour runs at every instant whose
 * local time matches, so it neither doubles nor stops across the change.
 */
export function nextCronSlot(spec: CronSpec, after: Date, timeZone = SCHEDULE_TIME_ZONE): Date {
  const start = wallFields(after.getTime(), timeZone);
  // Local calendar days, as UTC midnights for date arithmetic only.
  const firstDay = Date.UTC(start.y, start.mo - 1, start.d);
  for (let day = firstDay - DAY; day <= firstDay + 3 * DAY; day += DAY) {
    // Offsets in force on either side of this local day; they differ only on a change-over day.
    const before = offsetAt(day - DAY, timeZone);
    const afterwards = offsetAt(day + 2 * DAY, timeZone);
    const candidates: number[] = [];
    for (const h of spec.hours) {
      for (const m of spec.minutes) {
        const wall = day + h * HOUR + m * 60_000;
        const instants =
          before === afterwards
            ? [wall - before]
            : [...new Set([wall - before, wall - afterwards])]
                .filter((t) => offsetAt(t, timeZone) === wall - t)
                .sort((a, b) => a - b);
        if (instants.length === 0) {
          if (spec.fixedHour) candidates.push(wall - before);
        } else if (spec.fixedHour) {
          candidates.push(instants[0]!);
        } else {
          candidates.push(...instants);
        }
      }
    }
    const next = candidates.filter((t) => t > after.getTime()).sort((a, b) => a - b)[0];
    if (next !== undefined) return new Date(next);
  }
  throw new Error(`No slot found for cron "${spec.source}"`);
}

// ---------------------------------------------------------------------------------------------
// Schedules.

export interface ScheduleDefinition {
  /** Stable name: part of each slot's idempotency key. */
  name: string;
  queue: string;
  cron: string;
  payload?: JobPayload;
}

/**
 * Creates or updates schedules at start. An unchanged cron keeps its stored next slot (so a restart
 * never skips or repeats one); a changed cron is re-planned from `now`.
 */
export async function ensureSchedules(db: Kysely<DB>, schedules: ScheduleDefinition[], now: Date): Promise<void> {
  for (const s of schedules) {
    const spec = parseCron(s.cron);
    const payload = s.payload ?? {};
    assertPayload(payload);
    await db
      .insertInto('job_schedules')
      .values({
        name: s.name,
        queue: s.queue,
        cron: spec.source,
        payload: JSON.stringify(payload),
        next_run_at: nextCronSlot(spec, now),
      })
      .onConflict((oc) =>
        oc.column('name').doUpdateSet((eb) => ({
          queue: eb.ref('excluded.queue'),
          payload: eb.ref('excluded.payload'),
          cron: eb.ref('excluded.cron'),
          next_run_at: sql<Date>`case when job_schedules.cron = excluded.cron
            then job_schedules.next_run_at else excluded.next_run_at end`,
        })),
      )
      .execute();
  }
}

/**
 * Enqueues one job for each due schedule among `queues`, keyed by its slot, then moves the schedule
 * to its next slot after `now`. After downtime, missed slots collapse into one run. Safe to call
 * from any number of servers at once: they compute the same slot from the same row, and the
 * idempotency key keeps one job.
 */
export async function enqueueDueSchedules(
  db: Kysely<DB>,
  queues: readonly string[],
  deps: JobDeps & { log?: JobLog } = {},
): Promise<number> {
  if (queues.length === 0) return 0;
  const now = (deps.clock ?? systemClock).now();
  const due = await db
    .selectFrom('job_schedules')
    .selectAll()
    .where('next_run_at', '<=', now)
    .where('queue', 'in', queues)
    .orderBy('next_run_at')
    .execute();
  let enqueued = 0;
  for (const schedule of due) {
    let next: Date;
    try {
      next = nextCronSlot(parseCron(schedule.cron), now);
    } catch (error) {
      deps.log?.error({ schedule: schedule.name, error: describeJobError(error) }, 'invalid job schedule');
      continue;
    }
    const slot = schedule.next_run_at;
    const job = await enqueue(
      db,
      {
        queue: schedule.queue,
        payload: schedule.payload as JobPayload,
        runAt: slot,
        idempotencyKey: `schedule:${schedule.name}:${slot.toISOString()}`,
      },
      deps,
    );
    if (job.created) enqueued++;
    await db
      .updateTable('job_schedules')
      .set({ next_run_at: next, last_run_at: slot })
      .where('name', '=', schedule.name)
      .where('next_run_at', '=', slot)
      .execute();
  }
  return enqueued;
}

// ---------------------------------------------------------------------------------------------
// Worker.

/** What a handler receives: identifiers to re-read the state from, never the state itself. */
export interface JobContext {
  id: string;
  queue: string;
  payload: JobPayload;
  cooperationId: string | null;
  /** 1 on the first run. */
  attempt: number;
  maxAttempts: number;
}

/** Returns what to store as the job's result (counts, ids, a report), or nothing. */
export type JobHandler = (job: JobContext) => Promise<JobResult | void>;

/** A job's handler and, when it recurs, its schedule: each module exports its own. */
export interface JobDefinition {
  queue: string;
  handler: JobHandler;
  schedule?: { name: string; cron: string; payload?: JobPayload };
}

/** The subset of a pino logger the worker uses. */
export interface JobLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}
const silentLog: JobLog = { info() {}, warn() {}, error() {} };

export interface JobWorkerOptions {
  db: Kysely<DB>;
  handlers: Record<string, JobHandler>;
  clock?: Clock;
  ids?: IdGenerator;
  log?: JobLog;
  /** Distinguishes this worker's leases; unique per process by default. */
  workerId?: string;
  /** Claim only this cooperation's jobs (tests whose cooperations share one database). */
  cooperationId?: string;
  /** Pause between polls when there is nothing to do. One query a second is light for PGlite. */
  pollIntervalMs?: number;
  /** How long a claim holds before another worker may take the job over; renewed while it runs. */
  leaseMs?: number;
  backoff?: BackoffOptions;
}

/**
 * Polls the queue and runs one job at a time. `start()` runs the loop in the background; tests call
 * `runNext()` or `drain()` to step it by hand with a manual clock.
 */
export class JobWorker {
  readonly id: string;
  readonly #db: Kysely<DB>;
  readonly #handlers: Map<string, JobHandler>;
  readonly #clock: Clock;
  readonly #deps: JobDeps;
  readonly #log: JobLog;
  readonly #pollIntervalMs: number;
  readonly #leaseMs: number;
  readonly #backoff: BackoffOptions;
  readonly #cooperationId: string | undefined;
  #loop: Promise<void> | undefined;
  #stopping = false;
  #wake: (() => void) | undefined;
  #lastScheduleCheck = 0;

  constructor(options: JobWorkerOptions) {
    this.id = options.workerId ?? `${hostname()}:${process.pid}:${randomSecret(6)}`;
    this.#db = options.db;
    this.#handlers = new Map(Object.entries(options.handlers));
    this.#clock = options.clock ?? systemClock;
    this.#deps = { clock: this.#clock, ids: options.ids ?? randomIds };
    this.#log = options.log ?? silentLog;
    this.#pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.#leaseMs = options.leaseMs ?? 5 * 60_000;
    this.#backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.#cooperationId = options.cooperationId;
  }

  get queues(): string[] {
    return [...this.#handlers.keys()];
  }

  /** Starts polling in the background. */
  start(): void {
    if (this.#loop) return;
    this.#stopping = false;
    this.#loop = this.#run();
  }

  /** Stops polling; resolves once the job in progress, if any, has finished and been recorded. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    await this.#loop;
    this.#loop = undefined;
  }

  async #run(): Promise<void> {
    while (!this.#stopping) {
      let worked = false;
      try {
        if (Date.now() - this.#lastScheduleCheck >= this.#pollIntervalMs) {
          this.#lastScheduleCheck = Date.now();
          await this.enqueueDueSchedules();
        }
        worked = await this.runNext();
      } catch (error) {
        this.#log.error({ worker: this.id, error: describeJobError(error) }, 'job worker poll failed');
      }
      if (!worked && !this.#stopping) await this.#sleep(this.#pollIntervalMs);
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }

  /** Enqueues the due slots of schedules whose queue this worker handles. */
  enqueueDueSchedules(): Promise<number> {
    return enqueueDueSchedules(this.#db, this.queues, { ...this.#deps, log: this.#log });
  }

  /** Runs ready jobs until none is left or `max` have run; returns how many ran. */
  async drain(max = Number.POSITIVE_INFINITY): Promise<number> {
    await this.enqueueDueSchedules();
    let ran = 0;
    while (ran < max && (await this.runNext())) ran++;
    return ran;
  }

  /** Claims one ready job and runs it; false when there was none. */
  async runNext(): Promise<boolean> {
    const job = await this.#claim();
    if (!job) return false;
    if (job.attempts > job.max_attempts) {
      // The worker that ran the last allowed attempt stopped responding; do not run it again.
      await this.#finish(job.id, {
        status: 'failed',
        last_error: 'LEASE_EXPIRED: the worker running the last attempt stopped before finishing',
        finished_at: this.#clock.now(),
      });
      this.#log.warn({ jobId: job.id, queue: job.queue }, 'job failed: lease expired on last attempt');
      return true;
    }
    const handler = this.#handlers.get(job.queue)!;
    const context: JobContext = {
      id: job.id,
      queue: job.queue,
      payload: job.payload as JobPayload,
      cooperationId: job.cooperation_id,
      attempt: job.attempts,
      maxAttempts: job.max_attempts,
    };
    const heartbeat = setInterval(() => void this.#renewLease(job.id), Math.max(1000, this.#leaseMs / 3));
    heartbeat.unref();
    let result: JobResult | void;
    try {
      // A cooperation's job runs inside that cooperation's row-level security scope; system jobs outside any.
      result = await (job.cooperation_id
        ? runInCooperation(job.cooperation_id, () => handler(context))
        : handler(context));
    } catch (error) {
      clearInterval(heartbeat);
      await this.#recordFailure(context, error);
      return true;
    }
    clearInterval(heartbeat);
    const recorded = await this.#finish(job.id, {
      status: 'done',
      result: result ? JSON.stringify(result) : null,
      last_error: null,
      finished_at: this.#clock.now(),
    });
    this.#log.info({ jobId: job.id, queue: job.queue, attempt: context.attempt, recorded }, 'job done');
    return true;
  }

  async #claim(): Promise<Selectable<JobTable> | undefined> {
    const queues = this.queues;
    if (queues.length === 0) return undefined;
    const now = this.#clock.now();
    // One statement, so the row lock is held only for its duration: the subquery locks the first
    // ready row no other worker holds, the update takes the lease. A lease that expired (a crashed
    // worker) makes the job ready again.
    return this.#db
      .updateTable('jobs')
      .set((eb) => ({
        status: 'running',
        attempts: eb('attempts', '+', 1),
        locked_by: this.id,
        locked_until: new Date(now.getTime() + this.#leaseMs),
      }))
      .where('id', '=', (eb) =>
        eb
          .selectFrom('jobs')
          .select('id')
          .where('queue', 'in', queues)
          .$if(this.#cooperationId !== undefined, (q) => q.where('cooperation_id', '=', this.#cooperationId!))
          .where((w) =>
            w.or([
              w.and([w('status', '=', 'pending'), w('run_at', '<=', now)]),
              w.and([w('status', '=', 'running'), w('locked_until', '<=', now)]),
            ]),
          )
          .orderBy('run_at')
          .orderBy('created_at')
          .limit(1)
          .forUpdate()
          .skipLocked(),
      )
      .returningAll()
      .executeTakeFirst();
  }

  async #renewLease(id: string): Promise<void> {
    try {
      await this.#db
        .updateTable('jobs')
        .set({ locked_until: new Date(this.#clock.now().getTime() + this.#leaseMs) })
        .where('id', '=', id)
        .where('locked_by', '=', this.id)
        .where('status', '=', 'running')
        .execute();
    } catch (error) {
      this.#log.warn({ jobId: id, error: describeJobError(error) }, 'job lease renewal failed');
    }
  }

  async #recordFailure(job: JobContext, error: unknown): Promise<void> {
    const lastError = describeJobError(error);
    const now = this.#clock.now();
    const final = job.attempt >= job.maxAttempts;
    await this.#finish(
      job.id,
      final
        ? { status: 'failed', last_error: lastError, finished_at: now }
        : {
            status: 'pending',
            last_error: lastError,
            run_at: new Date(now.getTime() + backoffDelayMs(job.attempt, this.#backoff)),
          },
    );
    const log = { jobId: job.id, queue: job.queue, attempt: job.attempt, error: lastError };
    if (final) this.#log.error(log, 'job failed after its last attempt');
    else this.#log.warn(log, 'job failed, will retry');
  }

  /**
   * Records the outcome if this worker still holds the job. A worker whose lease was taken over
   * records nothing: the job's new holder owns its fate.
   */
  async #finish(
    id: string,
    values: {
      status: JobStatus;
      last_error: string | null;
      finished_at?: Date;
      run_at?: Date;
      result?: string | null;
    },
  ): Promise<boolean> {
    const updated = await this.#db
      .updateTable('jobs')
      .set({ ...values, locked_by: null, locked_until: null })
      .where('id', '=', id)
      .where('locked_by', '=', this.id)
      .where('status', '=', 'running')
      .executeTakeFirst();
    const recorded = updated.numUpdatedRows > 0n;
    if (!recorded) this.#log.warn({ jobId: id, worker: this.id }, 'job outcome not recorded: lease lost');
    return recorded;
  }
}
