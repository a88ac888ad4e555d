import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAuditStandalone } from '../src/core/audit.ts';
import { ManualClock } from '../src/core/clock.ts';
import type { Database } from '../src/core/db/index.ts';
import {
  enqueue,
  enqueueDueSchedules,
  ensureSchedules,
  findJob,
  JobError,
  JobWorker,
  type JobHandler,
} from '../src/core/jobs.ts';
import { registeredJobs } from '../src/modules/jobs/index.ts';
import { jobHandlers, jobSchedules, startRuntime } from '../src/runtime.ts';
import { createCooperation } from './factories.ts';
import { freshStore, withAppendOnlyOff, type Store } from './fresh-database.ts';
import { testConfig, testDatabase } from './harness.ts';

// The queue tables are shared by every test file on PostgreSQL: each test uses queues, keys and
// schedule names of its own, and workers only claim the queues they were given.
let database: Database;
beforeAll(async () => {
  database = await testDatabase();
});

const unique = (prefix: string) => `${prefix}.${randomUUID().slice(0, 8)}`;

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('enqueue', () => {
  it('returns the existing job when the idempotency key was already used', async () => {
    const clock = new ManualClock();
    const queue = unique('test.idem');
    const key = unique('key');
    const first = await enqueue(
      database.db,
      { queue, payload: { patientId: randomUUID() }, idempotencyKey: key },
      { clock },
    );
    const second = await enqueue(
      database.db,
      { queue, payload: { patientId: randomUUID() }, idempotencyKey: key },
      { clock },
    );
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.id).toBe(first.id);
    expect(second.payload).toEqual(first.payload);
    const other = await enqueue(database.db, { queue, idempotencyKey: unique('key') }, { clock });
    expect(other.id).not.toBe(first.id);
    expect(first).toMatchObject({ status: 'pending', attempts: 0, maxAttempts: 5, runAt: clock.now() });
  });

  it('enqueues atomically with the caller’s transaction', async () => {
    const queue = unique('test.tx');
    await database.db
      .transaction()
      .execute(async (trx) => {
        await enqueue(trx, { queue });
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    const rows = await database.db.selectFrom('jobs').select('id').where('queue', '=', queue).execute();
    expect(rows).toEqual([]);
  });

  it('accepts identifiers only in payloads', async () => {
    const queue = unique('test.payload');
    await expect(enqueue(database.db, { queue, payload: { patient: { name: 'DUPONT' } } as never })).rejects.toThrow(
      /identifier/,
    );
    await expect(enqueue(database.db, { queue: 'Bad Queue' })).rejects.toThrow(/queue name/);
  });
});

describe('JobWorker', () => {
  it('retries a failing job with exponential backoff, then records the result', async () => {
    const clock = new ManualClock('2026-11-23T09:00:00Z');
    const queue = unique('test.retry');
    let calls = 0;
    const handler: JobHandler = async (job) => {
      calls++;
      if (calls < 3) throw new JobError(`attempt ${job.attempt} failed`);
      return { attempt: job.attempt };
    };
    const worker = new JobWorker({
      db: database.db,
      handlers: { [queue]: handler },
      clock,
      backoff: { baseMs: 1000, maxMs: 60_000 },
    });
    const job = await enqueue(database.db, { queue }, { clock });

    expect(await worker.runNext()).toBe(true);
    let row = (await findJob(database.db, job.id))!;
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lastError: 'attempt 1 failed', lockedBy: null });
    expect(row.runAt.toISOString()).toBe('2026-11-23T09:00:01.000Z');

    expect(await worker.runNext()).toBe(false);
    clock.advance(999);
    expect(await worker.runNext()).toBe(false);
    clock.advance(1);
    expect(await worker.runNext()).toBe(true);
    row = (await findJob(database.db, job.id))!;
    expect(row).toMatchObject({ status: 'pending', attempts: 2, lastError: 'attempt 2 failed' });
    expect(row.runAt.toISOString()).toBe('2026-11-23T09:00:03.000Z');

    clock.advance(2000);
    expect(await worker.runNext()).toBe(true);
    row = (await findJob(database.db, job.id))!;
    expect(row).toMatchObject({ status: 'done', attempts: 3, lastError: null, result: { attempt: 3 } });
    expect(row.finishedAt?.toISOString()).toBe('2026-11-23T09:00:03.000Z');
    expect(calls).toBe(3);
  });

  it('marks a job failed after max_attempts, keeping no patient data in last_error', async () => {
    const clock = new ManualClock();
    const queue = unique('test.fail');
    const worker = new JobWorker({
      db: database.db,
      handlers: {
        [queue]: async () => {
          throw new Error('invalid input syntax for type date: "DUPONT Marie 1961-04-12"');
        },
      },
      clock,
      backoff: { baseMs: 10, maxMs: 10 },
    });
    const job = await enqueue(database.db, { queue, maxAttempts: 2 }, { clock });
    await worker.runNext();
    clock.advance(10);
    await worker.runNext();
    const row = (await findJob(database.db, job.id))!;
    expect(row).toMatchObject({ status: 'failed', attempts: 2, lockedBy: null, lockedUntil: null });
    expect(row.finishedAt).not.toBeNull();
    expect(row.lastError).toBe('Error (message withheld)');
    clock.advance(60_000);
    expect(await worker.runNext()).toBe(false);
  });

  it('runs again a job whose worker crashed, once the lease has expired; the late worker records nothing', async () => {
    const clock = new ManualClock();
    const queue = unique('test.lease');
    const release = deferred();
    const started = deferred();
    const crashed = new JobWorker({
      db: database.db,
      workerId: 'worker-a',
      clock,
      leaseMs: 60_000,
      handlers: {
        [queue]: async () => {
          started.resolve();
          await release.promise;
          return { by: 'a' };
        },
      },
    });
    const rescuer = new JobWorker({
      db: database.db,
      workerId: 'worker-b',
      clock,
      leaseMs: 60_000,
      handlers: { [queue]: async (job) => ({ by: 'b', attempt: job.attempt }) },
    });
    const job = await enqueue(database.db, { queue }, { clock });
    const stuck = crashed.runNext();
    await started.promise;
    expect((await findJob(database.db, job.id))!).toMatchObject({
      status: 'running',
      lockedBy: 'worker-a',
      attempts: 1,
    });

    // While the lease holds, nobody else takes the job.
    clock.advance(59_000);
    expect(await rescuer.runNext()).toBe(false);
    clock.advance(1_000);
    expect(await rescuer.runNext()).toBe(true);
    expect((await findJob(database.db, job.id))!).toMatchObject({
      status: 'done',
      attempts: 2,
      result: { by: 'b', attempt: 2 },
    });

    release.resolve();
    expect(await stuck).toBe(true);
    expect((await findJob(database.db, job.id))!).toMatchObject({ status: 'done', result: { by: 'b', attempt: 2 } });
  });

  it('fails without running it a job whose last allowed attempt lost its worker', async () => {
    const clock = new ManualClock();
    const queue = unique('test.lastlease');
    let ran = false;
    const worker = new JobWorker({
      db: database.db,
      clock,
      leaseMs: 1000,
      handlers: { [queue]: async () => void (ran = true) },
    });
    const job = await enqueue(database.db, { queue, maxAttempts: 1 }, { clock });
    // What a worker that died mid-run leaves behind.
    await database.db
      .updateTable('jobs')
      .set({
        status: 'running',
        attempts: 1,
        locked_by: 'dead-worker',
        locked_until: new Date(clock.now().getTime() + 1000),
      })
      .where('id', '=', job.id)
      .execute();
    clock.advance(1000);
    expect(await worker.runNext()).toBe(true);
    expect(ran).toBe(false);
    expect((await findJob(database.db, job.id))!).toMatchObject({
      status: 'failed',
      lastError: expect.stringMatching(/^LEASE_EXPIRED/),
    });
  });

  it('never lets two workers run the same job', async () => {
    const clock = new ManualClock();
    const queue = unique('test.race');
    const runs: string[] = [];
    const handler: JobHandler = async (job) => {
      runs.push(job.id);
      await new Promise((r) => setTimeout(r, 2));
    };
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push((await enqueue(database.db, { queue, payload: { n: i } }, { clock })).id);
    const a = new JobWorker({ db: database.db, clock, handlers: { [queue]: handler } });
    const b = new JobWorker({ db: database.db, clock, handlers: { [queue]: handler } });
    const [ranA, ranB] = await Promise.all([a.drain(), b.drain()]);
    expect(ranA + ranB).toBe(30);
    expect([...runs].sort()).toEqual([...ids].sort());
    const statuses = await database.db.selectFrom('jobs').select('status').where('queue', '=', queue).execute();
    expect(statuses.every((s) => s.status === 'done')).toBe(true);
  });

  it('stop() waits for the job in progress', async () => {
    const clock = new ManualClock();
    const queue = unique('test.stop');
    const started = deferred();
    const worker = new JobWorker({
      db: database.db,
      clock,
      pollIntervalMs: 10,
      handlers: {
        [queue]: async () => {
          started.resolve();
          await new Promise((r) => setTimeout(r, 100));
          return { finished: true };
        },
      },
    });
    const job = await enqueue(database.db, { queue }, { clock });
    worker.start();
    await started.promise;
    await worker.stop();
    expect((await findJob(database.db, job.id))!).toMatchObject({ status: 'done', result: { finished: true } });
  });
});

describe('schedules', () => {
  it('enqueue one job per slot however many servers poll, and collapse missed slots into one', async () => {
    const clock = new ManualClock('2026-11-23T09:02:00Z');
    const queue = unique('test.sched');
    const name = unique('every-five');
    await ensureSchedules(database.db, [{ name, queue, cron: '*/5 * * * *' }], clock.now());
    const poll = () => enqueueDueSchedules(database.db, [queue], { clock });
    const jobs = () =>
      database.db
        .selectFrom('jobs')
        .select(['idempotency_key', 'run_at'])
        .where('queue', '=', queue)
        .orderBy('run_at')
        .execute();
    const schedule = () =>
      database.db.selectFrom('job_schedules').selectAll().where('name', '=', name).executeTakeFirstOrThrow();

    expect((await schedule()).next_run_at.toISOString()).toBe('2026-11-23T09:05:00.000Z');
    clock.set('2026-11-23T09:04:59Z');
    expect(await Promise.all([poll(), poll()])).toEqual([0, 0]);

    clock.set('2026-11-23T09:05:00Z');
    const created = await Promise.all([poll(), poll(), poll()]);
    expect(created.reduce((a, b) => a + b, 0)).toBe(1);
    expect((await jobs()).map((j) => j.idempotency_key)).toEqual([`schedule:${name}:2026-11-23T09:05:00.000Z`]);
    expect((await schedule()).next_run_at.toISOString()).toBe('2026-11-23T09:10:00.000Z');

    // Down from 09:06 to 09:27: one catch-up run, then back on the grid.
    clock.set('2026-11-23T09:27:00Z');
    expect(await poll()).toBe(1);
    expect(await poll()).toBe(0);
    expect((await jobs()).map((j) => j.idempotency_key)).toEqual([
      `schedule:${name}:2026-11-23T09:05:00.000Z`,
      `schedule:${name}:2026-11-23T09:10:00.000Z`,
    ]);
    expect((await schedule()).next_run_at.toISOString()).toBe('2026-11-23T09:30:00.000Z');
  });

  it('keeps the planned slot across restarts and re-plans when the cron changes', async () => {
    const clock = new ManualClock('2026-11-23T09:02:00Z');
    const queue = unique('test.ensure');
    const name = unique('nightly');
    await ensureSchedules(database.db, [{ name, queue, cron: '30 2 * * *' }], clock.now());
    clock.set('2026-11-23T20:00:00Z');
    await ensureSchedules(database.db, [{ name, queue, cron: '30 2 * * *' }], clock.now());
    const read = () =>
      database.db
        .selectFrom('job_schedules')
        .select(['cron', 'next_run_at'])
        .where('name', '=', name)
        .executeTakeFirstOrThrow();
    expect((await read()).next_run_at.toISOString()).toBe('2026-11-24T01:30:00.000Z');
    await ensureSchedules(database.db, [{ name, queue, cron: '0 * * * *' }], clock.now());
    expect(await read()).toEqual({ cron: '0 * * * *', next_run_at: new Date('2026-11-23T21:00:00Z') });
    await expect(ensureSchedules(database.db, [{ name, queue, cron: '0 0 1 * *' }], clock.now())).rejects.toThrow();
  });
});

describe('nightly audit verification (audit.verify)', () => {
  // Tampering is committed here, so it happens in a database of this test's own.
  let store: Store;
  let own: Database;
  beforeAll(async () => {
    store = await freshStore({ inMemory: true });
    own = await store.open();
  });
  afterAll(async () => {
    await own?.close();
    await store?.drop();
  });

  it('is scheduled at 02:30 Paris time, reports, and flags the tampered cooperation in its own chain', async () => {
    const clock = new ManualClock('2026-11-23T09:00:00Z');
    const intact = await createCooperation(own);
    const tampered = await createCooperation(own);
    for (const coop of [intact, tampered]) {
      for (let i = 0; i < 4; i++) {
        await appendAuditStandalone(own.db, {
          cooperationId: coop.cooperationId,
          occurredAt: clock.now(),
          actorUserId: null,
          actorEstablishmentId: coop.establishments.a,
          actorLabel: 'tester',
          action: 'patient.read',
          outcome: 'success',
          patientId: randomUUID(),
        });
      }
    }
    await withAppendOnlyOff(own.db, { commit: true }, (trx) =>
      trx
        .deleteFrom('audit_events')
        .where('cooperation_id', '=', tampered.cooperationId)
        .where('seq', '=', '2')
        .execute(),
    );

    const definitions = registeredJobs({ db: own.db, clock, ids: { uuid: () => randomUUID() } });
    const schedules = jobSchedules(definitions);
    expect(schedules).toContainEqual(expect.objectContaining({ queue: 'audit.verify', cron: '30 2 * * *' }));
    await ensureSchedules(own.db, schedules, clock.now());
    const worker = new JobWorker({ db: own.db, clock, handlers: jobHandlers(definitions) });
    expect(await worker.drain()).toBe(0);

    clock.set('2026-11-24T01:30:00Z'); // 02:30 in Paris
    // The audit verification, and the day before's 16:00 anticipation proposal (no pharmacy here: nothing to do).
    expect(await worker.drain()).toBe(2);
    const job = await own.db
      .selectFrom('jobs')
      .selectAll()
      .where('idempotency_key', '=', 'schedule:audit.verify.nightly:2026-11-24T01:30:00.000Z')
      .executeTakeFirstOrThrow();
    expect(job.status).toBe('done');
    expect(job.result).toMatchObject({
      ok: false,
      cooperations: 2,
      events: 7,
      problemCount: 2,
      affectedCooperations: [tampered.cooperationId],
      problems: [
        expect.objectContaining({ cooperationId: tampered.cooperationId, seq: '3', kind: 'gap' }),
        expect.objectContaining({ cooperationId: tampered.cooperationId, seq: '3', kind: 'broken_link' }),
      ],
    });

    const flagged = await own.db
      .selectFrom('audit_events')
      .select(['cooperation_id', 'action', 'outcome', 'actor_label', 'details'])
      .where('action', '=', 'audit.verify')
      .execute();
    expect(flagged).toEqual([
      {
        cooperation_id: tampered.cooperationId,
        action: 'audit.verify',
        outcome: 'failure',
        actor_label: 'system',
        details: expect.objectContaining({ jobId: job.id, problems: 2, kinds: ['broken_link', 'gap'] }),
      },
    ]);

    // A rerun of the same job (at-least-once delivery) does not flag twice.
    await jobHandlers(definitions)['audit.verify']!({
      id: job.id,
      queue: 'audit.verify',
      payload: {},
      cooperationId: null,
      attempt: 2,
      maxAttempts: 5,
    });
    const again = await own.db.selectFrom('audit_events').select('seq').where('action', '=', 'audit.verify').execute();
    expect(again).toHaveLength(1);

    // The next night's slot is planned.
    const schedule = await own.db
      .selectFrom('job_schedules')
      .select('next_run_at')
      .where('name', '=', 'audit.verify.nightly')
      .executeTakeFirstOrThrow();
    expect(schedule.next_run_at.toISOString()).toBe('2026-11-25T01:30:00.000Z');
  });

  it('is started by the runtime with its schedules, and stops cleanly', async () => {
    const clock = new ManualClock('2026-11-23T09:00:00Z');
    const runtime = await startRuntime({
      config: testConfig({ jobs: true, demo: false }),
      database: own,
      mailer: undefined,
      log: pino({ level: 'silent' }),
      clock,
    });
    expect(runtime.oidc).toBeUndefined();
    const schedules = await own.db
      .selectFrom('job_schedules')
      .select(['name', 'queue', 'cron'])
      .orderBy('name')
      .execute();
    expect(schedules).toEqual([
      { name: 'audit.verify.nightly', queue: 'audit.verify', cron: '30 2 * * *' },
      { name: 'jobs.purge.daily', queue: 'jobs.purge', cron: '45 3 * * *' },
      { name: 'production.anticipation.daily', queue: 'production.anticipation', cron: '0 16 * * *' },
    ]);
    await runtime.stop();
  });
});
