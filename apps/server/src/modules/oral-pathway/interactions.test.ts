import { describe, expect, it } from 'vitest';
import { ORAL_DRUGS } from './drugs.ts';
import { INTERACTION_KNOWLEDGE_BASE } from './interactions-data.ts';
import {
  checkInteractions,
  InteractionBaseError,
  loadInteractionBase,
  shippedInteractionBase,
} from './interactions.ts';

const entry = (over: Record<string, unknown> = {}) => ({
  id: 'x',
  drugs: ['capecitabine'],
  withKind: 'drug',
  withLabel: 'Test',
  terms: ['exampledrug'],
  severity: 'caution',
  mechanism: 'Mechanism',
  recommendation: 'Recommendation',
  source: 'Example SmPC, section 4.5',
  ...over,
});

describe('interaction knowledge base loader', () => {
  it('loads the shipped base: every entry sourced, every drug known', () => {
    const base = shippedInteractionBase();
    expect(base.length).toBe(INTERACTION_KNOWLEDGE_BASE.length);
    expect(base.every((e) => e.source.length > 10)).toBe(true);
    const codes = new Set(ORAL_DRUGS.map((d) => d.code));
    expect(base.every((e) => e.drugs.every((d) => codes.has(d)))).toBe(true);
  });

  it('refuses an entry without a source, naming it', () => {
    for (const source of [undefined, '', '   ']) {
      let error: unknown;
      try {
        loadInteractionBase([entry(), entry({ id: 'nosource', source })]);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InteractionBaseError);
      expect((error as InteractionBaseError).problems).toEqual([
        { path: 'entries[1] (nosource).source', message: 'a published source is required' },
      ]);
    }
  });

  it('refuses unknown drugs, severities, kinds, duplicate ids and entries without terms, all at once', () => {
    expect(() =>
      loadInteractionBase([
        entry({ drugs: ['paracetamolib'] }),
        entry({ id: 'x', severity: 'bad' }),
        entry({ id: 'y', withKind: 'mineral', terms: ['ab'] }),
      ]),
    ).toThrow(/unknown drug "paracetamolib".*duplicate id.*severity must be.*kind must be.*at least one term/);
  });
});

describe('interaction check', () => {
  it('flags warfarin with capecitabine (and only the food entry does not apply to capecitabine)', () => {
    const findings = checkInteractions('capecitabine', [
      { name: 'Warfarine 5 mg', kind: 'prescription' },
      { name: 'Paracétamol 1 g', kind: 'self_medication' },
    ]);
    expect(findings.map((f) => [f.entryId, f.item, f.severity])).toEqual([
      ['capecitabine-vka', 'Warfarine 5 mg', 'caution'],
    ]);
    expect(findings[0]!.source).toMatch(/Xeloda SmPC/);
  });

  it('matches brand names and accents: Previscan, Mopral, millepertuis, grapefruit', () => {
    expect(
      checkInteractions('capecitabine', [{ name: 'PREVISCAN 20mg', kind: 'prescription' }]).map((f) => f.entryId),
    ).toEqual(['capecitabine-vka']);
    const erlotinib = checkInteractions('erlotinib', [
      { name: 'Mopral 20', kind: 'self_medication' },
      { name: 'Millepertuis (tisane)', kind: 'herbal' },
    ]);
    expect(erlotinib.map((f) => [f.entryId, f.severity])).toEqual([
      ['voc-st-johns-wort', 'contraindicated'],
      ['tki-acid-suppressants', 'avoid'],
    ]);
  });

  it('a PPI does not interact with a drug whose absorption is not pH-dependent in the base', () => {
    expect(checkInteractions('lenalidomide', [{ name: 'oméprazole', kind: 'prescription' }])).toEqual([]);
  });

  it('warns about grapefruit for palbociclib even when not reported; names the item when it is', () => {
    expect(checkInteractions('palbociclib', []).map((f) => [f.entryId, f.item])).toEqual([['voc-grapefruit', '']]);
    expect(
      checkInteractions('palbociclib', [
        { name: 'Jus de pamplemousse le matin', kind: 'food' },
        { name: 'Clarithromycine', kind: 'prescription' },
      ]).map((f) => [f.entryId, f.item]),
    ).toEqual([
      ['tki-strong-cyp3a4-inhibitors', 'Clarithromycine'],
      ['voc-grapefruit', 'Jus de pamplemousse le matin'],
    ]);
  });

  it('matches whole words only', () => {
    expect(checkInteractions('capecitabine', [{ name: 'antiwarfarinexyz', kind: 'other' }])).toEqual([]);
  });

  it('checks strong CYP3A4 inducers with kinase inhibitors', () => {
    expect(
      checkInteractions('imatinib', [{ name: 'Rifampicine', kind: 'prescription' }]).map((f) => f.entryId),
    ).toContain('voc-strong-cyp3a4-inducers');
  });
});
