// The nuclear-medicine module's public face.
export { nuclearMedicineRoutes } from './nm.routes.ts';
export { seedNuclearMedicineForSystem, type NmSeedSummary } from './demo.ts';
