import { parisDate } from '../../core/clock.ts';
import type { Tx } from '../../core/db/index.ts';
import type { IdGenerator } from '../../core/ids.ts';
import { seedNuclearMedicineForSystem, type NmSeedSummary } from '../nuclear-medicine/index.ts';
import { DEMO_USERS, establishmentByKey } from './demo-data.ts';
import type { DemoRows } from './generate.ts';

/**
 * The demo's shared nuclear-medicine department, built from the generated organisation: the hospital (CH
 * Montrivière) and the private clinic share it; its physicians, radiographers and secretaries are the demo's
 * nuclear-medicine professionals, the demo physician account among the hospital physicians and the demo
 * secretary among the department's secretaries; the patients booked are those in the department's care.
 */
export function seedDemoNuclearMedicine(
  trx: Tx,
  rows: DemoRows,
  options: { now: Date; ids: IdGenerator; seed: number },
): Promise<NmSeedSummary> {
  const establishmentId = (key: 'ch' | 'clinic') => {
    const finess = establishmentByKey(key).finess;
    const found = rows.establishments.find((e) => e.finess === finess);
    if (!found) throw new Error(`The demo has no establishment ${key}`);
    return found.id!;
  };
  const nuclearUnit = rows.units.find((u) => u.kind === 'nuclear_medicine');
  if (!nuclearUnit) throw new Error('The demo organisation has no nuclear-medicine unit');
  const userOfProfessional = new Map(
    rows.users.filter((u) => u.professional_id).map((u) => [u.professional_id!, u.id!]),
  );
  const demoUserProfessional = (role: string) => {
    const username = DEMO_USERS.find((u) => u.role === role)!.username;
    const user = rows.users.find((u) => u.username.startsWith(username) && u.professional_id);
    return user?.professional_id ?? null;
  };
  const person = (p: DemoRows['professionals'][number]) => ({
    professionalId: p.id!,
    displayName: `${p.profession === 'physician' ? 'Dr ' : ''}${p.first_name} ${p.last_name}`,
    userId: userOfProfessional.get(p.id!) ?? null,
  });
  const physicianAccount = demoUserProfessional('nuclear_medicine_physician');
  const secretaryAccount = demoUserProfessional('medical_secretary');
  const nmPhysicians = rows.professionals
    .filter((p) => p.profession === 'physician' && p.specialty === 'nuclear_medicine')
    .sort((a, b) => Number(b.id === physicianAccount) - Number(a.id === physicianAccount));
  const nmSecretaries = rows.professionals.filter(
    (p) => p.profession === 'medical_secretary' && (p.specialty === 'nuclear_medicine' || p.id === secretaryAccount),
  );
  nmSecretaries.sort((a, b) => Number(b.id === secretaryAccount) - Number(a.id === secretaryAccount));
  const today = parisDate(options.now);
  const patientIds = [
    ...new Set(
      rows.careRelationships
        .filter(
          (c) =>
            c.establishment_id === nuclearUnit.establishment_id &&
            c.unit_id === nuclearUnit.id &&
            String(c.starts_on) <= today &&
            (c.ends_on == null || String(c.ends_on) >= today),
        )
        .map((c) => c.patient_id),
    ),
  ];
  return seedNuclearMedicineForSystem(trx, {
    cooperationId: rows.cooperation.id!,
    now: options.now,
    ids: options.ids,
    seed: options.seed,
    establishments: { public: establishmentId('ch'), private: establishmentId('clinic') },
    physicians: { public: nmPhysicians.slice(0, 4).map(person), private: nmPhysicians.slice(4, 9).map(person) },
    radiographers: rows.professionals
      .filter((p) => p.profession === 'radiographer' && p.specialty === 'nuclear_medicine')
      .map(person),
    secretaries: {
      department: nmSecretaries.slice(0, nmSecretaries.length - 4).map(person),
      private: nmSecretaries.slice(nmSecretaries.length - 4).map(person),
    },
    patientIds,
  });
}
