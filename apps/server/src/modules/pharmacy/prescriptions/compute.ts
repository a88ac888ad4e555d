import type {
  ComputedLineDto,
  DoseComputationDto,
  DosePreviewBody,
  DosingWarningDto,
  PharmacySettings,
  RenalFunctionDto,
} from '@passerelle/contracts';
import { AppError } from '../../../core/errors.ts';
import {
  checkCreatinine,
  ckdEpi2021,
  cockcroftGault,
  collectWarnings,
  computeBsa,
  computeLineDose,
  estimateGfrForCalvert,
  measuredGfr,
  type DoseBasis,
  type DoseUnit,
  type Sex,
  type Trace,
} from '../dosing/index.ts';

/*
 * Turns a prescription's inputs into its full dose computation with the pure dosing core: BSA, renal function,
 * one dose per regimen line applicable to the cycle, every trace and the settings used. No database: the
 * service loads the patient, the regimen and the pharmacy settings, and stores what this returns.
 */

export interface DosingRegimen {
  id: string;
  code: string;
  version: number;
  name: string;
  cycleLengthDays: number;
  cycles: number | null;
}

export interface DosingRegimenLine {
  id: string;
  position: number;
  moleculeId: string;
  moleculeCode: string;
  moleculeInn: string;
  moleculeInnFr: string;
  basis: DoseBasis;
  dose: number;
  doseUnit: DoseUnit;
  route: string;
  administration: string;
  container: string;
  diluent: string | null;
  volumeMl: number | null;
  durationMin: number | null;
  days: number[];
  cyclesFrom: number | null;
  cyclesTo: number | null;
  anticipatedAllowed: boolean;
  maxSingleDose: { value: number; behaviour: 'cap' | 'refuse' } | null;
}

export interface DosingPatient {
  birthDate: string;
  sex: 'F' | 'M' | 'I';
}

export type DosingInputs = Pick<
  DosePreviewBody,
  | 'cycleNumber'
  | 'day1Date'
  | 'heightCm'
  | 'weightKg'
  | 'creatinine'
  | 'measuredGfr'
  | 'adjustments'
  | 'cardiacRiskFactors'
>;

const DAY_MS = 86_400_000;

/** `iso` + `days` days, as an ISO date. */
export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Age in whole years on `on` (both ISO dates). */
export function ageOn(birthDate: string, on: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** Whether a regimen line is given in this cycle (a loading dose in cycle 1 only, a drug added from cycle 2…). */
export function lineAppliesToCycle(line: Pick<DosingRegimenLine, 'cyclesFrom' | 'cyclesTo'>, cycle: number): boolean {
  return (line.cyclesFrom === null || cycle >= line.cyclesFrom) && (line.cyclesTo === null || cycle <= line.cyclesTo);
}

/**
 * Re-throws a dosing-core error with its field paths mapped to the request body, so the interface can point at
 * the field the prescriber typed (`weightKg` → `body.weightKg`).
 */
function withPaths<T>(map: (path: string) => string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof AppError && error.extra.fields) {
      throw new AppError(error.code, error.message, {
        ...error.extra,
        fields: error.extra.fields.map((f) => ({ ...f, path: map(f.path) })),
      });
    }
    throw error;
  }
}

const inBody = (prefix: string) => (path: string) => `body.${prefix}${path}`;

function invalid(path: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', message, { fields: [{ path, message }] });
}

function dedupe(warnings: DosingWarningDto[]): DosingWarningDto[] {
  const seen = new Set<string>();
  return warnings.filter((w) => {
    const key = `${w.code}\u0000${w.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The dose computation of one cycle. Throws with a specific code on implausible input (HEIGHT_IMPLAUSIBLE,
 * WEIGHT_IMPLAUSIBLE, CREATININE_UNIT_SUSPECT…), on a dose above a regimen maximum that refuses
 * (DOSE_ABOVE_MAXIMUM), on an adjustment without reason (DOSE_ADJUSTMENT_REASON_REQUIRED), and when an
 * AUC-based line has no usable renal function.
 */
export function computePrescription(input: {
  now: Date;
  /** Today in the cooperation's time zone (a creatinine cannot be dated later). */
  today: string;
  patient: DosingPatient;
  regimen: DosingRegimen;
  lines: DosingRegimenLine[];
  inputs: DosingInputs;
  settings: Pick<PharmacySettings, 'bsa' | 'renal' | 'rounding'>;
}): DoseComputationDto {
  const { inputs, settings, patient } = input;
  const ageYears = ageOn(patient.birthDate, inputs.day1Date);
  const bsa = withPaths(inBody(''), () =>
    computeBsa({ heightCm: inputs.heightCm, weightKg: inputs.weightKg }, settings.bsa),
  );

  const applicable = input.lines.filter((l) => lineAppliesToCycle(l, inputs.cycleNumber));
  if (applicable.length === 0) {
    throw invalid('body.cycleNumber', `The regimen has no line for cycle ${inputs.cycleNumber}`);
  }

  const adjustments = new Map<string, { percent: number; reason: string | null }>();
  inputs.adjustments.forEach((a, i) => {
    if (!applicable.some((l) => l.id === a.regimenLineId)) {
      throw invalid(`body.adjustments.${i}.regimenLineId`, 'Not a line of this regimen for this cycle');
    }
    if (adjustments.has(a.regimenLineId)) {
      throw invalid(`body.adjustments.${i}.regimenLineId`, 'One adjustment per line');
    }
    adjustments.set(a.regimenLineId, { percent: a.percent, reason: a.reason ?? null });
  });

  // --- renal function ------------------------------------------------------------------------------------
  const creatinine = inputs.creatinine ? { value: inputs.creatinine.value, unit: inputs.creatinine.unit } : null;
  if (creatinine) {
    // Checked before any equation so that a unit error is reported as such, whatever the patient's age.
    checkCreatinine(creatinine, 'body.creatinine');
    if (inputs.creatinine!.date > input.today) {
      throw invalid('body.creatinine.date', 'A creatinine cannot be dated in the future');
    }
  }
  const sex: Sex | null = patient.sex === 'F' ? 'female' : patient.sex === 'M' ? 'male' : null;
  const notApplicable = !sex
    ? 'The renal equations are defined for female or male only'
    : ageYears < 18
      ? 'Cockcroft-Gault and CKD-EPI 2021 are adult equations (18 years and over)'
      : null;
  const renal: RenalFunctionDto = {
    cockcroftGault: null,
    ckdEpi2021: null,
    measuredGfr: null,
    gfrForCalvert: null,
    notApplicable: creatinine ? notApplicable : null,
  };
  if (creatinine && sex && !notApplicable) {
    renal.cockcroftGault = withPaths(inBody(''), () =>
      cockcroftGault(
        { ageYears, sex, weightKg: inputs.weightKg, heightCm: inputs.heightCm, creatinine },
        settings.renal.cockcroftGault,
      ),
    );
    renal.ckdEpi2021 = ckdEpi2021({ ageYears, sex, creatinine });
  }
  let measured: Trace<'mL/min'> | null = null;
  if (inputs.measuredGfr) {
    const m = inputs.measuredGfr;
    measured = withPaths(inBody('measuredGfr.'), () => measuredGfr({ valueMlMin: m.valueMlMin, method: m.method }));
    renal.measuredGfr = measured;
  }
  let gfr: Trace<'mL/min'> | undefined;
  if (applicable.some((l) => l.basis === 'auc')) {
    if (measured) {
      gfr = measured;
    } else if (!creatinine) {
      throw invalid('body.creatinine', 'An AUC-based dose needs a creatinine or a measured GFR');
    } else if (notApplicable || !sex) {
      throw new AppError('RENAL_FORMULA_NOT_APPLICABLE', `${notApplicable}: give a measured GFR`, {
        fields: [{ path: 'body.measuredGfr', message: 'required' }],
      });
    } else {
      gfr =
        settings.renal.calvert.gfrSource === 'cockcroft_gault' && renal.cockcroftGault
          ? (renal.cockcroftGault as Trace<'mL/min'>)
          : estimateGfrForCalvert(
              { ageYears, sex, heightCm: inputs.heightCm, weightKg: inputs.weightKg, creatinine },
              {
                gfrSource: settings.renal.calvert.gfrSource,
                cockcroftGault: settings.renal.cockcroftGault,
                bsa: settings.bsa,
              },
            );
    }
    renal.gfrForCalvert = gfr;
  }

  // --- line doses ----------------------------------------------------------------------------------------
  const lines: ComputedLineDto[] = applicable.map((line) => {
    const adjustment = adjustments.get(line.id) ?? { percent: 100, reason: null };
    const index = inputs.adjustments.findIndex((a) => a.regimenLineId === line.id);
    const trace = withPaths(
      (path) =>
        path.startsWith('adjustment.') && index >= 0
          ? `body.adjustments.${index}.${path.slice('adjustment.'.length)}`
          : `lines.${line.position}.${path}`,
      () =>
        computeLineDose(
          {
            basis: line.basis,
            prescribedDose: line.dose,
            doseUnit: line.doseUnit,
            bsa,
            weightKg: inputs.weightKg,
            ...(gfr ? { gfr } : {}),
            adjustment,
            rounding: settings.rounding.perMolecule[line.moleculeCode]?.rule ?? { kind: 'none' },
            maxSingleDose: line.maxSingleDose,
          },
          {
            maxRoundingDeviationPercent: settings.rounding.maxDeviationPercent,
            calvert: { estimatedGfrCapMlMin: settings.renal.calvert.estimatedGfrCapMlMin },
          },
        ),
    );
    const i = trace.intermediates;
    return {
      regimenLineId: line.id,
      position: line.position,
      moleculeId: line.moleculeId,
      moleculeCode: line.moleculeCode,
      moleculeInn: line.moleculeInn,
      moleculeInnFr: line.moleculeInnFr,
      basis: line.basis,
      protocolDose: line.dose,
      doseUnit: line.doseUnit,
      route: line.route,
      administration: line.administration,
      container: line.container,
      diluent: line.diluent,
      volumeMl: line.volumeMl,
      durationMin: line.durationMin,
      days: line.days,
      administrationDates: line.days.map((d) => addDays(inputs.day1Date, d - 1)),
      anticipatedPreparationAllowed: line.anticipatedAllowed,
      adjustmentPercent: adjustment.percent,
      adjustmentReason: adjustment.percent === 100 ? null : (adjustment.reason?.trim() ?? null),
      theoreticalDose: i.theoreticalDose,
      calculatedDose: i.calculatedDose,
      finalDose: trace.value,
      roundingDeviationPercent: i.roundingDeviationPercent,
      deviationFromProtocolPercent: i.deviationFromProtocolPercent,
      trace,
    };
  });

  const traces: Trace[] = [bsa, ...lines.map((l) => l.trace as Trace)];
  for (const t of [renal.cockcroftGault, renal.ckdEpi2021, renal.measuredGfr]) if (t) traces.push(t as Trace);
  const warnings = dedupe(traces.flatMap((t) => collectWarnings(t)));
  if (renal.notApplicable) {
    warnings.push({ code: 'RENAL_FORMULA_NOT_APPLICABLE', severity: 'warning', message: renal.notApplicable });
  }

  const prescribed = new Set(lines.map((l) => l.moleculeCode));
  return {
    computedAt: input.now.toISOString(),
    patient: { ageYears, sex: patient.sex },
    regimen: input.regimen,
    cycleNumber: inputs.cycleNumber,
    day1Date: inputs.day1Date,
    inputs: {
      heightCm: inputs.heightCm,
      weightKg: inputs.weightKg,
      creatinine: inputs.creatinine ?? null,
      measuredGfr: inputs.measuredGfr ?? null,
      cardiacRiskFactors: inputs.cardiacRiskFactors,
    },
    bsa,
    renal,
    lines,
    warnings,
    settings: {
      bsa: settings.bsa,
      renal: settings.renal,
      rounding: {
        maxDeviationPercent: settings.rounding.maxDeviationPercent,
        perMolecule: Object.fromEntries(
          Object.entries(settings.rounding.perMolecule).filter(([code]) => prescribed.has(code)),
        ),
      },
    },
  };
}

/** A stored regimen line (regimen_lines joined with its molecule), as the dose computation reads it. */
export interface StoredRegimenLine {
  id: string;
  position: number;
  molecule_id: string;
  molecule_code: string;
  molecule_inn: string;
  molecule_inn_fr: string;
  basis: string;
  dose: string | number;
  dose_unit: string;
  route: string;
  administration: string;
  container_kind: string;
  diluent: string | null;
  volume_ml: string | number | null;
  duration_min: number | null;
  days: number[];
  cycles_from: number | null;
  cycles_to: number | null;
  anticipated_allowed: boolean;
  max_single_dose: string | number | null;
  max_single_dose_behaviour: 'cap' | 'refuse' | null;
}

export function toDosingLine(l: StoredRegimenLine): DosingRegimenLine {
  return {
    id: l.id,
    position: l.position,
    moleculeId: l.molecule_id,
    moleculeCode: l.molecule_code,
    moleculeInn: l.molecule_inn,
    moleculeInnFr: l.molecule_inn_fr,
    basis: l.basis as DoseBasis,
    dose: Number(l.dose),
    doseUnit: l.dose_unit as DoseUnit,
    route: l.route,
    administration: l.administration,
    container: l.container_kind,
    diluent: l.diluent,
    volumeMl: l.volume_ml === null ? null : Number(l.volume_ml),
    durationMin: l.duration_min,
    days: l.days,
    cyclesFrom: l.cycles_from,
    cyclesTo: l.cycles_to,
    anticipatedAllowed: l.anticipated_allowed,
    maxSingleDose:
      l.max_single_dose !== null && l.max_single_dose_behaviour
        ? { value: Number(l.max_single_dose), behaviour: l.max_single_dose_behaviour }
        : null,
  };
}
