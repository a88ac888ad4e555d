export { productionRoutes } from './production.routes.ts';
export { productionJobs } from './production.jobs.ts';
export { compileProblem, DEFAULT_PLANNER_SETTINGS, type PlannerSettings } from './problem.ts';
export { seedProductionDemoForSystem } from './demo.ts';
