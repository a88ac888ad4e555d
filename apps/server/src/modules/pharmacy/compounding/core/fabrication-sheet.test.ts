import { describe, expect, it } from 'vitest';
import { DEFAULT_MICROBIOLOGICAL_LIMIT, DEMO_REFERENTIAL } from '../../referential-data/index.ts';
import { renderFabricationSheetPdf } from './fabrication-sheet.ts';
import { parseLabelPayload } from './labels.ts';
import { decodeDataMatrix, pdfImages, pdfText } from './testing/pdf-inspect.ts';
import type { FabricationSheetData, PreparationPlan } from './types.ts';
import { planContainerFrom, planPreparation, planPresentationFrom, planStabilityFrom } from './vials.ts';

const ID = '0193a1b2-5c3d-7e4f-8a9b-0c1d2e3f4a5c';
const NOW = new Date('2026-11-23T08:00:00Z');

function cyclophosphamidePlan(): PreparationPlan {
  const result = planPreparation({
    moleculeId: 'cyclophosphamide',
    dose: 1200,
    doseUnit: 'mg',
    presentations: DEMO_REFERENTIAL.presentations
      .filter((p) => p.moleculeId === 'cyclophosphamide')
      .map((p) => planPresentationFrom(p, [{ lot: 'CYC-2611A', expiry: '2027-09-30', quantity: 4 }])),
    reliquats: [],
    container: planContainerFrom(DEMO_REFERENTIAL.containers.find((c) => c.id === 'bag-nacl_0_9-500')!),
    diluentId: 'nacl_0_9',
    finalVolumeMl: 500,
    stability: planStabilityFrom(DEMO_REFERENTIAL.stability, 'cyclophosphamide'),
    defaultLimit: DEFAULT_MICROBIOLOGICAL_LIMIT,
    now: NOW,
  });
  if (!result.ok) throw new Error(result.code);
  return result.plan;
}

describe('fabrication sheet', () => {
  it('prints the whole plan and the checks to sign, with a DataMatrix that opens the preparation', async () => {
    const plan = cyclophosphamidePlan();
    const data: FabricationSheetData = {
      preparationId: ID,
      patient: { lastName: 'Martin', firstName: 'Hélène', birthDate: '1961-07-02', ins: null, ipp: '7781' },
      drug: 'Cyclophosphamide',
      dose: 1200,
      doseUnit: 'mg',
      route: 'IV',
      administrationDate: '2026-11-23',
      destination: { unit: 'Hôpital de jour', establishment: 'CH Nord' },
      producer: 'UPC du GCS Passerelle',
      presentationLabels: Object.fromEntries(DEMO_REFERENTIAL.presentations.map((p) => [p.id, p.label])),
      diluentLabels: Object.fromEntries(DEMO_REFERENTIAL.diluents.map((d) => [d.id, d.name.fr])),
      plan,
      generatedAt: NOW,
    };
    const pdf = await renderFabricationSheetPdf(data);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdf).replace(/\s+/g, ' ');
    for (const expected of [
      'Fiche de fabrication',
      'MARTIN Hélène',
      'IPP 7781',
      'Cyclophosphamide 1200 mg',
      'Cyclophosphamide 1 g powder for solution for injection',
      'CYC-2611A',
      '50 mL',
      // The 500 mg vial is drawn for 200 mg = 10 mL, and reconstituted with 25 mL of NaCl 0.9 %.
      '10 mL',
      '25 mL',
      // Final volume fixed at 500 mL: withdraw the 60 mL of drug from the bag first.
      'Retirer 60 mL',
      'Volume final',
      '500 mL',
      'Date limite',
      'Reliquats',
      "À conserver jusqu'au 24/11/2026 09:00",
      'Double contrôle',
      'Libération pharmaceutique',
    ]) {
      expect(text).toContain(expected);
    }
    const images = pdfImages(pdf);
    expect(images).toHaveLength(1);
    expect(parseLabelPayload(decodeDataMatrix(images[0]!))).toEqual({ ok: true, preparationId: ID });
  });
});
