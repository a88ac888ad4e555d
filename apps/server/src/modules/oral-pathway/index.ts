// The oral anticancer pathway's public face: other modules and the tests import from here only.
export { oralPathwayRoutes } from './oral.routes.ts';
export { oralPathwayJobs } from './oral.jobs.ts';
export { PACKET_QUEUE, PACKET_MAX_ATTEMPTS } from './community.service.ts';
export { seedOralPathwayDemoForSystem } from './oral.demo.ts';
