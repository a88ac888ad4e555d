import { describe, expect, it } from 'vitest';
import { findDrug, ORAL_DRUGS } from './drugs.ts';
import { checkInteractions } from './interactions.ts';
import { frenchDate, renderPatientBooklet, renderTransmission, type PlanSnapshot } from './oral.documents.ts';

const snapshot = (drugCode: string): PlanSnapshot => {
  const drug = findDrug(drugCode)!;
  return {
    treatmentId: '00000000-0000-4000-8000-000000000001',
    planVersion: 2,
    patient: { displayName: 'EXEMPLE Jeanne', birthDate: '1958-03-14' },
    drugCode,
    doseMg: drug.strengthsMg[0]!,
    scheduleCode: drug.schedules[0]!,
    startDate: '2026-01-26',
    calendarCycles: 2,
    food: drug.food,
    indication: 'Indication de test',
    prescriberName: 'Dr Test',
    establishmentName: 'Centre hospitalier de test',
    dispensingChannel: 'community_pharmacy',
    generatedAt: '2026-01-20T10:00:00.000Z',
  };
};

const extras = {
  intakePlan: 'Matin et soir après le repas',
  reconciliation: [{ name: 'Warfarine 5 mg', kind: 'prescription', dosage: '1 cp le soir' }],
  interactions: checkInteractions('capecitabine', [{ name: 'Warfarine 5 mg', kind: 'prescription' }]),
  whoToCall: 'IDE de coordination : 02 00 00 00 00',
  sideEffectsExplained: ['Syndrome main-pied'],
  nursingChecklist: ['intake_times'],
};

describe('patient documents', () => {
  it('writes dates in French', () => {
    expect(frenchDate('2026-02-01')).toBe('1 février 2026');
  });

  it('renders the booklet of every referential drug as a PDF', async () => {
    for (const drug of ORAL_DRUGS) {
      const pdf = await renderPatientBooklet(snapshot(drug.code), extras);
      expect(pdf.subarray(0, 5).toString(), drug.code).toBe('%PDF-');
      expect(pdf.length, drug.code).toBeGreaterThan(2000);
    }
  });

  it('renders the three transmission documents', async () => {
    for (const kind of ['gp', 'pharmacist', 'nurse'] as const) {
      const pdf = await renderTransmission(kind, snapshot('capecitabine'), extras, 'Dr Paul Martin');
      expect(pdf.subarray(0, 5).toString(), kind).toBe('%PDF-');
    }
  });
});
