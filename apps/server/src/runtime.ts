import type { Logger } from 'pino';
import { hasCooperation } from './core/backup.ts';
import { systemClock, type Clock } from './core/clock.ts';
import type { Config } from './core/config.ts';
import type { Database } from './core/db/index.ts';
import { randomIds, type IdGenerator } from './core/ids.ts';
import {
  ensureSchedules,
  JobWorker,
  type JobDefinition,
  type JobHandler,
  type ScheduleDefinition,
} from './core/jobs.ts';
import type { Mailer } from './core/mailer.ts';
import { createOidcDriver } from './modules/identity/index.ts';
import type { OidcDriver } from './modules/index.ts';
import { registeredJobs } from './modules/jobs/index.ts';
import { seedDemo } from './modules/demo/index.ts';

export interface Runtime {
  oidc: OidcDriver | undefined;
  /** Stops the job worker after its current job; the caller closes the database afterwards. */
  stop(): Promise<void>;
}

export interface RuntimeDeps {
  config: Config;
  database: Database;
  mailer: Mailer | undefined;
  log: Logger;
  clock?: Clock;
  ids?: IdGenerator;
}

/** Handlers by queue, refusing two definitions of one queue (the second would silently win). */
export function jobHandlers(definitions: JobDefinition[]): Record<string, JobHandler> {
  const handlers: Record<string, JobHandler> = {};
  for (const d of definitions) {
    if (handlers[d.queue]) throw new Error(`Job queue "${d.queue}" is defined twice`);
    handlers[d.queue] = d.handler;
  }
  return handlers;
}

export function jobSchedules(definitions: JobDefinition[]): ScheduleDefinition[] {
  return definitions.flatMap((d) =>
    d.schedule
      ? [{ name: d.schedule.name, queue: d.queue, cron: d.schedule.cron, payload: d.schedule.payload ?? {} }]
      : [],
  );
}

/**
 * Start-up work beyond HTTP, after migrations: OIDC discovery, demo data on an empty database, the
 * job worker and its schedules. Logs carry counts and names, never patient data.
 */
export async function startRuntime(deps: RuntimeDeps): Promise<Runtime> {
  const { config, database, log } = deps;
  const db = database.db;
  const clock = deps.clock ?? systemClock;
  const ids = deps.ids ?? randomIds;

  let oidc: OidcDriver | undefined;
  if (config.oidc) {
    try {
      oidc = await createOidcDriver(config.oidc, config.publicUrl);
      log.info({ issuer: config.oidc.issuer }, 'OpenID Connect provider ready');
    } catch (error) {
      // An unreachable provider must not keep local accounts out: start without it, loudly.
      log.error(
        { issuer: config.oidc.issuer, error: (error as Error).message },
        'OpenID Connect discovery failed; provider login is disabled until restart',
      );
    }
  }

  if (config.demo && !(await hasCooperation(db))) {
    log.info('empty database: loading the demo cooperation');
    const demo = await seedDemo(db, { now: clock.now(), ids });
    log.info(
      { establishments: demo.establishments, users: demo.users, patients: demo.patients },
      'demo cooperation loaded',
    );
  }

  let worker: JobWorker | undefined;
  if (config.jobs) {
    const definitions = registeredJobs({ db, clock, ids, mailer: deps.mailer, publicUrl: config.publicUrl });
    await ensureSchedules(db, jobSchedules(definitions), clock.now());
    worker = new JobWorker({
      db,
      handlers: jobHandlers(definitions),
      clock,
      ids,
      log: log.child({ component: 'jobs' }),
      pollIntervalMs: 1000,
    });
    worker.start();
    log.info({ queues: worker.queues }, 'job worker started');
  }

  return {
    oidc,
    async stop() {
      await worker?.stop();
    },
  };
}
