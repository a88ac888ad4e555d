import { describe, expect, it } from 'vitest';
import { validateProblem } from '../../planner/index.ts';
import {
  compileProblem,
  DEFAULT_PLANNER_SETTINGS,
  familyOf,
  isolatorClassOf,
  parisMinutes,
  processingMinOf,
  type PreparationRow,
  type ProblemInput,
} from './problem.ts';
import { instantOf } from './production.presenter.ts';

const DAY = '2026-07-01';
const at = (hhmm: string, day = DAY) => new Date(instantOf(day, Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3))));

function row(over: Partial<PreparationRow> = {}): PreparationRow {
  return {
    id: over.id ?? 'p1',
    status: 'ready_to_compound',
    atc: 'L01XA03',
    moleculeCode: 'oxaliplatin',
    powderOnly: false,
    stabilityHours: 48,
    validatedAt: at('07:30'),
    greenLightAt: at('08:15'),
    scheduledAt: at('10:00'),
    destinationSiteId: null,
    anticipationAllowed: false,
    estimatedCostEur: 40,
    isolatorId: null,
    startedAt: null,
    completedAt: null,
    pin: null,
    ...over,
  };
}

function input(over: Partial<ProblemInput> = {}): ProblemInput {
  return {
    day: DAY,
    now: at('08:30'),
    settings: DEFAULT_PLANNER_SETTINGS,
    isolators: [
      { id: 'iso-1', code: 'ISO-1', label: 'Isolateur 1', dedicatedFamily: null },
      { id: 'iso-2', code: 'ISO-2', label: 'Isolateur AcM', dedicatedFamily: 'monoclonal_antibody' },
    ],
    shifts: [{ userId: 'tech-1', label: 'Tech', startMin: 480, endMin: 960 }],
    preparations: [row()],
    ...over,
  };
}

describe('Paris time', () => {
  it('counts minutes from the Paris midnight of the planned day, in summer and winter time', () => {
    expect(parisMinutes(new Date('2026-07-01T08:00:00Z'), '2026-07-01')).toBe(600); // UTC+2
    expect(parisMinutes(new Date('2026-01-15T09:00:00Z'), '2026-01-15')).toBe(600); // UTC+1
    expect(parisMinutes(new Date('2026-06-30T16:00:00Z'), '2026-07-01')).toBe(-360); // 18:00 the day before
  });

  it('maps minutes back to the instant, across the spring and autumn changes', () => {
    expect(instantOf('2026-07-01', 600)).toBe('2026-07-01T08:00:00.000Z');
    expect(instantOf('2026-01-15', 600)).toBe('2026-01-15T09:00:00.000Z');
    expect(instantOf('2026-03-29', 600)).toBe('2026-03-29T08:00:00.000Z'); // after 02:00 → 03:00
    expect(instantOf('2026-10-25', 600)).toBe('2026-10-25T09:00:00.000Z'); // after 03:00 → 02:00
    for (const m of [0, 480, 719, 1439])
      expect(parisMinutes(new Date(instantOf('2026-11-23', m)), '2026-11-23')).toBe(m);
  });
});

describe('compiling the day', () => {
  it('derives the family, class and processing time from the drug', () => {
    expect(isolatorClassOf('L01FA01')).toBe('mab'); // rituximab, ATC 2023
    expect(isolatorClassOf('L01XC02')).toBe('mab'); // rituximab, former code
    expect(isolatorClassOf('L01BC02')).toBe('standard'); // fluorouracil
    expect(isolatorClassOf(null)).toBe('standard');
    expect(familyOf({ atc: 'L01XA03', moleculeCode: 'oxaliplatin' })).toBe('L01XA');
    expect(familyOf({ atc: null, moleculeCode: 'trial_drug' })).toBe('trial_drug');
    expect(processingMinOf({ powderOnly: true })).toBe(processingMinOf({ powderOnly: false }) + 3);
  });

  it('turns a green-lit preparation into a pending job due at the chair time minus transport', () => {
    const { problem, assumptions } = compileProblem(input());
    expect(validateProblem(problem)).toEqual([]);
    expect(assumptions).toEqual([]);
    expect(problem.nowMin).toBe(510);
    expect(problem.isolators.map((i) => i.classes)).toEqual([['standard', 'mab'], ['mab']]);
    const [p] = problem.preparations;
    expect(p).toMatchObject({
      state: 'pending',
      releaseMin: 450,
      greenLightMin: 495,
      greenLightConfirmed: true,
      dueMin: 600 - 20,
      stabilityMin: null,
      weight: 1,
      family: 'L01XA',
    });
    expect(p!.anticipation).toBeUndefined();
  });

  it('expects the green light before the chair time, and prices the risk when anticipation is allowed', () => {
    const { problem } = compileProblem(
      input({
        preparations: [
          row({
            id: 'a',
            status: 'anticipated',
            greenLightAt: null,
            anticipationAllowed: true,
            estimatedCostEur: 12.5,
          }),
          row({ id: 'w', status: 'awaiting_green_light', greenLightAt: null }),
        ],
      }),
    );
    const [a, w] = problem.preparations;
    expect(a).toMatchObject({ greenLightConfirmed: false, greenLightMin: 600 - 45 });
    expect(a!.anticipation).toEqual({ cancellationProbability: 0.2, costEur: 12.5 });
    expect(w!.anticipation).toBeUndefined();
  });

  it('weighs a patient already in the chair more, and floors a short stability to whole minutes', () => {
    const { problem } = compileProblem(
      input({ preparations: [row({ scheduledAt: at('08:00'), stabilityHours: 4.01 })] }),
    );
    expect(problem.preparations[0]).toMatchObject({ weight: 3, stabilityMin: 240 });
  });

  it('uses the site transport time and the default chair time, and says so', () => {
    const settings = { ...DEFAULT_PLANNER_SETTINGS, transportBySite: { 'site-far': 45 } };
    const { problem, assumptions } = compileProblem(
      input({ settings, preparations: [row({ scheduledAt: null, destinationSiteId: 'site-far' })] }),
    );
    expect(problem.preparations[0]!.dueMin).toBe(settings.defaultAppointmentMin - 45);
    expect(assumptions).toEqual([{ kind: 'default_appointment', preparationIds: ['p1'] }]);
  });

  it('assumes one technician per isolator when no shift is recorded, and says so', () => {
    const { problem, assumptions } = compileProblem(input({ shifts: [] }));
    expect(problem.technicians).toHaveLength(2);
    expect(assumptions).toContainEqual({ kind: 'no_shifts', technicians: 2 });
  });

  it('merges the split shifts of one person', () => {
    const { problem } = compileProblem(
      input({
        shifts: [
          { userId: 't', label: 'T', startMin: 780, endMin: 960 },
          { userId: 't', label: 'T', startMin: 480, endMin: 720 },
        ],
      }),
    );
    expect(problem.technicians).toEqual([
      {
        id: 't',
        shifts: [
          { startMin: 480, endMin: 720 },
          { startMin: 780, endMin: 960 },
        ],
      },
    ]);
  });

  it('keeps work in progress and done on its isolator, and drops cancelled and unknown-isolator work', () => {
    const { problem } = compileProblem(
      input({
        preparations: [
          row({ id: 'run', status: 'in_compounding', isolatorId: 'iso-1', startedAt: at('08:20') }),
          row({
            id: 'made',
            status: 'released',
            isolatorId: 'iso-1',
            startedAt: at('08:00'),
            completedAt: at('08:09'),
          }),
          row({ id: 'gone', status: 'cancelled' }),
          row({ id: 'retired', status: 'in_compounding', isolatorId: 'iso-9', startedAt: at('08:20') }),
          row({ id: 'late', status: 'awaiting_validation', validatedAt: null }),
        ],
      }),
    );
    expect(validateProblem(problem)).toEqual([]);
    expect(problem.preparations.map((p) => [p.id, p.state])).toEqual([
      ['run', 'in_progress'],
      ['made', 'done'],
      ['late', 'pending'],
    ]);
    expect(problem.preparations[0]).toMatchObject({ isolatorId: 'iso-1', startedMin: 500 });
    expect(problem.preparations[1]).toMatchObject({ startedMin: 480, finishedMin: 489 });
    expect(problem.preparations[2]!.releaseMin).toBe(510 + 15);
  });

  it('passes the pharmacist’s pins to the planner', () => {
    const { problem } = compileProblem(
      input({
        preparations: [
          row({ pin: { isolatorId: 'iso-1', position: 0 } }),
          row({ id: 'p2', pin: { isolatorId: 'iso-1', position: null } }),
        ],
      }),
    );
    expect(problem.preparations[0]!.pin).toEqual({ isolatorId: 'iso-1', position: 0 });
    expect(problem.preparations[1]!.pin).toEqual({ isolatorId: 'iso-1' });
  });
});
