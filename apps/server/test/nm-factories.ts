import type { Database } from '../src/core/db/index.ts';
import { randomIds } from '../src/core/ids.ts';
import { seedNuclearMedicineForSystem, type NmSeedSummary } from '../src/modules/nuclear-medicine/index.ts';
import type { TestCooperation } from './factories.ts';

export interface TestNuclearMedicine {
  summary: NmSeedSummary;
  sectors: { public: string; private: string };
  equipment: Record<string, { id: string; type: string }>;
  physicians: { id: string; sectorId: string; displayName: string }[];
  examTypes: Record<string, string>;
  /** Patients in care at establishment a (public sector) and b (private sector). */
  patients: { a: string[]; b: string[] };
}

/**
 * Gives a test cooperation the demo nuclear-medicine department (the real seeding function): establishment a is
 * the public sector, b the private one; sessions for the last three months and this one, acts, bookings.
 */
export async function setupNuclearMedicine(coop: TestCooperation, database: Database): Promise<TestNuclearMedicine> {
  const patients = {
    a: [
      await coop.patient({ birthName: 'SCINTI', careAt: ['a'] }),
      await coop.patient({ birthName: 'TEPA', careAt: ['a'] }),
    ],
    b: [await coop.patient({ birthName: 'LIBERAL', careAt: ['b'] })],
  };
  const person = (name: string) => ({ professionalId: null, displayName: name, userId: null });
  const now = new Date();
  const summary = await database.db.transaction().execute((trx) =>
    seedNuclearMedicineForSystem(trx, {
      cooperationId: coop.cooperationId,
      now,
      ids: randomIds,
      seed: 7,
      establishments: { public: coop.establishments.a, private: coop.establishments.b },
      physicians: {
        public: ['Dr Alpha', 'Dr Bravo', 'Dr Charlie', 'Dr Delta'].map(person),
        private: ['Dr Echo', 'Dr Foxtrot', 'Dr Golf', 'Dr Hotel', 'Dr India'].map(person),
      },
      radiographers: ['Manip Un', 'Manip Deux'].map(person),
      secretaries: { department: ['Secrétaire GCS'].map(person), private: ['Secrétaire Clinique'].map(person) },
      patientIds: [...patients.a, ...patients.b],
    }),
  );
  const db = database.db;
  const coopId = coop.cooperationId;
  const sectors = await db
    .selectFrom('nm_sectors')
    .select(['id', 'code'])
    .where('cooperation_id', '=', coopId)
    .execute();
  const equipment = await db
    .selectFrom('nm_equipment')
    .select(['id', 'code', 'type'])
    .where('cooperation_id', '=', coopId)
    .execute();
  const physicians = await db
    .selectFrom('nm_staff')
    .select(['id', 'sector_id', 'display_name'])
    .where('cooperation_id', '=', coopId)
    .where('kind', '=', 'physician')
    .orderBy('display_name')
    .execute();
  const exams = await db
    .selectFrom('nm_exam_types')
    .select(['id', 'code'])
    .where('cooperation_id', '=', coopId)
    .execute();
  return {
    summary,
    sectors: {
      public: sectors.find((s) => s.code === 'public')!.id,
      private: sectors.find((s) => s.code === 'private')!.id,
    },
    equipment: Object.fromEntries(equipment.map((e) => [e.code, { id: e.id, type: e.type }])),
    physicians: physicians.map((p) => ({ id: p.id, sectorId: p.sector_id!, displayName: p.display_name })),
    examTypes: Object.fromEntries(exams.map((x) => [x.code, x.id])),
    patients,
  };
}
