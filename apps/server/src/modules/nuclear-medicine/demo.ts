import type { Insertable } from 'kysely';
import { parisDate } from '../../core/clock.ts';
import type { DB, Tx } from '../../core/db/index.ts';
import type { IdGenerator } from '../../core/ids.ts';
import { prescribedActivity } from './activity.ts';
import { addDays, addMonths, datesFrom, isoWeekday, monthBounds } from './calendar.ts';
import { SessionAllocator } from './fair-share.ts';

/**
 * The demo department (PRODUCT.md, system 2): 4 gamma cameras and 2 PET-CT, a hospital and a private sector
 * sharing sessions 50/50, 9 physicians (4 hospital, 5 private), radiographers and secretaries, the sessions of
 * the last three months and of this month, acts valued at demo tariffs, and bookings for the coming days.
 *
 * Exam parameters come from REFERENCE §8 where it has them (FDG 3 MBq/kg up to 370 MBq, 60 min uptake;
 * ⁹⁹ᵐTc bone scintigraphy 740–925 MBq, images at 2–4 h); the others, the CCAM codes other than ZZQL016 and every
 * tariff are **configurable demo values**, not official figures: each cooperation sets its own.
 */

export interface NmSeedPerson {
  professionalId: string | null;
  displayName: string;
  userId: string | null;
}

export interface NmSeedInput {
  cooperationId: string;
  now: Date;
  ids: IdGenerator;
  seed: number;
  /** The public hospital and the private clinic whose physicians share the department. */
  establishments: { public: string; private: string };
  /** Four hospital physicians, then five private ones. */
  physicians: { public: NmSeedPerson[]; private: NmSeedPerson[] };
  radiographers: NmSeedPerson[];
  /** Department secretaries (no sector) and the private clinic's secretaries. */
  secretaries: { department: NmSeedPerson[]; private: NmSeedPerson[] };
  /** Patients in the department's care today, to book. */
  patientIds: string[];
}

export interface NmSeedSummary {
  equipment: number;
  physicians: number;
  sessions: number;
  acts: number;
  bookings: number;
}

const OPENING = JSON.stringify({ weekdays: [1, 2, 3, 4, 5], am: [480, 780], pm: [810, 1110] });

export const DEMO_EXAM_TYPES = [
  {
    code: 'fdg_pet',
    name_fr: 'TEP au ¹⁸F-FDG',
    name_en: '¹⁸F-FDG PET',
    equipment_type: 'pet_ct' as const,
    duration_min: 20,
    preparation_fr: 'À jeun depuis au moins 4 h, bonne hydratation, pas de boisson sucrée ; glycémie contrôlée.',
    preparation_en: 'Fasting for at least 4 h, well hydrated, no sugary drinks; blood glucose checked.',
    radiopharmaceutical: '¹⁸F-FDG',
    nuclide: 'F18',
    mbq_per_kg: 3,
    min_mbq: 150,
    max_mbq: 370,
    uptake_min: 60,
    ccam_code: 'ZZQL016',
  },
  {
    code: 'psma_pet',
    name_fr: 'TEP au ⁶⁸Ga-PSMA-11',
    name_en: '⁶⁸Ga-PSMA-11 PET',
    equipment_type: 'pet_ct' as const,
    duration_min: 20,
    preparation_fr: 'Pas de jeûne ; hydratation, miction avant l’examen.',
    preparation_en: 'No fasting; hydration, void before the scan.',
    radiopharmaceutical: '⁶⁸Ga-PSMA-11',
    nuclide: 'Ga68',
    mbq_per_kg: 2,
    min_mbq: 100,
    max_mbq: 250,
    uptake_min: 60,
    ccam_code: 'ZZQL016',
  },
  {
    code: 'bone_scan',
    name_fr: 'Scintigraphie osseuse',
    name_en: 'Bone scintigraphy',
    equipment_type: 'gamma_camera' as const,
    duration_min: 30,
    preparation_fr: 'Pas de jeûne ; boire abondamment entre l’injection et les images tardives.',
    preparation_en: 'No fasting; drink plenty between the injection and the delayed images.',
    radiopharmaceutical: '⁹⁹ᵐTc-HDP',
    nuclide: 'Tc99m',
    mbq_per_kg: null,
    min_mbq: 740,
    max_mbq: 925,
    uptake_min: 150,
    ccam_code: 'PAQL002',
  },
  {
    code: 'myocardial_perfusion',
    name_fr: 'Scintigraphie de perfusion myocardique',
    name_en: 'Myocardial perfusion imaging',
    equipment_type: 'gamma_camera' as const,
    duration_min: 30,
    preparation_fr: 'À jeun ; arrêt des bêtabloquants et de la caféine selon la prescription.',
    preparation_en: 'Fasting; beta-blockers and caffeine stopped as prescribed.',
    radiopharmaceutical: '⁹⁹ᵐTc-sestamibi',
    nuclide: 'Tc99m',
    mbq_per_kg: null,
    min_mbq: 300,
    max_mbq: 400,
    uptake_min: 45,
    ccam_code: 'DAQL009',
  },
  {
    code: 'thyroid_scan',
    name_fr: 'Scintigraphie thyroïdienne',
    name_en: 'Thyroid scintigraphy',
    equipment_type: 'gamma_camera' as const,
    duration_min: 20,
    preparation_fr: 'Pas d’injection de produit iodé dans le mois précédent.',
    preparation_en: 'No iodinated contrast in the previous month.',
    radiopharmaceutical: '⁹⁹ᵐTc-pertechnétate',
    nuclide: 'Tc99m',
    mbq_per_kg: null,
    min_mbq: 74,
    max_mbq: 185,
    uptake_min: 20,
    ccam_code: 'KCQL003',
  },
];

/** Demo tariffs (EUR): illustrative values to be replaced by the cooperation's own, flagged as such. */
export const DEMO_TARIFFS = [
  { ccam_code: 'ZZQL016', label: 'Tomographie par émission de positons (TEP) corps entier', tariff_eur: 400 },
  { ccam_code: 'PAQL002', label: 'Scintigraphie osseuse du corps entier', tariff_eur: 180 },
  { ccam_code: 'DAQL009', label: 'Tomoscintigraphie de perfusion myocardique', tariff_eur: 290 },
  { ccam_code: 'KCQL003', label: 'Scintigraphie de la thyroïde', tariff_eur: 95 },
];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function insertChunks<T extends keyof DB & string>(trx: Tx, table: T, rows: Insertable<DB[T]>[]) {
  for (let i = 0; i < rows.length; i += 400) {
    await trx
      .insertInto(table)
      .values(rows.slice(i, i + 400) as never)
      .execute();
  }
}

/** Loads the demo department into an existing cooperation, inside the seed's transaction. */
export async function seedNuclearMedicineForSystem(trx: Tx, input: NmSeedInput): Promise<NmSeedSummary> {
  const { cooperationId: coop, ids, now } = input;
  const random = rng(input.seed);
  const today = parisDate(now);
  const thisMonth = today.slice(0, 7);
  const firstMonth = addMonths(thisMonth, -3);
  const start = monthBounds(firstMonth).first;

  const sectors = {
    public: {
      id: ids.uuid(),
      code: 'public',
      name: 'Secteur hospitalier',
      establishment_id: input.establishments.public,
    },
    private: {
      id: ids.uuid(),
      code: 'private',
      name: 'Secteur libéral',
      establishment_id: input.establishments.private,
    },
  };
  await trx
    .insertInto('nm_sectors')
    .values([
      { ...sectors.public, cooperation_id: coop, position: 1 },
      { ...sectors.private, cooperation_id: coop, position: 2 },
    ])
    .execute();

  const equipment = [
    ...[1, 2, 3, 4].map((n) => ({ code: `GC${n}`, name: `Gamma-caméra ${n}`, type: 'gamma_camera' as const })),
    ...[1, 2].map((n) => ({ code: `TEP${n}`, name: `TEP-TDM ${n}`, type: 'pet_ct' as const })),
  ].map((e) => ({ ...e, id: ids.uuid(), cooperation_id: coop, opening: OPENING }));
  await trx.insertInto('nm_equipment').values(equipment).execute();

  const staffRow = (p: NmSeedPerson, kind: 'physician' | 'radiographer' | 'secretary', sectorId: string | null) => ({
    id: ids.uuid(),
    cooperation_id: coop,
    kind,
    sector_id: sectorId,
    display_name: p.displayName,
    user_id: p.userId,
    professional_id: p.professionalId,
  });
  const physicians = [
    ...input.physicians.public.map((p) => staffRow(p, 'physician', sectors.public.id)),
    ...input.physicians.private.map((p) => staffRow(p, 'physician', sectors.private.id)),
  ];
  await insertChunks(trx, 'nm_staff', [
    ...physicians,
    ...input.radiographers.map((p) => staffRow(p, 'radiographer', null)),
    ...input.secretaries.department.map((p) => staffRow(p, 'secretary', null)),
    ...input.secretaries.private.map((p) => staffRow(p, 'secretary', sectors.private.id)),
  ]);

  await trx
    .insertInto('nm_share_agreements')
    .values({
      id: ids.uuid(),
      cooperation_id: coop,
      equipment_type: null,
      valid_from: start,
      shares: JSON.stringify([
        { sectorId: sectors.public.id, share: 0.5 },
        { sectorId: sectors.private.id, share: 0.5 },
      ]),
      reason: 'Convention constitutive du GCS : partage des vacations à parts égales',
      created_at: now,
    })
    .execute();
  await trx
    .insertInto('nm_tariffs')
    .values(
      DEMO_TARIFFS.map((t) => ({ ...t, id: ids.uuid(), cooperation_id: coop, demo_value: true, updated_at: now })),
    )
    .execute();
  const examTypes = DEMO_EXAM_TYPES.map((x) => ({ ...x, id: ids.uuid(), cooperation_id: coop }));
  await trx.insertInto('nm_exam_types').values(examTypes).execute();
  const tariff = new Map(DEMO_TARIFFS.map((t) => [t.ccam_code, t.tariff_eur]));

  // Closures and absences: one past maintenance, one ahead; two physicians away for a week.
  const closures = [
    { equipment: equipment[2]!, from: addDays(start, 40), days: 2, reason: 'Maintenance préventive du détecteur' },
    { equipment: equipment[5]!, from: addDays(today, 9), days: 0, reason: 'Contrôle qualité annuel' },
  ].map((c) => ({
    id: ids.uuid(),
    cooperation_id: coop,
    equipment_id: c.equipment.id,
    starts_on: c.from,
    ends_on: addDays(c.from, c.days),
    reason: c.reason,
    created_at: now,
  }));
  await trx.insertInto('nm_closures').values(closures).execute();
  const absences = [
    { staff: physicians[1]!, from: addDays(start, 20), days: 6, reason: 'Congés' },
    { staff: physicians[6]!, from: addDays(start, 55), days: 4, reason: 'Congrès' },
  ].map((a) => ({
    id: ids.uuid(),
    cooperation_id: coop,
    staff_id: a.staff.id,
    starts_on: a.from,
    ends_on: addDays(a.from, a.days),
    reason: a.reason,
    created_at: now,
  }));
  await trx.insertInto('nm_absences').values(absences).execute();

  // Sessions from the first month to the end of this one, by the fair-share rule; in the second month the
  // private sector took over a few hospital half-days (a hospital physician's leave), so the counter shows a
  // deviation that next month's proposal brings back.
  const sessions: Insertable<DB['nm_sessions']>[] = [];
  const busy = new Set<string>();
  const load = new Map<string, number>();
  const lastDay = monthBounds(thisMonth).last;
  const swapMonth = addMonths(firstMonth, 1);
  let swaps = 0;
  for (const type of ['gamma_camera', 'pet_ct'] as const) {
    const machines = equipment.filter((e) => e.type === type);
    const allocator = new SessionAllocator([
      { id: sectors.public.id, share: 1 },
      { id: sectors.private.id, share: 1 },
    ]);
    for (const date of datesFrom(start, lastDay)) {
      if (isoWeekday(date) > 5) continue;
      for (const half of ['am', 'pm'] as const) {
        for (const m of machines) {
          if (closures.some((c) => c.equipment_id === m.id && c.starts_on <= date && c.ends_on >= date)) continue;
          const free = (sectorId: string) =>
            physicians
              .filter(
                (p) =>
                  p.sector_id === sectorId &&
                  !busy.has(`${p.id}|${date}|${half}`) &&
                  !absences.some((a) => a.staff_id === p.id && a.starts_on <= date && a.ends_on >= date),
              )
              .sort((a, b) => (load.get(a.id) ?? 0) - (load.get(b.id) ?? 0));
          let sectorId = allocator.ranking()[0]!;
          let manual: string | null = null;
          if (sectorId === sectors.public.id && date.startsWith(swapMonth) && swaps < 8 && random() < 0.12) {
            sectorId = sectors.private.id;
            manual = 'Remplacement : vacation hospitalière reprise par le secteur libéral';
            swaps += 1;
          }
          if (free(sectorId).length === 0) sectorId = allocator.ranking().find((id) => free(id).length > 0) ?? sectorId;
          const physician = free(sectorId)[0];
          if (!physician) continue;
          allocator.fixed(sectorId);
          busy.add(`${physician.id}|${date}|${half}`);
          load.set(physician.id, (load.get(physician.id) ?? 0) + 1);
          sessions.push({
            id: ids.uuid(),
            cooperation_id: coop,
            equipment_id: m.id,
            session_date: date,
            half_day: half,
            sector_id: sectorId,
            physician_id: physician.id,
            origin: manual ? 'manual' : 'proposal',
            change_reason: manual,
            created_at: now,
            updated_at: now,
          });
        }
      }
    }
  }
  await insertChunks(trx, 'nm_sessions', sessions);

  // Acts of the sessions already held (history: entered without a booking).
  const machineOf = new Map(equipment.map((e) => [e.id, e]));
  const acts: Insertable<DB['nm_acts']>[] = [];
  for (const s of sessions) {
    if (s.session_date >= today) continue;
    const type = machineOf.get(s.equipment_id)!.type;
    const choices = examTypes.filter((x) => x.equipment_type === type);
    const n = type === 'pet_ct' ? 6 + Math.floor(random() * 4) : 4 + Math.floor(random() * 4);
    for (let i = 0; i < n; i++) {
      const exam = type === 'pet_ct' && random() < 0.85 ? choices[0]! : choices[Math.floor(random() * choices.length)]!;
      acts.push({
        id: ids.uuid(),
        cooperation_id: coop,
        booking_id: null,
        session_id: s.id!,
        sector_id: s.sector_id,
        physician_id: s.physician_id,
        equipment_type: type,
        performed_on: s.session_date,
        ccam_code: exam.ccam_code,
        value_eur: tariff.get(exam.ccam_code) ?? 0,
        created_at: now,
      });
    }
  }
  await insertChunks(trx, 'nm_acts', acts);

  // Bookings for today and the next three working days: FDG PET mornings and afternoons, bone scans.
  const bookings: Insertable<DB['nm_bookings']>[] = [];
  const fdg = examTypes[0]!;
  const bone = examTypes[2]!;
  let patientIndex = 0;
  const nextPatient = () => input.patientIds[patientIndex++ % Math.max(1, input.patientIds.length)]!;
  const bookingDays = datesFrom(today, addDays(today, 6))
    .filter((d) => isoWeekday(d) <= 5)
    .slice(0, 4);
  if (input.patientIds.length > 0) {
    for (const s of sessions.filter((x) => bookingDays.includes(x.session_date))) {
      const type = machineOf.get(s.equipment_id)!.type;
      const base = s.half_day === 'am' ? 480 : 810;
      const count = type === 'pet_ct' ? 6 : 2;
      for (let i = 0; i < count; i++) {
        const exam = type === 'pet_ct' ? fdg : bone;
        const weight = Math.round(55 + random() * 45);
        bookings.push({
          id: ids.uuid(),
          cooperation_id: coop,
          session_id: s.id!,
          patient_id: nextPatient(),
          exam_type_id: exam.id,
          start_min: base + i * (type === 'pet_ct' ? 25 : 40),
          duration_min: exam.duration_min,
          weight_kg: type === 'pet_ct' ? weight : null,
          prescribed_mbq: prescribedActivity(
            { mbqPerKg: exam.mbq_per_kg, minMBq: exam.min_mbq, maxMBq: exam.max_mbq },
            type === 'pet_ct' ? weight : null,
          ),
          diabetic: type === 'pet_ct' && random() < 0.12,
          booking_establishment_id: null,
          created_at: now,
          updated_at: now,
        });
      }
    }
  }
  await insertChunks(trx, 'nm_bookings', bookings);

  return {
    equipment: equipment.length,
    physicians: physicians.length,
    sessions: sessions.length,
    acts: acts.length,
    bookings: bookings.length,
  };
}
