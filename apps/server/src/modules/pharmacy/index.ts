// The pharmacy module's public face: other modules and the tests import from here only.
export {
  DEMO_REFERENTIAL,
  demoPharmacySettings,
  exportReferentialDocument,
  getPharmacySettings,
  insertPharmacySettingsForSystem,
  loadReferentialForSystem,
  pharmacyReferentialRoutes,
  type LoadedReferential,
} from './referential/index.ts';
export { prescriptionRoutes, startCompounding } from './prescriptions/index.ts';
export { compoundingRoutes, seedCompoundingDemoForSystem, type CompoundingDemoSummary } from './compounding/index.ts';
export { productionJobs, productionRoutes, seedProductionDemoForSystem } from './production/index.ts';
