import type { Kysely } from 'kysely';
import { appendAudit } from '../../core/audit.ts';
import type { DB } from '../../core/db/index.ts';
import { AppError } from '../../core/errors.ts';
import { randomIds, type IdGenerator } from '../../core/ids.ts';
import { hashPassword } from '../identity/index.ts';
import { seedOralPathwayDemoForSystem } from '../oral-pathway/index.ts';
import { flagDuplicatesForSystem } from '../patients/index.ts';
import {
  DEMO_REFERENTIAL,
  demoPharmacySettings,
  insertPharmacySettingsForSystem,
  loadReferentialForSystem,
  seedCompoundingDemoForSystem,
  seedProductionDemoForSystem,
} from '../pharmacy/index.ts';
import { DEMO_PASSWORD, DEMO_SLUG } from './demo-data.ts';
import * as repo from './demo.repository.ts';
import { seedDemoNuclearMedicine } from './nuclear-medicine.ts';
import { generateDemo } from './generate.ts';

export const DEFAULT_DEMO_PATIENTS = 2000;
export const DEFAULT_DEMO_SEED = 20_260_401;

export interface SeedDemoOptions {
  /** Reference date: ages, care periods and the audit event are relative to it. */
  now: Date;
  /** Number of patients, near-duplicates included (default 2,000). */
  patients?: number;
  /** Seed of the generator: the same seed gives the same organisation and patients. */
  seed?: number;
  /** Cooperation slug (default `demo`); tests use their own so they never meet a real demo. */
  slug?: string;
  /** Appended to every demo username, which must be unique across the database (tests). */
  usernameSuffix?: string;
  /** Row ids; random UUIDs unless given. */
  ids?: IdGenerator;
}

export interface DemoSeedSummary {
  cooperationId: string;
  slug: string;
  establishments: number;
  sites: number;
  units: number;
  professionals: number;
  users: number;
  memberships: number;
  patients: number;
  patientIdentifiers: number;
  careRelationships: number;
  nearDuplicatePairs: [string, string][];
  accounts: { username: string; role: string; establishment: string }[];
}

/** Whether the demo cooperation (or the one with `slug`) has been loaded. */
export async function demoExists(db: Kysely<DB>, slug: string = DEMO_SLUG): Promise<boolean> {
  return (await repo.findCooperationBySlugForSystem(db, slug)) !== undefined;
}

/**
 * Loads the demo cooperation in one transaction: organisation, professionals, one account per role (all
 * with {@link DEMO_PASSWORD}) and synthetic patients with identifiers and care relationships.
 *
 * Refuses (`CONFLICT`) when a cooperation with the slug exists or a demo username is taken, so running it
 * twice changes nothing. Near-duplicates are flagged by the patients module's bulk scan, as any bulk
 * load would be.
 */
export async function seedDemo(db: Kysely<DB>, options: SeedDemoOptions): Promise<DemoSeedSummary> {
  const patients = options.patients ?? DEFAULT_DEMO_PATIENTS;
  if (!Number.isInteger(patients) || patients < 0 || patients > 100_000) {
    throw new AppError('VALIDATION_FAILED', 'The demo patient count must be an integer between 0 and 100,000');
  }
  const slug = options.slug ?? DEMO_SLUG;
  const ids = options.ids ?? randomIds;
  // Hash once, before the transaction: argon2id is deliberately slow and every demo account shares it.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const rows = generateDemo({
    seed: options.seed ?? DEFAULT_DEMO_SEED,
    now: options.now,
    patients,
    slug,
    usernameSuffix: options.usernameSuffix ?? '',
    passwordHash,
    ids,
  });

  await db.transaction().execute(async (trx) => {
    if (await repo.findCooperationBySlugForSystem(trx, slug)) {
      throw new AppError('CONFLICT', `A cooperation with the slug "${slug}" already exists`);
    }
    const taken = await repo.existingUsernamesForSystem(
      trx,
      rows.users.map((u) => u.username),
    );
    if (taken.length > 0) throw new AppError('CONFLICT', `Demo usernames already exist: ${taken.join(', ')}`);

    await trx.insertInto('cooperations').values(rows.cooperation).execute();
    await repo.insertInBatchesForSystem(trx, 'establishments', rows.establishments);
    await repo.insertInBatchesForSystem(trx, 'sites', rows.sites);
    await repo.insertInBatchesForSystem(trx, 'units', rows.units);
    await repo.insertInBatchesForSystem(trx, 'professionals', rows.professionals);
    await repo.insertInBatchesForSystem(trx, 'users', rows.users);
    await repo.insertInBatchesForSystem(trx, 'memberships', rows.memberships);
    await repo.insertInBatchesForSystem(trx, 'role_policies', rows.rolePolicies);
    await repo.insertInBatchesForSystem(trx, 'patients', rows.patients);
    await repo.insertInBatchesForSystem(trx, 'patient_identifiers', rows.identifiers);
    await repo.insertInBatchesForSystem(trx, 'care_relationships', rows.careRelationships);
    // The same scan any bulk load gets, so identity vigilance has the near-duplicates to review.
    const identityAlerts = await flagDuplicatesForSystem(trx, rows.cooperation.id, options.now, ids);
    // The shared pharmacy's referential and settings: the establishment holding the pharmacy unit runs it.
    const pharmacyUnit = rows.units.find((u) => u.kind === 'pharmacy');
    if (!pharmacyUnit) throw new Error('The demo organisation has no pharmacy unit');
    const referential = await loadReferentialForSystem(trx, {
      cooperationId: rows.cooperation.id,
      referential: DEMO_REFERENTIAL,
      now: options.now,
      ids,
    });
    await insertPharmacySettingsForSystem(trx, {
      cooperationId: rows.cooperation.id,
      settings: demoPharmacySettings(pharmacyUnit.establishment_id),
      now: options.now,
    });
    // The oral anticancer pathway: directory and patients at every stage.
    const oralTreatments = await seedOralPathwayDemoForSystem(trx, {
      cooperationId: rows.cooperation.id,
      now: options.now,
      ids,
    });
    // The shared nuclear-medicine department (issue 6).
    const nuclearMedicine = await seedDemoNuclearMedicine(trx, rows, {
      now: options.now,
      ids,
      seed: options.seed ?? DEFAULT_DEMO_SEED,
    });
    // Compounding (issue 4): isolators, vial stock, today's preparations to compound, two months of history.
    const compounding = await seedCompoundingDemoForSystem(trx, {
      cooperationId: rows.cooperation.id,
      now: options.now,
      ids,
      seed: options.seed ?? DEFAULT_DEMO_SEED,
    });
    // Production planning (issue 5): today's technicians on shift and each patient's chair time.
    const production = await seedProductionDemoForSystem(trx, {
      cooperationId: rows.cooperation.id,
      now: options.now,
      ids,
    });
    // One event for the load: counts only, never patient data.
    await appendAudit(
      trx,
      {
        cooperationId: rows.cooperation.id,
        occurredAt: options.now,
        actorUserId: null,
        actorEstablishmentId: null,
        actorLabel: 'system:demo-seed',
        action: 'demo.seed',
        outcome: 'success',
        resourceType: 'cooperation',
        resourceId: rows.cooperation.id,
        details: {
          establishments: rows.establishments.length,
          users: rows.users.length,
          patients: rows.patients.length,
          careRelationships: rows.careRelationships.length,
          identityAlerts,
          regimens: Object.keys(referential.regimenIds).length,
          oralTreatments,
          nuclearMedicine,
          compounding: {
            readyToCompound: compounding.readyToCompound,
            historyPreparations: compounding.historyPreparations,
          },
          production,
        },
      },
      ids,
    );
  });

  return {
    cooperationId: rows.cooperation.id,
    slug,
    establishments: rows.establishments.length,
    sites: rows.sites.length,
    units: rows.units.length,
    professionals: rows.professionals.length,
    users: rows.users.length,
    memberships: rows.memberships.length,
    patients: rows.patients.length,
    patientIdentifiers: rows.identifiers.length,
    careRelationships: rows.careRelationships.length,
    nearDuplicatePairs: rows.nearDuplicatePairs,
    accounts: rows.accounts,
  };
}
