// Compounding, dispatch and traceability: what other modules may use.
export { compoundingRoutes } from './compounding.routes.ts';
export { seedCompoundingDemoForSystem, type CompoundingDemoSummary } from './compounding.demo.ts';
