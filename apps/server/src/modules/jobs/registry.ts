import type { Kysely } from 'kysely';
import type { Clock } from '../../core/clock.ts';
import type { DB } from '../../core/db/index.ts';
import type { IdGenerator } from '../../core/ids.ts';
import type { JobDefinition } from '../../core/jobs.ts';
import type { Mailer } from '../../core/mailer.ts';
import { auditJobs } from '../audit/index.ts';
import { oralPathwayJobs } from '../oral-pathway/index.ts';
import { productionJobs } from '../pharmacy/index.ts';
import { jobsHousekeeping } from './jobs.service.ts';

export interface JobRegistryDeps {
  db: Kysely<DB>;
  clock: Clock;
  ids: IdGenerator;
  /** Outgoing mail (oral pathway packets); absent when no SMTP server is configured. */
  mailer?: Mailer | undefined;
  /** Public URL of the app, for links in mails. */
  publicUrl?: string;
}

/**
 * Every background job of the application. Each module exports its own definitions (handler and,
 * when recurring, schedule); a new module adds one line here.
 */
export function registeredJobs(deps: JobRegistryDeps): JobDefinition[] {
  return [
    ...auditJobs(deps),
    ...jobsHousekeeping(deps),
    ...oralPathwayJobs({ ...deps, mailer: deps.mailer, publicUrl: deps.publicUrl ?? 'http://localhost:3000' }),
    ...productionJobs(deps),
  ];
}
