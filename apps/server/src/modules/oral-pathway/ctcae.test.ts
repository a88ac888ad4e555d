import { describe, expect, it } from 'vitest';
import { CTCAE_TERMS, DEFAULT_ALERT_RULES, evaluateAlerts, findTerm, maxGrade, symptomProblems } from './ctcae.ts';

describe('CTCAE v5 subset', () => {
  it('carries the reference definitions (REFERENCE.md section 6)', () => {
    const diarrhea = findTerm('diarrhea')!;
    expect(diarrhea.grades.find((g) => g.grade === 3)!.definitionEn).toMatch(/≥7 stools per day/);
    expect(maxGrade(findTerm('palmar_plantar_erythrodysesthesia')!)).toBe(3);
    for (const term of CTCAE_TERMS) {
      expect(
        term.grades.map((g) => g.grade),
        term.code,
      ).toEqual(Array.from({ length: maxGrade(term) }, (_, i) => i + 1));
      expect(
        term.grades.every((g) => g.definitionFr && g.definitionEn && g.patientFr),
        term.code,
      ).toBe(true);
    }
  });
});

describe('alert rules', () => {
  it('grade 3 or more alerts by default, grade 2 does not', () => {
    expect(evaluateAlerts([{ term: 'diarrhea', grade: 2 }], 'full')).toEqual([]);
    expect(evaluateAlerts([{ term: 'diarrhea', grade: 3 }], 'full')).toEqual([
      { term: 'diarrhea', grade: 3, rule: 'grade>=3' },
    ]);
    expect(evaluateAlerts([{ term: 'vomiting', grade: 4 }], null)).toEqual([
      { term: 'vomiting', grade: 4, rule: 'grade>=3' },
    ]);
  });

  it('a per-term rule lowers the threshold for that term only', () => {
    const rules = { ...DEFAULT_ALERT_RULES, termMinGrade: { fever: 1 } };
    expect(
      evaluateAlerts(
        [
          { term: 'fever', grade: 1 },
          { term: 'nausea', grade: 2 },
        ],
        'full',
        rules,
      ),
    ).toEqual([{ term: 'fever', grade: 1, rule: 'fever>=1' }]);
  });

  it('a configured default can raise the bar, and stopping the treatment alerts unless turned off', () => {
    const rules = { defaultMinGrade: 4, termMinGrade: {}, alertOnStoppedTreatment: false };
    expect(evaluateAlerts([{ term: 'diarrhea', grade: 3 }], 'stopped', rules)).toEqual([]);
    expect(evaluateAlerts([], 'stopped')).toEqual([{ term: null, grade: null, rule: 'treatment_stopped' }]);
  });

  it('refuses unknown terms, grades outside the scale and duplicates', () => {
    expect(
      symptomProblems([
        { term: 'headache_xyz', grade: 1 },
        { term: 'palmar_plantar_erythrodysesthesia', grade: 4 },
        { term: 'diarrhea', grade: 2 },
        { term: 'diarrhea', grade: 3 },
      ]).map((p) => p.path),
    ).toEqual(['body.symptoms.0.term', 'body.symptoms.1.grade', 'body.symptoms.3.term']);
  });
});
