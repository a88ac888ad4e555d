// Prescriptions, fit-to-treat and pharmaceutical validation: what other modules may use.
export { prescriptionRoutes } from './prescriptions.routes.ts';
export { startCompounding } from './fit-to-treat.service.ts';
export type { PrescriptionsDeps } from './prescriptions.service.ts';
export { runChecks, DEFAULT_CHECK_SETTINGS, type Check, type CheckSeverity } from './checks.ts';
export { cheapestVials } from './waste.ts';
export { computePrescription, toDosingLine, type DosingRegimen, type DosingRegimenLine } from './compute.ts';
