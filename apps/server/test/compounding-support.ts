import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Role } from '../src/core/access.ts';
import { parisDate } from '../src/core/clock.ts';
import type { TestApp } from './harness.ts';
import { createCooperation, type TestCooperation } from './factories.ts';
import { setupPharmacy, type TestPharmacy } from './pharmacy-factories.ts';
import { expectCode, reauthenticate as reauth, signIn as signInAs, type Actor } from './support/actors.ts';

/**
 * A cooperation ready for compounding tests: establishment `a` runs the shared pharmacy (isolators, vial stock
 * with GTIN '0' + CIP13), establishment `b` is a client whose prescriptions reach it. Preparations are made the
 * real way: draft → sign → validate → green light, over HTTP.
 */
export interface CompoundingWorld {
  t: TestApp;
  coop: TestCooperation;
  pharmacy: TestPharmacy;
  today: string;
  isolatorId: string;
  /** GTIN-14 by presentation code. */
  gtin: (presentationCode: string) => string;
  signIn(roles: Role[] | Role, establishment?: 'a' | 'b', options?: { unitId?: string }): Promise<Actor>;
  /** A validated prescription with the green light today; returns its preparations for today. */
  readyPreparations(options: {
    regimen: string;
    at: 'a' | 'b';
    destinationUnitId?: string;
    patientName?: string;
  }): Promise<{ patientId: string; prescriptionId: string; preparations: { id: string; moleculeCode: string }[] }>;
}

export { expectCode, type Actor };

export async function compoundingWorld(t: TestApp): Promise<CompoundingWorld> {
  const coop = await createCooperation(t.database);
  const pharmacy = await setupPharmacy(coop, t.database);
  const today = parisDate(t.clock.now());
  const db = t.database.db;
  const isolatorId = randomUUID();
  await db
    .insertInto('isolators')
    .values({
      id: isolatorId,
      cooperation_id: coop.cooperationId,
      establishment_id: coop.establishments.a,
      code: 'ISO-T1',
      label: 'Isolateur de test',
      dedicated_family: 'cytotoxic',
    })
    .execute();
  const presentations = await db
    .selectFrom('presentations')
    .select(['id', 'code', 'cip13'])
    .where('cooperation_id', '=', coop.cooperationId)
    .execute();
  const gtins = new Map(presentations.map((p) => [p.code, `0${p.cip13}`]));
  const future = new Date(Date.parse(`${today}T00:00:00Z`) + 400 * 86_400_000).toISOString().slice(0, 10);
  await db
    .insertInto('drug_lots')
    .values(
      presentations
        .filter((p) => p.cip13)
        .map((p) => ({
          id: randomUUID(),
          cooperation_id: coop.cooperationId,
          establishment_id: coop.establishments.a,
          presentation_id: p.id,
          gtin: `0${p.cip13}`,
          lot: `T${p.code
            .replace(/[^a-z0-9]/gi, '')
            .slice(0, 6)
            .toUpperCase()}1`,
          expiry: future,
          quantity: 50,
        })),
    )
    .execute();

  const signIn: CompoundingWorld['signIn'] = (roles, establishment = 'a', options = {}) =>
    signInAs(t, coop, roles, establishment, options);
  const reauthenticate = (actor: Actor) => reauth(t, actor);
  const prescribers = new Map<string, Promise<Actor>>();
  let pharmacist: Promise<Actor> | undefined;

  return {
    t,
    coop,
    pharmacy,
    today,
    isolatorId,
    gtin: (code) => {
      const g = gtins.get(code);
      if (!g) throw new Error(`no presentation ${code}`);
      return g;
    },
    signIn,
    async readyPreparations({ regimen, at, destinationUnitId, patientName }) {
      let prescriber = prescribers.get(at);
      if (!prescriber) prescribers.set(at, (prescriber = signIn(['prescriber'], at)));
      const doctor = await prescriber;
      pharmacist ??= signIn('pharmacist', 'a');
      const checker = await pharmacist;
      const patientId = await coop.patient({
        birthName: patientName ?? `CP-${randomUUID().slice(0, 6).toUpperCase()}`,
        careAt: [at],
      });
      const draft = await doctor.agent.post('/api/v1/pharmacy/prescriptions', {
        patientId,
        regimenId: pharmacy.regimenIds[regimen]!,
        cycleNumber: 1,
        day1Date: today,
        heightCm: 170,
        weightKg: 70,
        creatinine: { value: 80, unit: 'umol/L', date: today },
        destinationUnitId: destinationUnitId ?? (at === 'a' ? coop.units.aDayHospital : coop.units.bWard),
      });
      expect(draft.statusCode, draft.body).toBe(201);
      const id = draft.json().id as string;
      await reauthenticate(doctor);
      const sign = await doctor.agent.post(`/api/v1/pharmacy/prescriptions/${id}/sign`, {});
      expect(sign.statusCode, sign.body).toBe(200);
      const go = await doctor.agent.post(`/api/v1/pharmacy/prescriptions/${id}/fit-to-treat`, {
        administrationDate: today,
        decision: 'go',
      });
      expect(go.statusCode, go.body).toBe(200);
      await reauthenticate(checker);
      const validated = await checker.agent.post(`/api/v1/pharmacy/prescriptions/${id}/validate`, {});
      expect(validated.statusCode, validated.body).toBe(200);
      const preparations = await db
        .selectFrom('preparations as pr')
        .innerJoin('molecules as m', 'm.id', 'pr.molecule_id')
        .select(['pr.id', 'pr.status', 'm.code'])
        .where('pr.prescription_id', '=', id)
        .where('pr.administration_date', '=', today)
        .execute();
      expect(preparations.every((p) => p.status === 'ready_to_compound')).toBe(true);
      return {
        patientId,
        prescriptionId: id,
        preparations: preparations.map((p) => ({ id: p.id, moleculeCode: p.code })),
      };
    },
  };
}

/** A vial's DataMatrix as a keyboard-wedge scanner types it: symbology id, GS (ASCII 29) after the variable lot. */
export function vialBarcode(gtin: string, expiry: string, lot: string, serial?: string): string {
  const yymmdd = expiry.slice(2).replaceAll('-', '');
  return `]d201${gtin}17${yymmdd}10${lot}${serial ? `\u001d21${serial}` : ''}`;
}
