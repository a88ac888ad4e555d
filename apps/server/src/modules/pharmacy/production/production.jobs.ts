import type { Kysely } from 'kysely';
import type { Clock } from '../../../core/clock.ts';
import type { DB } from '../../../core/db/index.ts';
import type { IdGenerator } from '../../../core/ids.ts';
import type { JobDefinition } from '../../../core/jobs.ts';
import { PlannerWorker } from '../../planner/index.ts';
import { proposeForAllPharmacies } from './production.service.ts';

/**
 * At 16:00 Paris time, the proposal of which of tomorrow's preparations to make today: early enough for
 * the pharmacist to decide and the technicians to make them before the unit closes (REFERENCE §2.4).
 */
export const ANTICIPATION_CRON = '0 16 * * *';

export function productionJobs(deps: { db: Kysely<DB>; ids: IdGenerator; clock: Clock }): JobDefinition[] {
  return [
    {
      queue: 'production.anticipation',
      handler: async () => {
        // Its own worker thread, so a proposal (seconds of CPU) never blocks the HTTP event loop.
        const worker = new PlannerWorker();
        try {
          return await proposeForAllPharmacies({ db: deps.db, ids: deps.ids, worker }, deps.clock.now());
        } finally {
          await worker.close();
        }
      },
      schedule: { name: 'production.anticipation.daily', cron: ANTICIPATION_CRON },
    },
  ];
}
