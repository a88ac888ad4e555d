import type { FastifyInstance } from 'fastify';
import { auditRoutes } from './audit/index.ts';
import { metaRoutes } from './demo/index.ts';
import { adminRoutes, identityRoutes, oidcRoutes } from './identity/index.ts';
import { jobsRoutes } from './jobs/index.ts';
import { oralPathwayRoutes } from './oral-pathway/index.ts';
import { nuclearMedicineRoutes } from './nuclear-medicine/index.ts';
import { organisationRoutes } from './organisation/index.ts';
import { patientRoutes } from './patients/index.ts';
import {
  compoundingRoutes,
  pharmacyReferentialRoutes,
  prescriptionRoutes,
  productionRoutes,
} from './pharmacy/index.ts';
import type { ModuleDeps } from './types.ts';

export type { ModuleDeps, OidcDriver } from './types.ts';

/** Every feature module's routes, mounted under /api/v1. */
export async function registerModules(api: FastifyInstance, deps: ModuleDeps): Promise<void> {
  identityRoutes(api, deps);
  oidcRoutes(api, deps);
  adminRoutes(api, deps);
  patientRoutes(api, deps);
  organisationRoutes(api, deps);
  auditRoutes(api, deps);
  jobsRoutes(api, deps);
  metaRoutes(api, deps);
  pharmacyReferentialRoutes(api, deps);
  prescriptionRoutes(api, deps);
  oralPathwayRoutes(api, deps);
  nuclearMedicineRoutes(api, deps);
  compoundingRoutes(api, deps);
  productionRoutes(api, deps);
}
