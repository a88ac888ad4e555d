import type { Insertable } from 'kysely';
import { parisDate } from '../../../core/clock.ts';
import type { DB, Tx } from '../../../core/db/index.ts';
import type { IdGenerator } from '../../../core/ids.ts';
import {
  computePrescription,
  toDosingLine,
  type DosingRegimen,
  type DosingRegimenLine,
} from '../prescriptions/index.ts';
import { getPharmacySettings } from '../referential/index.ts';
import * as demoRepo from './compounding-demo.repository.ts';
import * as repo from './compounding.repository.ts';
import { computePlan } from './plan-input.ts';

/*
 * Demo content for compounding, so that a technician logging in on the demo finds the day's work and a manager
 * finds history: isolators, vial stock with GS1 GTINs ('0' + CIP13) and lots (one expired, to see a blocked scan),
 * a few opened vials (reliquats), today's validated prescriptions with the green light (preparations ready to
 * compound), and two months of administered preparations with their scans, weighings, delivery notes and
 * transitions (recall and activity have real content). Deterministic for a given seed, apart from row ids.
 */

export interface CompoundingDemoSummary {
  isolators: number;
  drugLots: number;
  reliquats: number;
  readyToCompound: number;
  historyPreparations: number;
  /** A lot that history used a lot: try it in the recall screen. */
  recallExample: { lot: string; gtin: string } | null;
}

const TODAY_REGIMENS = ['MFOLFOX6', 'CARBO-PACLI', 'GEM1000', 'DOCE75', 'PACLI-W80', 'AC60-600', 'FOLFIRI', 'EC90-600'];
const HISTORY_DAYS = 60;
const DAY_MS = 86_400_000;

function random(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)) };
}

const isoDay = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
/** A Paris wall-clock time on `date`, minutes may run past 59 (winter or summer: the offset is read from the zone). */
function parisTime(date: string, hour: number, minute: number): Date {
  const guess = new Date(`${date}T${String(hour).padStart(2, '0')}:00:00Z`);
  const shown = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', hour12: false }).format(
    guess,
  );
  return new Date(guess.getTime() - (Number(shown) - hour) * 3_600_000 + minute * 60_000);
}

/** Lot numbers as suppliers print them: letters of the product, year, a sequence. */
const lotOf = (code: string, year: number, suffix: string) =>
  `${code
    .replace(/[^a-z0-9]/gi, '')
    .slice(0, 4)
    .toUpperCase()}${String(year).slice(2)}${suffix}`;

/**
 * Loads the compounding demo into the cooperation being seeded (in the seed's transaction). Needs the pharmacy
 * settings, the referential and the organisation already loaded.
 */
export async function seedCompoundingDemoForSystem(
  trx: Tx,
  input: { cooperationId: string; now: Date; ids: IdGenerator; seed?: number },
): Promise<CompoundingDemoSummary> {
  const { cooperationId, now, ids } = input;
  const rnd = random(input.seed ?? 20_261_123);
  const today = parisDate(now);
  const settings = await getPharmacySettings(trx, cooperationId);
  const pharmacyId = settings.pharmacyEstablishmentId;
  if (!pharmacyId) throw new Error('The demo pharmacy is not configured');
  const scope = { cooperationId, establishmentId: pharmacyId };

  const staff = await demoRepo.listDemoUsersByRoleForSystem(trx, cooperationId, pharmacyId);
  const pick = (role: string, preferred: string) =>
    staff.find((u) => u.role === role && u.username.startsWith(preferred)) ?? staff.find((u) => u.role === role);
  const pharmacist = pick('pharmacist', 'pharmacien');
  const technician = pick('pharmacy_technician', 'preparateur');
  if (!pharmacist || !technician) throw new Error('The demo pharmacy has no pharmacist or technician');
  const technicians = staff.filter((u) => u.role === 'pharmacy_technician');

  // --- isolators --------------------------------------------------------------------------------------------
  const isolators: Insertable<DB['isolators']>[] = [
    { code: 'ISO-1', label: 'Isolateur 1 — cytotoxiques', dedicated_family: 'cytotoxic' as const },
    { code: 'ISO-2', label: 'Isolateur 2 — cytotoxiques', dedicated_family: 'cytotoxic' as const },
    { code: 'ISO-3', label: 'Isolateur 3 — anticorps monoclonaux', dedicated_family: 'monoclonal_antibody' as const },
  ].map((i) => ({
    id: ids.uuid(),
    cooperation_id: cooperationId,
    establishment_id: pharmacyId,
    created_at: now,
    ...i,
  }));
  await demoRepo.insertRowsForSystem(trx, 'isolators', isolators);

  // --- vial stock ---------------------------------------------------------------------------------------------
  const year = Number(today.slice(0, 4));
  const presentations = (await demoRepo.listPresentationsForSystem(trx, cooperationId)).filter((p) => p.cip13);
  const lots: Insertable<DB['drug_lots']>[] = [];
  const currentLot = new Map<string, { lot: string; gtin: string; expiry: string }>();
  const olderLot = new Map<string, { lot: string; gtin: string; expiry: string }>();
  for (const p of presentations) {
    const gtin = `0${p.cip13}`;
    const current = { lot: lotOf(p.code, year, 'A17'), gtin, expiry: isoDay(today, 300 + rnd.int(0, 200)) };
    const older = { lot: lotOf(p.code, year - 1, 'K03'), gtin, expiry: isoDay(today, 45 + rnd.int(0, 60)) };
    const expired = { lot: lotOf(p.code, year - 2, 'E09'), gtin, expiry: isoDay(today, -rnd.int(5, 40)) };
    currentLot.set(p.id, current);
    olderLot.set(p.id, older);
    for (const [l, quantity] of [
      [current, 60],
      [older, 12],
      [expired, 2],
    ] as const) {
      lots.push({
        id: ids.uuid(),
        cooperation_id: cooperationId,
        establishment_id: pharmacyId,
        presentation_id: p.id,
        gtin: l.gtin,
        lot: l.lot,
        expiry: l.expiry,
        quantity,
        received_at: new Date(now.getTime() - 20 * DAY_MS),
      });
    }
  }
  await demoRepo.insertRowsForSystem(trx, 'drug_lots', lots);

  // --- regimens for dosing -------------------------------------------------------------------------------------
  const regimens = await demoRepo.listRegimensForSystem(trx, cooperationId, TODAY_REGIMENS);
  const regimenLines = await demoRepo.listRegimenLinesForSystem(
    trx,
    cooperationId,
    regimens.map((r) => r.id),
  );
  const dosing = new Map<string, { regimen: DosingRegimen; lines: DosingRegimenLine[] }>();
  for (const r of regimens) {
    dosing.set(r.code, {
      regimen: {
        id: r.id,
        code: r.code,
        version: r.version,
        name: r.name,
        cycleLengthDays: r.cycle_length_days,
        cycles: r.cycles,
      },
      lines: regimenLines.filter((l) => l.regimen_id === r.id).map(toDosingLine),
    });
  }
  const codes = TODAY_REGIMENS.filter((c) => dosing.has(c));

  // --- clients: day hospitals of the other establishments, their prescribers and patients -------------------
  const dayHospitals = (await demoRepo.listDayHospitalsForSystem(trx, cooperationId)).filter(
    (u) => u.establishment_id !== pharmacyId,
  );
  const clients: {
    unitId: string;
    establishmentId: string;
    prescriberId: string;
    nurseId: string;
    patients: { id: string; birth_date: string; sex: 'F' | 'M' | 'I' }[];
  }[] = [];
  for (const unit of dayHospitals) {
    const users = await demoRepo.listDemoUsersByRoleForSystem(trx, cooperationId, unit.establishment_id);
    const prescriber =
      users.find((u) => u.role === 'prescriber' && u.username.startsWith('prescripteur')) ??
      users.find((u) => u.role === 'prescriber');
    if (!prescriber) continue;
    const patients = await demoRepo.listPatientsInCareForSystem(trx, cooperationId, unit.establishment_id, 80);
    const nurse = users.find((u) => u.role === 'nurse') ?? prescriber;
    if (patients.length > 0) {
      clients.push({
        unitId: unit.id,
        establishmentId: unit.establishment_id,
        prescriberId: prescriber.id,
        nurseId: nurse.id,
        patients,
      });
    }
  }
  if (clients.length === 0 || codes.length === 0) {
    return {
      isolators: isolators.length,
      drugLots: lots.length,
      reliquats: 0,
      readyToCompound: 0,
      historyPreparations: 0,
      recallExample: null,
    };
  }

  const prescriptions: Insertable<DB['prescriptions']>[] = [];
  const lines: Insertable<DB['prescription_lines']>[] = [];
  const preparations: Insertable<DB['preparations']>[] = [];
  const decisions: Insertable<DB['fit_to_treat_decisions']>[] = [];
  const usedPatients = new Set<string>();
  const nurseOf = (establishmentId: string) =>
    clients.find((c) => c.establishmentId === establishmentId)?.nurseId ?? null;

  /** One validated prescription with the green light on day 1; returns its preparations. */
  const prescribe = (
    day1: string,
    client: (typeof clients)[number],
    code: string,
    validatedAt: Date,
    statusOf: (date: string) => Insertable<DB['preparations']>['status'],
  ) => {
    const patient = client.patients.find((p) => !usedPatients.has(p.id));
    if (!patient) return [];
    usedPatients.add(patient.id);
    const { regimen, lines: rl } = dosing.get(code)!;
    const heightCm = patient.sex === 'M' ? rnd.int(165, 185) : rnd.int(155, 172);
    const weightKg = patient.sex === 'M' ? rnd.int(62, 92) : rnd.int(50, 80);
    const cycleNumber = rnd.int(1, 4);
    let computation;
    try {
      computation = computePrescription({
        now: validatedAt,
        today: day1,
        patient: { birthDate: patient.birth_date, sex: patient.sex },
        regimen,
        lines: rl,
        inputs: {
          cycleNumber,
          day1Date: day1,
          heightCm,
          weightKg,
          creatinine: { value: rnd.int(60, 95), unit: 'umol/L', date: day1 },
          measuredGfr: null,
          adjustments: [],
          cardiacRiskFactors: false,
        },
        settings,
      });
    } catch {
      return [];
    }
    const id = ids.uuid();
    prescriptions.push({
      id,
      cooperation_id: cooperationId,
      patient_id: patient.id,
      establishment_id: client.establishmentId,
      pharmacy_establishment_id: pharmacyId,
      prescriber_id: client.prescriberId,
      regimen_id: regimen.id,
      cycle_number: cycleNumber,
      day1_date: day1,
      destination_unit_id: client.unitId,
      height_cm: heightCm,
      weight_kg: weightKg,
      creatinine_value: null,
      creatinine_unit: null,
      creatinine_date: null,
      computation: JSON.stringify(computation),
      checks: '[]',
      status: 'validated',
      signed_at: new Date(validatedAt.getTime() - 3_600_000),
      validated_by: pharmacist.id,
      validated_at: validatedAt,
      created_at: new Date(validatedAt.getTime() - 4 * 3_600_000),
      updated_at: validatedAt,
    });
    decisions.push({
      id: ids.uuid(),
      cooperation_id: cooperationId,
      prescription_id: id,
      administration_date: day1,
      decision: 'go',
      blood_counts: null,
      comment: null,
      recorded_by: client.prescriberId,
      recorded_at: parisTime(day1, 8, 15),
    });
    const made: Insertable<DB['preparations']>[] = [];
    for (const line of computation.lines) {
      line.days.forEach((day, i) => {
        const date = line.administrationDates[i]!;
        const lineId = ids.uuid();
        lines.push({
          id: lineId,
          cooperation_id: cooperationId,
          prescription_id: id,
          regimen_line_id: line.regimenLineId,
          molecule_id: line.moleculeId,
          day_of_cycle: day,
          administration_date: date,
          basis: line.basis,
          protocol_dose: line.protocolDose,
          adjustment_percent: line.adjustmentPercent,
          adjustment_reason: line.adjustmentReason,
          calculated_dose: line.calculatedDose,
          final_dose: line.finalDose,
          dose_unit: line.doseUnit,
          trace: JSON.stringify(line.trace),
        });
        const status = statusOf(date);
        const prep: Insertable<DB['preparations']> = {
          id: ids.uuid(),
          cooperation_id: cooperationId,
          prescription_id: id,
          prescription_line_id: lineId,
          patient_id: patient.id,
          molecule_id: line.moleculeId,
          dose: line.finalDose,
          dose_unit: line.doseUnit,
          administration_date: date,
          destination_unit_id: client.unitId,
          status,
          released_to_production_at: status === 'awaiting_green_light' ? null : parisTime(date, 8, 15 + rnd.int(0, 90)),
          created_at: validatedAt,
          updated_at: validatedAt,
        };
        preparations.push(prep);
        made.push(prep);
      });
    }
    return made;
  };

  // Today: ten prescriptions with the green light, their day-1 preparations ready to compound.
  let readyToCompound = 0;
  for (let i = 0; i < 10; i += 1) {
    const client = clients[i % clients.length]!;
    const made = prescribe(today, client, codes[i % codes.length]!, new Date(now.getTime() - DAY_MS / 2), (date) =>
      date === today ? 'ready_to_compound' : 'awaiting_green_light',
    );
    readyToCompound += made.filter((p) => p.status === 'ready_to_compound').length;
  }
  // History: about one prescription a working day over two months, every preparation administered.
  const history: Insertable<DB['preparations']>[] = [];
  for (let back = HISTORY_DAYS; back >= 1; back -= 1) {
    const day = isoDay(today, -back);
    const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    const count = rnd.int(1, 2);
    for (let k = 0; k < count; k += 1) {
      const client = clients[rnd.int(0, clients.length - 1)]!;
      const made = prescribe(
        day,
        client,
        codes[rnd.int(0, codes.length - 1)]!,
        parisTime(isoDay(day, -1), 16, 0),
        (date) =>
          date <= isoDay(today, -1) ? 'administered' : date === today ? 'ready_to_compound' : 'awaiting_green_light',
      );
      history.push(...made.filter((p) => p.status === 'administered'));
      readyToCompound += made.filter((p) => p.status === 'ready_to_compound').length;
    }
  }
  // As signing does: the shared pharmacy cares for the patients whose preparations it makes.
  const firstDay = new Map<string, string>();
  for (const rx of prescriptions) {
    const day = rx.day1_date;
    if (!firstDay.has(rx.patient_id) || day < firstDay.get(rx.patient_id)!) firstDay.set(rx.patient_id, day);
  }
  // Registered there like any patient (an IPP at each establishment caring for them, as the demo's rule is).
  const existing = await demoRepo.listCareAndIppsForSystem(trx, cooperationId, pharmacyId);
  const sample = existing.ipps[0]?.ipp ?? 'PUI00000000';
  const prefix = sample.replace(/[0-9]+$/, '');
  const digits = sample.length - prefix.length;
  let counter = Math.max(0, ...existing.ipps.map((i) => Number(i.ipp.slice(prefix.length)) || 0));
  const withIpp = new Set(existing.ipps.map((i) => i.patient_id));
  const newcomers = [...firstDay].filter(([patientId]) => !existing.care.has(patientId));
  await demoRepo.insertRowsForSystem(
    trx,
    'care_relationships',
    newcomers.map(([patientId, day]) => ({
      id: ids.uuid(),
      cooperation_id: cooperationId,
      patient_id: patientId,
      establishment_id: pharmacyId,
      unit_id: null,
      starts_on: day,
      ends_on: null,
      reason: 'shared pharmacy',
      created_by: null,
      created_at: now,
    })),
  );
  await demoRepo.insertRowsForSystem(
    trx,
    'patient_identifiers',
    newcomers
      .filter(([patientId]) => !withIpp.has(patientId))
      .map(([patientId]) => ({
        id: ids.uuid(),
        cooperation_id: cooperationId,
        patient_id: patientId,
        establishment_id: pharmacyId,
        ipp: `${prefix}${String((counter += 1)).padStart(digits, '0')}`,
        created_at: now,
      })),
  );
  await demoRepo.insertRowsForSystem(trx, 'prescriptions', prescriptions);
  await demoRepo.insertRowsForSystem(trx, 'prescription_lines', lines);
  await demoRepo.insertRowsForSystem(trx, 'fit_to_treat_decisions', decisions);
  await demoRepo.insertRowsForSystem(trx, 'preparations', preparations);

  // --- the history's production records ------------------------------------------------------------------------
  const records: Insertable<DB['compounding_records']>[] = [];
  const scans: Insertable<DB['vial_scans']>[] = [];
  const weighings: Insertable<DB['weighings']>[] = [];
  const transitions: Insertable<DB['preparation_transitions']>[] = [];
  const notes = new Map<string, Insertable<DB['delivery_notes']>>();
  const lotUse = new Map<string, number>();
  for (const prep of history) {
    const row = await repo.findPreparation(trx, scope, prep.id);
    if (!row) continue;
    const date = prep.administration_date;
    const startedAt = parisTime(date, 9, rnd.int(0, 150));
    let planned;
    try {
      planned = await computePlan(trx, scope, row, startedAt);
    } catch {
      // A preparation the referential cannot plan keeps its status without a production record.
      continue;
    }
    const { plan } = planned;
    const operator = technicians[rnd.int(0, technicians.length - 1)] ?? technician;
    const isolator = isolators[plan.container.kind === 'bag' && row.molecule_code.endsWith('mab') ? 2 : rnd.int(0, 1)]!;
    const minutes = (m: number) => new Date(startedAt.getTime() + m * 60_000);
    const noteKey = `${date}|${prep.destination_unit_id}`;
    let note = notes.get(noteKey);
    if (!note) {
      note = {
        id: ids.uuid(),
        cooperation_id: cooperationId,
        number: `BL-${date.replaceAll('-', '')}-${String(notes.size + 1).padStart(3, '0')}`,
        pharmacy_establishment_id: pharmacyId,
        destination_kind: 'unit',
        destination_establishment_id: row.establishment_id,
        destination_site_id: null,
        destination_unit_id: prep.destination_unit_id ?? null,
        destination_label: `${row.destination_unit_name} — ${row.establishment_short_name}`,
        carrier: 'Navette GCS',
        departed_at: parisTime(date, 11, 30),
        received_at: parisTime(date, 12, 5),
        received_by: null,
        created_by: technician.id,
        created_at: parisTime(date, 11, 25),
      };
      notes.set(noteKey, note);
    }
    records.push({
      preparation_id: prep.id,
      cooperation_id: cooperationId,
      pharmacy_establishment_id: pharmacyId,
      isolator_id: isolator.id!,
      operator_id: operator.id,
      started_at: startedAt,
      plan: JSON.stringify({
        ...plan,
        presentationLabels: planned.presentationLabels,
        presentationGtins: planned.presentationGtins,
        diluentLabels: planned.diluentLabels,
      }),
      drug_cost_eur: plan.costEur,
      beyond_use_at: plan.beyondUse.expiresAt,
      final_volume_ml: plan.finalVolumeMl,
      completed_at: minutes(12),
      completed_by: operator.id,
      checked_at: minutes(18),
      checked_by: pharmacist.id,
      released_at: minutes(25),
      released_by: pharmacist.id,
      delivery_note_id: note.id!,
      received_at: note.received_at!,
      administered_at: parisTime(date, 13, rnd.int(0, 150)),
    });
    let scanMinute = 1;
    for (const draw of plan.draws) {
      for (let v = 0; v < draw.vialCount; v += 1) {
        const lot = (rnd.next() < 0.8 ? currentLot : olderLot).get(draw.presentationId);
        if (!lot) continue;
        lotUse.set(`${lot.gtin}|${lot.lot}`, (lotUse.get(`${lot.gtin}|${lot.lot}`) ?? 0) + 1);
        scans.push({
          id: ids.uuid(),
          cooperation_id: cooperationId,
          preparation_id: prep.id,
          raw: `]d201${lot.gtin}17${lot.expiry.slice(2).replaceAll('-', '')}10${lot.lot}`,
          gtin: lot.gtin,
          lot: lot.lot,
          expiry: lot.expiry,
          serial: null,
          presentation_id: draw.presentationId,
          result: 'accepted',
          code: null,
          scanned_by: operator.id,
          scanned_at: minutes(scanMinute++ * 0.5),
        });
      }
    }
    const weigh = (
      step: 'draw' | 'finished_product',
      index: number | null,
      volumeMl: number,
      expectedG: number,
      tareG: number,
      at: Date,
    ) => {
      const deviation = (rnd.next() - 0.5) * 3;
      const net = expectedG - tareG;
      weighings.push({
        id: ids.uuid(),
        cooperation_id: cooperationId,
        preparation_id: prep.id,
        step,
        draw_index: index,
        volume_ml: volumeMl,
        expected_g: Math.round(expectedG * 10_000) / 10_000,
        measured_g: Math.round((expectedG + (net * deviation) / 100) * 10_000) / 10_000,
        tare_g: tareG,
        density_used: volumeMl > 0 ? Math.round((net / volumeMl) * 10_000) / 10_000 : 1,
        deviation_percent: Math.round(deviation * 100) / 100,
        limit_percent: volumeMl <= 2 ? 8 : 5,
        result: 'accepted',
        source: 'balance',
        balance_id: `sim-${String(isolator.id).slice(0, 8)}`,
        weighed_by: operator.id,
        weighed_at: at,
      });
    };
    plan.draws.forEach((draw, i) => weigh('draw', i, draw.volumeMl, draw.volumeMl, 0, minutes(4 + i)));
    weigh(
      'finished_product',
      null,
      plan.finalVolumeMl,
      plan.expectedFinishedMassG,
      plan.container.tareMassG,
      minutes(11),
    );
    const steps: [string, string, Date, string][] = [
      ['ready_to_compound', 'in_compounding', startedAt, operator.id],
      ['in_compounding', 'compounded', minutes(12), operator.id],
      ['compounded', 'released', minutes(25), pharmacist.id],
      ['released', 'dispatched', note.departed_at as Date, technician.id],
      ['dispatched', 'received', note.received_at as Date, nurseOf(row.establishment_id) ?? technician.id],
      [
        'received',
        'administered',
        records[records.length - 1]!.administered_at as Date,
        nurseOf(row.establishment_id) ?? technician.id,
      ],
    ];
    for (const [from, to, at, actor] of steps) {
      transitions.push({
        id: ids.uuid(),
        cooperation_id: cooperationId,
        preparation_id: prep.id,
        from_status: from,
        to_status: to,
        reason: to === 'dispatched' ? `Delivery note ${note.number}` : null,
        actor_id: actor,
        occurred_at: at,
      });
    }
  }
  await demoRepo.insertRowsForSystem(trx, 'delivery_notes', [...notes.values()]);
  await demoRepo.insertRowsForSystem(trx, 'compounding_records', records);
  await demoRepo.insertRowsForSystem(trx, 'vial_scans', scans);
  await demoRepo.insertRowsForSystem(trx, 'weighings', weighings);
  await demoRepo.insertRowsForSystem(trx, 'preparation_transitions', transitions);

  // --- opened vials still within stability ----------------------------------------------------------------
  const reliquats: Insertable<DB['reliquats']>[] = [];
  for (const code of ['oxaliplatin-100', 'paclitaxel-300', 'gemcitabine-1000', 'docetaxel-80']) {
    const p = presentations.find((x) => x.code === code);
    const lot = p && currentLot.get(p.id);
    if (!p || !lot) continue;
    const full = await repo.listPresentations(trx, cooperationId, p.molecule_id, 'mg');
    const detail = full.find((x) => x.id === p.id);
    if (!detail) continue;
    reliquats.push({
      id: ids.uuid(),
      cooperation_id: cooperationId,
      establishment_id: pharmacyId,
      presentation_id: p.id,
      lot: lot.lot,
      opened_at: new Date(now.getTime() - 2 * 3_600_000),
      remaining_volume_ml: Math.round(Number(detail.volume_ml) * 0.4 * 100) / 100,
      concentration_per_ml: detail.concentration_per_ml,
      expires_at: new Date(now.getTime() + 22 * 3_600_000),
      created_at: new Date(now.getTime() - 2 * 3_600_000),
    });
  }
  await demoRepo.insertRowsForSystem(trx, 'reliquats', reliquats);

  const top = [...lotUse].sort((a, b) => b[1] - a[1])[0];
  return {
    isolators: isolators.length,
    drugLots: lots.length,
    reliquats: reliquats.length,
    readyToCompound,
    historyPreparations: records.length,
    recallExample: top ? { gtin: top[0].split('|')[0]!, lot: top[0].split('|')[1]! } : null,
  };
}
