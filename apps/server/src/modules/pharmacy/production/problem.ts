import type { PreparationStatusValue } from '@passerelle/contracts';
import {
  DEFAULT_WEIGHTS,
  MEAN_PREPARATION_MIN,
  type Isolator,
  type IsolatorClass,
  type ObjectiveWeights,
  type Preparation,
  type PreparationState,
  type Problem,
  type Technician,
} from '../../planner/index.ts';

/**
 * Compiles the pharmacy's day, as stored, into the planner's problem. Pure: the repository reads the rows,
 * this decides what they mean for planning. Every assumption made for a missing figure is reported in
 * `assumptions` so the board can say it.
 */

export interface PlannerSettings {
  weights: ObjectiveWeights;
  changeoverMin: number;
  releaseCheckMin: number;
  transportMin: number;
  transportBySite: Record<string, number>;
  defaultAppointmentMin: number;
  cancellationProbability: number;
  dayStartMin: number;
  dayEndMin: number;
}

/**
 * Defaults: 08:00–18:00 (units usually open 8 h a day, REFERENCE §2.5), a 10-minute changeover between
 * molecule families (SAS cycle 2.2 min plus cleaning), a 5-minute release check, 20 minutes of transport,
 * patients at 10:00 when no chair time is known, and a 20 % cancellation rate (CH Le Mans: 19.2 % of
 * day-hospital protocols modified the day before, REFERENCE §2.4).
 */
export const DEFAULT_PLANNER_SETTINGS: PlannerSettings = {
  weights: DEFAULT_WEIGHTS,
  changeoverMin: 10,
  releaseCheckMin: 5,
  transportMin: 20,
  transportBySite: {},
  defaultAppointmentMin: 600,
  cancellationProbability: 0.2,
  dayStartMin: 480,
  dayEndMin: 1080,
};

/** Minutes of reconstitution added for a drug supplied only as powder. */
export const RECONSTITUTION_MIN = 3;
/** A preparation whose patient is already in the chair weighs this much more than one not yet due. */
export const IN_CHAIR_WEIGHT = 3;
/** Expected green light, when not given yet: this long before the chair time. */
export const GREEN_LIGHT_LEAD_MIN = 45;
/** A preparation awaiting validation is assumed validated this long after now. */
export const VALIDATION_LEAD_MIN = 15;

export interface IsolatorRow {
  id: string;
  code: string;
  label: string;
  dedicatedFamily: 'cytotoxic' | 'monoclonal_antibody' | 'clinical_trial' | null;
}

export interface ShiftRow {
  userId: string;
  label: string;
  startMin: number;
  endMin: number;
}

export type PreparationRowStatus = PreparationStatusValue;

export interface PreparationRow {
  id: string;
  status: PreparationRowStatus;
  atc: string | null;
  moleculeCode: string;
  /** Only powder presentations: the vial must be reconstituted. */
  powderOnly: boolean;
  /** Shortest stability after dilution, hours; null when none is known. */
  stabilityHours: number | null;
  validatedAt: Date | null;
  greenLightAt: Date | null;
  scheduledAt: Date | null;
  destinationSiteId: string | null;
  anticipationAllowed: boolean;
  estimatedCostEur: number;
  isolatorId: string | null;
  startedAt: Date | null;
  completedAt: Date | null;
  pin: { isolatorId: string; position: number | null } | null;
}

export interface ProblemInput {
  day: string;
  now: Date;
  settings: PlannerSettings;
  isolators: IsolatorRow[];
  shifts: ShiftRow[];
  preparations: PreparationRow[];
}

export type Assumption =
  | { kind: 'no_shifts'; technicians: number }
  | { kind: 'default_appointment'; preparationIds: string[] }
  | { kind: 'expected_validation'; preparationIds: string[] };

export interface CompiledProblem {
  problem: Problem;
  assumptions: Assumption[];
}

const PARIS_PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** Minutes from midnight (Paris) of `day` to `at`: negative the day before, beyond 1440 the day after. */
export function parisMinutes(at: Date, day: string): number {
  const parts = Object.fromEntries(PARIS_PARTS.formatToParts(at).map((p) => [p.type, p.value]));
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const days = Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${day}T00:00:00Z`)) / 86_400_000);
  return days * 1440 + Number(parts.hour) * 60 + Number(parts.minute) + at.getUTCSeconds() / 60;
}

/** Monoclonal antibodies (ATC L01F, formerly L01XC) go to isolators that take them. */
export function isolatorClassOf(atc: string | null): IsolatorClass {
  if (atc && (atc.startsWith('L01F') || atc.startsWith('L01XC'))) return 'mab';
  return 'standard';
}

/** Changeovers happen between pharmacological families: the ATC 4th level, or the molecule when unknown. */
export function familyOf(row: Pick<PreparationRow, 'atc' | 'moleculeCode'>): string {
  return row.atc ? row.atc.slice(0, 5) : row.moleculeCode;
}

export function classesOf(isolator: IsolatorRow): IsolatorClass[] {
  switch (isolator.dedicatedFamily) {
    case 'cytotoxic':
      return ['standard'];
    case 'monoclonal_antibody':
      return ['mab'];
    case 'clinical_trial':
      return ['trial'];
    default:
      return ['standard', 'mab'];
  }
}

const PENDING: ReadonlySet<PreparationRowStatus> = new Set([
  'awaiting_validation',
  'awaiting_green_light',
  'anticipated',
  'ready_to_compound',
]);
const DONE: ReadonlySet<PreparationRowStatus> = new Set([
  'compounded',
  'released',
  'dispatched',
  'received',
  'administered',
]);

export function processingMinOf(row: Pick<PreparationRow, 'powderOnly'>): number {
  return Math.round(MEAN_PREPARATION_MIN) + (row.powderOnly ? RECONSTITUTION_MIN : 0);
}

export function compileProblem(input: ProblemInput): CompiledProblem {
  const { settings, day } = input;
  const dayInterval = { startMin: settings.dayStartMin, endMin: settings.dayEndMin };
  const nowMin = Math.min(Math.max(Math.floor(parisMinutes(input.now, day)), 0), 1440);
  const assumptions: Assumption[] = [];

  const isolators: Isolator[] = input.isolators.map((i) => ({
    id: i.id,
    classes: classesOf(i),
    availability: [dayInterval],
  }));

  let technicians: Technician[] = input.shifts.map((s) => ({
    id: s.userId,
    shifts: [{ startMin: s.startMin, endMin: s.endMin }],
  }));
  // Several shifts of one person the same day (split shift) make one technician.
  const byId = new Map<string, Technician>();
  for (const t of technicians) {
    const known = byId.get(t.id);
    if (known) known.shifts.push(...t.shifts);
    else byId.set(t.id, { id: t.id, shifts: [...t.shifts] });
  }
  technicians = [...byId.values()].map((t) => ({ ...t, shifts: t.shifts.sort((a, b) => a.startMin - b.startMin) }));
  if (technicians.length === 0) {
    technicians = isolators.map((_, k) => ({ id: `assumed-${k + 1}`, shifts: [dayInterval] }));
    assumptions.push({ kind: 'no_shifts', technicians: technicians.length });
  }

  const defaultAppointment: string[] = [];
  const expectedValidation: string[] = [];
  const preparations: Preparation[] = [];
  for (const row of input.preparations) {
    let state: PreparationState;
    if (PENDING.has(row.status)) state = 'pending';
    else if (row.status === 'in_compounding') state = 'in_progress';
    else if (DONE.has(row.status) && row.isolatorId && row.startedAt && row.completedAt) state = 'done';
    else continue;
    // Made on an isolator since retired: it no longer weighs on any sequence.
    if (state !== 'pending' && !input.isolators.some((i) => i.id === row.isolatorId)) continue;

    const processingMin = processingMinOf(row);
    let scheduledMin = settings.defaultAppointmentMin;
    if (row.scheduledAt) scheduledMin = Math.round(parisMinutes(row.scheduledAt, day));
    else if (state === 'pending') defaultAppointment.push(row.id);
    const transport =
      (row.destinationSiteId ? settings.transportBySite[row.destinationSiteId] : undefined) ?? settings.transportMin;
    const dueMin = Math.max(scheduledMin - transport, 0);

    let releaseMin: number;
    if (row.status === 'awaiting_validation' || !row.validatedAt) {
      releaseMin = Math.min(nowMin + VALIDATION_LEAD_MIN, 1440);
      if (state === 'pending') expectedValidation.push(row.id);
    } else {
      releaseMin = Math.min(Math.max(Math.floor(parisMinutes(row.validatedAt, day)), 0), 1440);
    }

    const confirmed = row.greenLightAt !== null || row.status === 'ready_to_compound';
    const greenLightMin = row.greenLightAt
      ? Math.min(Math.max(Math.floor(parisMinutes(row.greenLightAt, day)), 0), 1440)
      : confirmed
        ? releaseMin
        : Math.min(Math.max(scheduledMin - GREEN_LIGHT_LEAD_MIN, settings.dayStartMin, releaseMin), 1440);

    const stabilityMin =
      row.stabilityHours === null || row.stabilityHours >= 24 ? null : Math.floor(row.stabilityHours * 60);
    const inChair = confirmed && scheduledMin <= nowMin;
    const prep: Preparation = {
      id: row.id,
      family: familyOf(row),
      isolatorClass: isolatorClassOf(row.atc),
      processingMin,
      releaseMin,
      greenLightMin,
      greenLightConfirmed: confirmed,
      dueMin,
      stabilityMin,
      weight: inChair ? IN_CHAIR_WEIGHT : 1,
      state,
    };
    if (!confirmed && row.anticipationAllowed) {
      prep.anticipation = {
        cancellationProbability: settings.cancellationProbability,
        costEur: row.estimatedCostEur,
      };
    }
    if (state === 'pending' && row.pin) {
      prep.pin = {
        isolatorId: row.pin.isolatorId,
        ...(row.pin.position !== null ? { position: row.pin.position } : {}),
      };
    }
    if (state !== 'pending') {
      prep.isolatorId = row.isolatorId!;
      prep.startedMin = Math.max(Math.floor(parisMinutes(row.startedAt!, day)), 0);
      if (state === 'done')
        prep.finishedMin = Math.max(Math.ceil(parisMinutes(row.completedAt!, day)), prep.startedMin);
    }
    preparations.push(prep);
  }
  if (defaultAppointment.length > 0)
    assumptions.push({ kind: 'default_appointment', preparationIds: defaultAppointment });
  if (expectedValidation.length > 0)
    assumptions.push({ kind: 'expected_validation', preparationIds: expectedValidation });

  return {
    problem: {
      nowMin,
      day: dayInterval,
      isolators,
      technicians,
      preparations,
      changeoverMin: settings.changeoverMin,
      releaseCheckMin: settings.releaseCheckMin,
      weights: settings.weights,
    },
    assumptions,
  };
}
