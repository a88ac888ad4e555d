import { describe, expect, it } from 'vitest';
import { DEFAULT_MICROBIOLOGICAL_LIMIT, DEMO_REFERENTIAL, type Presentation } from '../../referential-data/index.ts';
import type { OpenReliquat, PlanInput, PlanPresentation, PreparationPlan } from './types.ts';
import { planContainerFrom, planPreparation, planPresentationFrom, planStabilityFrom } from './vials.ts';

const NOW = new Date('2026-11-23T08:00:00Z');
const hours = (h: number) => new Date(NOW.getTime() + h * 3_600_000);

function presentationsOf(moleculeId: string): PlanPresentation[] {
  return DEMO_REFERENTIAL.presentations
    .filter((p: Presentation) => p.moleculeId === moleculeId)
    .map((p) => planPresentationFrom(p));
}

function container(id: string) {
  const c = DEMO_REFERENTIAL.containers.find((x) => x.id === id);
  if (!c) throw new Error(`no container ${id}`);
  return planContainerFrom(c);
}

function input(moleculeId: string, dose: number, overrides: Partial<PlanInput> = {}): PlanInput {
  return {
    moleculeId,
    dose,
    doseUnit: 'mg',
    presentations: presentationsOf(moleculeId),
    reliquats: [],
    container: container('bag-glucose_5-250'),
    diluentId: 'glucose_5',
    finalVolumeMl: null,
    stability: planStabilityFrom(DEMO_REFERENTIAL.stability, moleculeId),
    defaultLimit: DEFAULT_MICROBIOLOGICAL_LIMIT,
    now: NOW,
    ...overrides,
  };
}

function plan(i: PlanInput): PreparationPlan {
  const result = planPreparation(i);
  if (!result.ok) throw new Error(`expected a plan, got ${result.code}`);
  return result.plan;
}

const reliquat = (over: Partial<OpenReliquat>): OpenReliquat => ({
  id: 'r1',
  presentationId: 'oxaliplatin-100',
  lot: 'OXA-R1',
  remainingVolumeMl: 8,
  concentrationPerMl: 5,
  openedAt: hours(-2),
  expiresAt: hours(10),
  ...over,
});

describe('vial combination: least waste, then least cost', () => {
  it('prefers no waste to a cheaper vial that leaves drug over', () => {
    const presentations: PlanPresentation[] = [
      { ...presentationsOf('oxaliplatin')[0]!, id: 'a-100', strength: 100, volumeMl: 20, unitPriceEur: 10 },
      { ...presentationsOf('oxaliplatin')[0]!, id: 'b-50', strength: 50, volumeMl: 10, unitPriceEur: 8 },
      { ...presentationsOf('oxaliplatin')[0]!, id: 'c-200', strength: 200, volumeMl: 40, unitPriceEur: 15 },
    ];
    const p = plan(input('oxaliplatin', 150, { presentations }));
    expect(p.vials).toEqual([
      { presentationId: 'a-100', count: 1, unitPriceEur: 10 },
      { presentationId: 'b-50', count: 1, unitPriceEur: 8 },
    ]);
    expect(p).toMatchObject({ overageAmount: 0, wasteAmount: 0, costEur: 18, drugVolumeMl: 30 });
  });

  it('between combinations with the same waste, takes the cheapest (oxaliplatin 170 mg → one 200 mg vial)', () => {
    // 200 mg (30 €), 100+100 (32 €), 100+50+50 (34 €) all leave 30 mg.
    const p = plan(input('oxaliplatin', 170));
    expect(p.vials).toEqual([{ presentationId: 'oxaliplatin-200', count: 1, unitPriceEur: 30 }]);
    expect(p.draws).toEqual([
      {
        source: 'new_vial',
        reliquatId: null,
        presentationId: 'oxaliplatin-200',
        lot: null,
        vialCount: 1,
        volumeMl: 34,
        amount: 170,
        concentrationPerMl: 5,
      },
    ]);
    expect(p.overageAmount).toBe(30);
    // No in-use stability for an opened oxaliplatin vial in the referential: the 6 mL left are discarded.
    expect(p.leftovers).toEqual([
      expect.objectContaining({ remainingVolumeMl: 6, expiresAt: null, presentationId: 'oxaliplatin-200' }),
    ]);
    expect(p.wasteAmount).toBe(30);
  });

  it('computes container, final volume, concentration, expected mass and beyond-use date', () => {
    const p = plan(input('oxaliplatin', 170));
    // Prefilled 250 mL glucose bag + 34 mL of drug; 170 / 284 = 0.5986 mg/mL, inside the 0.2–0.7 data range.
    expect(p).toMatchObject({ finalVolumeMl: 284, diluentAdjustmentMl: 0, finalConcentrationPerMl: 0.5986 });
    expect(p.expectedFinishedMassG).toBe(20 + 284);
    expect(p.warnings).toContain('DENSITY_ASSUMED');
    // Longest applicable stability: 24 h at 2–8 °C (against 6 h at 25 °C).
    expect(p.beyondUse).toMatchObject({
      expiresAt: hours(24),
      temperatureC: { min: 2, max: 8 },
      limitedBy: 'stability oxaliplatin-diluted-2-8c',
    });
  });

  it('fills an elastomeric pump to its nominal volume with the diluent', () => {
    // Fluorouracil 3600 mg (46-hour pump): 72 mL of drug + 168 mL of NaCl 0.9 % = 240 mL at 5 mL/h.
    const p = plan(input('fluorouracil', 3600, { container: container('pump-240-5'), diluentId: 'nacl_0_9' }));
    expect(p).toMatchObject({ drugVolumeMl: 72, finalVolumeMl: 240, diluentAdjustmentMl: 168 });
    expect(p.finalConcentrationPerMl).toBe(15);
  });

  it('withdraws from the bag what the drug adds when the final volume is fixed', () => {
    const p = plan(input('oxaliplatin', 170, { finalVolumeMl: 250 }));
    expect(p).toMatchObject({ finalVolumeMl: 250, diluentAdjustmentMl: -34, finalConcentrationPerMl: 0.68 });
  });
});

describe('reliquats first', () => {
  it('draws from an open vial within its stability before opening new ones', () => {
    // 140 mg: 40 mg from the reliquat + one 100 mg vial, nothing left; without it, 100+50 would leave 10 mg.
    const p = plan(input('oxaliplatin', 140, { reliquats: [reliquat({})] }));
    expect(p.draws.map((d) => [d.source, d.presentationId, d.volumeMl, d.amount])).toEqual([
      ['reliquat', 'oxaliplatin-100', 8, 40],
      ['new_vial', 'oxaliplatin-100', 20, 100],
    ]);
    expect(p.draws[0]!.reliquatId).toBe('r1');
    expect(p).toMatchObject({ overageAmount: 0, costEur: 16 });
    // The reliquat expires in 10 h, before the 24 h stability of the bag.
    expect(p.beyondUse).toMatchObject({ expiresAt: hours(10), limitedBy: 'reliquat OXA-R1' });
  });

  it('takes the reliquat that expires first, and only what the dose needs', () => {
    const p = plan(
      input('oxaliplatin', 30, {
        reliquats: [
          reliquat({ id: 'late', lot: 'L2', expiresAt: hours(20) }),
          reliquat({ id: 'soon', lot: 'L1', expiresAt: hours(5) }),
        ],
      }),
    );
    expect(p.draws).toHaveLength(1);
    expect(p.draws[0]).toMatchObject({ reliquatId: 'soon', volumeMl: 6, amount: 30 });
    expect(p.vials).toEqual([]);
    expect(p.costEur).toBe(0);
  });

  it('ignores an expired reliquat, one of another drug, and an empty one', () => {
    const p = plan(
      input('oxaliplatin', 140, {
        reliquats: [
          reliquat({ id: 'expired', expiresAt: hours(-0.01) }),
          reliquat({ id: 'other', presentationId: 'gemcitabine-1000', concentrationPerMl: 38 }),
          reliquat({ id: 'empty', remainingVolumeMl: 0 }),
        ],
      }),
    );
    expect(p.draws.every((d) => d.source === 'new_vial')).toBe(true);
    expect(p.vials.map((v) => [v.presentationId, v.count])).toEqual([
      ['oxaliplatin-100', 1],
      ['oxaliplatin-50', 1],
    ]);
    expect(p.overageAmount).toBe(10);
  });

  it('can refuse reliquats that expire too soon to be useful', () => {
    const p = plan(
      input('oxaliplatin', 140, {
        reliquats: [reliquat({ expiresAt: hours(0.5) })],
        reliquatMinimumRemainingHours: 1,
      }),
    );
    expect(p.draws.some((d) => d.source === 'reliquat')).toBe(false);
  });
});

describe('powders: reconstitution and leftovers kept as reliquats', () => {
  it('reconstitutes the vials and keeps the leftover within its after-reconstitution stability', () => {
    const p = plan(
      input('cyclophosphamide', 1200, { container: container('bag-nacl_0_9-500'), diluentId: 'nacl_0_9' }),
    );
    // 1000 + 500 (15 €) leaves 300 mg, like 3 × 500 (18 €).
    expect(p.vials.map((v) => [v.presentationId, v.count])).toEqual([
      ['cyclophosphamide-1000', 1],
      ['cyclophosphamide-500', 1],
    ]);
    expect(p.reconstitutions).toEqual([
      { presentationId: 'cyclophosphamide-1000', vialCount: 1, diluentId: 'nacl_0_9', volumeMlPerVial: 50 },
      { presentationId: 'cyclophosphamide-500', vialCount: 1, diluentId: 'nacl_0_9', volumeMlPerVial: 25 },
    ]);
    expect(p.draws.map((d) => [d.presentationId, d.volumeMl, d.amount])).toEqual([
      ['cyclophosphamide-1000', 50, 1000],
      ['cyclophosphamide-500', 10, 200],
    ]);
    // 15 mL at 20 mg/mL kept 24 h at 2–8 °C (cyclophosphamide SmPC §6.3): nothing discarded.
    expect(p.leftovers).toEqual([
      {
        presentationId: 'cyclophosphamide-500',
        lot: null,
        remainingVolumeMl: 15,
        concentrationPerMl: 20,
        expiresAt: hours(24),
        basis: expect.stringContaining('cyclophosphamide-reconstituted-2-8c'),
      },
    ]);
    expect(p).toMatchObject({ overageAmount: 300, wasteAmount: 0, drugVolumeMl: 60 });
  });
});

describe('stock: lots first expiring first, expired lots never planned', () => {
  it('plans the earliest unexpired lots and caps the beyond-use date at a lot expiry', () => {
    const presentations = presentationsOf('oxaliplatin').map((p) =>
      p.id === 'oxaliplatin-100'
        ? {
            ...p,
            lots: [
              { lot: 'LATE', expiry: '2027-06-30', quantity: 5 },
              { lot: 'SOON', expiry: '2026-11-23', quantity: 1 },
              { lot: 'EXPIRED', expiry: '2026-11-22', quantity: 9 },
            ],
          }
        : { ...p, lots: [{ lot: 'X', expiry: '2027-01-31', quantity: 0 }] },
    );
    const p = plan(input('oxaliplatin', 200, { presentations }));
    // Only 100 mg vials are in stock: two, SOON then LATE.
    expect(p.draws.map((d) => [d.lot, d.vialCount, d.volumeMl])).toEqual([
      ['SOON', 1, 20],
      ['LATE', 1, 20],
    ]);
    expect(p.beyondUse.expiresAt).toEqual(new Date('2026-11-23T23:59:59.999Z'));
    expect(p.beyondUse.limitedBy).toBe('lot SOON expiry');
  });

  it('says when the unexpired stock cannot cover the dose', () => {
    const presentations = presentationsOf('oxaliplatin').map((p) => ({
      ...p,
      lots: [{ lot: 'OLD', expiry: '2026-01-31', quantity: 10 }],
    }));
    expect(planPreparation(input('oxaliplatin', 100, { presentations }))).toMatchObject({
      ok: false,
      code: 'PLAN_INSUFFICIENT_STOCK',
    });
  });
});

describe('refusals and fallbacks', () => {
  it('refuses a bag of another solution than prescribed (oxaliplatin in NaCl)', () => {
    expect(planPreparation(input('oxaliplatin', 100, { container: container('bag-nacl_0_9-250') }))).toMatchObject({
      ok: false,
      code: 'PLAN_DILUENT_MISMATCH',
    });
  });

  it('refuses a volume that does not fit a syringe, a zero dose, a drug without presentation', () => {
    expect(
      planPreparation(input('oxaliplatin', 170, { container: container('syringe-20'), diluentId: null })),
    ).toMatchObject({ ok: false, code: 'PLAN_VOLUME_EXCEEDS_CONTAINER' });
    expect(planPreparation(input('oxaliplatin', 0))).toMatchObject({ ok: false, code: 'PLAN_INVALID_DOSE' });
    expect(planPreparation(input('oxaliplatin', 10, { presentations: [] }))).toMatchObject({
      ok: false,
      code: 'PLAN_NO_PRESENTATION',
    });
  });

  it('falls back to the microbiological limit, with a warning, when no stability entry applies', () => {
    const p = plan(input('oxaliplatin', 100, { stability: [] }));
    expect(p.beyondUse).toMatchObject({ expiresAt: hours(24), limitedBy: 'default limit' });
    expect(p.warnings).toContain('DEFAULT_STABILITY_LIMIT');
  });

  it('warns when the final concentration is outside every stability data range', () => {
    // 10 mg in 260 mL = 0.038 mg/mL, below the 0.2 mg/mL of the oxaliplatin data.
    const p = plan(input('oxaliplatin', 10));
    expect(p.warnings).toEqual(
      expect.arrayContaining(['CONCENTRATION_OUTSIDE_STABILITY_DATA', 'DEFAULT_STABILITY_LIMIT']),
    );
  });
});
