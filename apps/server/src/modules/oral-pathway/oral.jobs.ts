import type { JobDefinition } from '../../core/jobs.ts';
import { PACKET_QUEUE, sendPacketJob } from './community.service.ts';
import type { OralDeps } from './oral.service.ts';

/** The packet-sending job: one per packet and send, retried with backoff while the mail server refuses. */
export function oralPathwayJobs(deps: OralDeps): JobDefinition[] {
  return [{ queue: PACKET_QUEUE, handler: (job) => sendPacketJob(deps, job) }];
}
