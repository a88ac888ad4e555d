/*
 * Types of the compounding cores: pure code (no database, no HTTP). The services of the compounding module call
 * these functions; everything here is deterministic given its inputs (the clock is passed in as `now`).
 *
 * Functions (each implemented in the file named, all re-exported by `./index.ts`):
 * - gs1.ts               parseGs1: ParseGs1; gtinFromCip13(cip13): string; cip13FromGtin(gtin): string | null;
 *                        isValidGtin(gtin): boolean; formatGs1(elements): string
 * - gravimetry.ts        checkWeighing: CheckWeighing; expectedMassG(volumeMl, density, tareG?): number;
 *                        toleranceFor(volumeMl, tolerance?); DEFAULT_GRAVIMETRIC_TOLERANCE
 * - balance.ts           BalanceDriver (interface), createSimulatedBalance: CreateSimulatedBalance
 * - vials.ts             planPreparation: PlanPreparation; adapters from the referential: planPresentationFrom,
 *                        planContainerFrom, planStabilityFrom
 * - labels.ts            renderLabelPdf: RenderLabelPdf; renderLabelZpl: RenderLabelZpl;
 *                        labelPayload(preparationId): string; parseLabelPayload: ParseLabelPayload
 * - fabrication-sheet.ts renderFabricationSheetPdf: RenderFabricationSheetPdf
 */

// ---------------------------------------------------------------------------------------------------------
// GS1 DataMatrix (REFERENCE §3.2)
// ---------------------------------------------------------------------------------------------------------

export type Gs1ErrorCode =
  | 'GS1_EMPTY'
  | 'GS1_TRUNCATED'
  | 'GS1_BAD_CHECK_DIGIT'
  | 'GS1_UNKNOWN_AI'
  | 'GS1_MISSING_GTIN'
  | 'GS1_BAD_DATE'
  | 'GS1_FIELD_TOO_LONG'
  | 'GS1_BAD_CHARACTER'
  | 'GS1_DUPLICATE_AI';

export interface Gs1Element {
  /** Application identifier, e.g. `01`, `17`, `10`, `21`, `710`. */
  ai: string;
  value: string;
}

export interface Gs1Data {
  /** AI 01, 14 digits, check digit verified. Null only when parsed with `requireGtin: false`. */
  gtin: string | null;
  /** The CIP13 embedded in a French GTIN-14 (`03400…` → `3400…`), or null for another GTIN. */
  cip13: string | null;
  /** AI 17 as an ISO date `YYYY-MM-DD` (day 00 = last day of the month). */
  expiry: string | null;
  /** AI 10. */
  lot: string | null;
  /** AI 21. */
  serial: string | null;
  /** Every element in scan order, including the tolerated ones (710, 240, 11…). */
  elements: Gs1Element[];
}

export type Gs1Result =
  | { ok: true; value: Gs1Data }
  | {
      ok: false;
      code: Gs1ErrorCode;
      /** English, for logs and developers; the UI translates `code`. Never contains patient data. */
      message: string;
      /** The AI concerned, when there is one. */
      ai?: string;
    };

export interface ParseGs1Options {
  /** Default true: a vial's code must carry AI 01. */
  requireGtin?: boolean;
}

export type ParseGs1 = (raw: string, options?: ParseGs1Options) => Gs1Result;

// ---------------------------------------------------------------------------------------------------------
// Gravimetric control (REFERENCE §2.1, §2.2)
// ---------------------------------------------------------------------------------------------------------

export interface GravimetricTolerance {
  /** Volumes at or below this (mL) use `smallVolumePercent`. Default 2 mL. */
  smallVolumeThresholdMl: number;
  /** Default 8 % (Centre Oscar Lambret, lowered from 15 %). */
  smallVolumePercent: number;
  /** Default 5 %. */
  largeVolumePercent: number;
}

export interface WeighingInput {
  /** The volume being checked (drawn volume in-process, or the whole content for the finished product). */
  volumeMl: number;
  /** g/mL; null → 1.0 with the warning `DENSITY_ASSUMED`. */
  densityGPerMl: number | null;
  /** Empty container mass when weighing the finished product (or a non-tared syringe); default 0. */
  tareG?: number;
  measuredG: number;
  /** False when the balance reported an unstable reading: the weighing is then rejected (`UNSTABLE_READING`). */
  stable?: boolean;
  tolerance?: GravimetricTolerance;
}

export interface WeighingResult {
  /** volume × density + tare, in g (4 decimals). */
  expectedG: number;
  measuredG: number;
  tareG: number;
  densityUsed: number;
  /** (measured − expected) / (expected − tare) × 100, i.e. on the net drug mass, signed, 2 decimals. */
  deviationPercent: number;
  /** The limit applied, in %. */
  limitPercent: number;
  /** Which branch of the tolerance applied. */
  limitKind: 'small_volume' | 'large_volume';
  result: 'accepted' | 'rejected';
  warnings: ('DENSITY_ASSUMED' | 'UNSTABLE_READING')[];
}

export type CheckWeighing = (input: WeighingInput) => WeighingResult;

// ---------------------------------------------------------------------------------------------------------
// Balance driver
// ---------------------------------------------------------------------------------------------------------

export interface BalanceReading {
  massG: number;
  stable: boolean;
}

export interface SimulatedBalanceOptions {
  id?: string;
  /** Seed of the noise generator (same seed → same readings). */
  seed?: number;
  /** Standard deviation of the noise, g (default 0.02). */
  noiseG?: number;
}

/** A connected balance. Real drivers (serial/USB/network) implement the same interface. */
export interface BalanceDriver {
  readonly id: string;
  read(): Promise<BalanceReading>;
}

/** The demo balance: noise around what was placed on it. */
export interface SimulatedBalance extends BalanceDriver {
  /**
   * Puts a load of `massG` on the plate; `offsetPercent` (e.g. 12) makes the next readings off by that much,
   * to show an out-of-tolerance weighing.
   */
  place(massG: number, options?: { offsetPercent?: number }): void;
  /** Empties the plate (readings ≈ 0). */
  clear(): void;
}

export type CreateSimulatedBalance = (options?: SimulatedBalanceOptions) => SimulatedBalance;

// ---------------------------------------------------------------------------------------------------------
// Fabrication plan (vial combination, reliquats, beyond-use date)
// ---------------------------------------------------------------------------------------------------------

export interface PlanPresentation {
  id: string;
  label: string;
  /** Drug per vial, in the dose's unit. */
  strength: number;
  /** Drug per mL as drawn (after reconstitution for a powder). */
  concentrationPerMl: number;
  /** Volume holding `strength` (after reconstitution for a powder). */
  volumeMl: number;
  form: 'solution' | 'powder';
  reconstitution: { diluentId: string; volumeMl: number } | null;
  unitPriceEur: number;
  densityGPerMl: number | null;
  /** Lots in stock for this presentation (FEFO choice); omitted or empty = lot chosen at scan time. */
  lots?: { lot: string; expiry: string; quantity: number }[];
}

export interface OpenReliquat {
  id: string;
  presentationId: string;
  lot: string;
  remainingVolumeMl: number;
  concentrationPerMl: number;
  openedAt: Date;
  expiresAt: Date;
}

/** A stability rule as in the referential (REFERENCE §2.3), already filtered to the molecule. */
export interface PlanStabilityRule {
  id: string;
  phase: 'after_reconstitution' | 'after_dilution';
  diluentId: string | null;
  concentrationPerMl: { min: number; max: number } | null;
  container: 'vial' | 'bag' | 'non_pvc_bag' | 'syringe' | 'elastomeric_pump';
  temperatureC: { min: number; max: number };
  lightProtection: boolean;
  durationHours: number;
  source: string;
}

export interface PlanContainer {
  id: string;
  kind: 'bag' | 'syringe' | 'elastomeric_pump';
  label: string;
  /** Solution the bag is pre-filled with; null for an empty syringe or pump. */
  diluentId: string | null;
  nominalVolumeMl: number;
  tareMassG: number;
}

export interface PlanInput {
  moleculeId: string;
  dose: number;
  doseUnit: string;
  presentations: PlanPresentation[];
  reliquats: OpenReliquat[];
  container: PlanContainer;
  /** Diluent of the final preparation (from the prescription line or the container); null = undiluted. */
  diluentId: string | null;
  diluentDensityGPerMl?: number | null;
  /** Final volume asked by the prescription line (mL); null = container nominal volume (+ drug) or drug only. */
  finalVolumeMl: number | null;
  stability: PlanStabilityRule[];
  /** When nothing else applies (REFERENCE §2.3: 24 h at 2–8 °C). */
  defaultLimit: { durationHours: number; temperatureC: { min: number; max: number }; source: string };
  /** Reliquats expiring within this many hours from `now` are not used (default 0). */
  reliquatMinimumRemainingHours?: number;
  now: Date;
}

export interface PlanDraw {
  source: 'reliquat' | 'new_vial';
  /** For a reliquat. */
  reliquatId: string | null;
  presentationId: string;
  /** Known for a reliquat or a FEFO lot in stock; null = any unexpired lot scanned at compounding. */
  lot: string | null;
  /** Number of vials of this presentation opened for this draw (1 for a reliquat). */
  vialCount: number;
  /** Volume to draw, mL (2 decimals). */
  volumeMl: number;
  /** Drug drawn, in the dose unit. */
  amount: number;
  concentrationPerMl: number;
}

export interface PlanReconstitution {
  presentationId: string;
  vialCount: number;
  diluentId: string;
  volumeMlPerVial: number;
}

export interface PlanLeftover {
  presentationId: string;
  lot: string | null;
  remainingVolumeMl: number;
  concentrationPerMl: number;
  /** Keep as a new reliquat until this time (after-reconstitution/opened-vial stability), or null = discard. */
  expiresAt: Date | null;
  /** Stability rule used, or why it must be discarded. */
  basis: string;
}

export interface BeyondUse {
  expiresAt: Date;
  temperatureC: { min: number; max: number };
  lightProtection: boolean;
  /** What set the limit: a stability entry, the default limit, a reliquat used, or a planned lot's expiry. */
  limitKind: 'stability' | 'default' | 'reliquat' | 'lot';
  /** The stability entry id, reliquat lot or lot number; null for the default limit. */
  limitRef: string | null;
  /** The same, in English, for logs and audit. */
  limitedBy: string;
  source: string;
}

export interface PreparationPlan {
  moleculeId: string;
  dose: number;
  doseUnit: string;
  draws: PlanDraw[];
  vials: { presentationId: string; count: number; unitPriceEur: number }[];
  reconstitutions: PlanReconstitution[];
  /** Total drug volume drawn, mL. */
  drugVolumeMl: number;
  container: PlanContainer;
  diluentId: string | null;
  /** Diluent to remove from (negative) or add to the container so the final volume is reached; 0 if none. */
  diluentAdjustmentMl: number;
  finalVolumeMl: number;
  finalConcentrationPerMl: number;
  /** Expected mass of the finished product (tare + content), g. */
  expectedFinishedMassG: number;
  /** Drug opened from new vials beyond the dose (what the vial choice minimises), in the dose unit. */
  overageAmount: number;
  /** Part of the overage that must be discarded (no in-use stability to keep it as a reliquat). */
  wasteAmount: number;
  /** Cost of the new vials opened, € excl. VAT. */
  costEur: number;
  leftovers: PlanLeftover[];
  beyondUse: BeyondUse;
  warnings: ('DENSITY_ASSUMED' | 'CONCENTRATION_OUTSIDE_STABILITY_DATA' | 'DEFAULT_STABILITY_LIMIT')[];
}

export type PlanErrorCode =
  | 'PLAN_INVALID_DOSE'
  | 'PLAN_NO_PRESENTATION'
  | 'PLAN_INSUFFICIENT_STOCK'
  | 'PLAN_DILUENT_MISMATCH'
  | 'PLAN_VOLUME_EXCEEDS_CONTAINER';

export type PlanResult = { ok: true; plan: PreparationPlan } | { ok: false; code: PlanErrorCode; message: string };

export type PlanPreparation = (input: PlanInput) => PlanResult;

// ---------------------------------------------------------------------------------------------------------
// Documents: label (PDF, ZPL) and fabrication sheet (PDF)
// ---------------------------------------------------------------------------------------------------------

export interface LabelPatient {
  lastName: string;
  firstName: string;
  /** ISO date. */
  birthDate: string;
  /** INS (15 digits) when qualified, else null. */
  ins: string | null;
  /** Local patient id (IPP), used when there is no INS. */
  ipp: string | null;
}

export interface LabelData {
  preparationId: string;
  patient: LabelPatient;
  /** e.g. "Oxaliplatine". */
  drug: string;
  dose: number;
  doseUnit: string;
  volumeMl: number;
  /** e.g. "IV". */
  route: string;
  /** e.g. "Poche Glucose 5 % 250 mL". */
  container: string;
  expiresAt: Date;
  storage: { temperatureC: { min: number; max: number }; lightProtection: boolean };
  destination: { unit: string; establishment: string };
  /** Producing pharmacy. */
  producer: string;
  preparedAt: Date;
  /** IANA zone for the printed dates/times; default Europe/Paris. */
  timeZone?: string;
}

export type RenderLabelPdf = (data: LabelData) => Promise<Buffer>;
export type RenderLabelZpl = (data: LabelData) => string;

export type ParseLabelPayload = (
  raw: string,
) => { ok: true; preparationId: string } | { ok: false; code: 'LABEL_PAYLOAD_INVALID'; message: string };

export interface FabricationSheetData {
  preparationId: string;
  patient: LabelPatient;
  drug: string;
  dose: number;
  doseUnit: string;
  route: string;
  /** ISO date. */
  administrationDate: string;
  destination: { unit: string; establishment: string };
  producer: string;
  /** Presentation id → label, for the vial lines. */
  presentationLabels: Record<string, string>;
  /** Diluent id → label. */
  diluentLabels: Record<string, string>;
  /** Presentation id → density (g/mL) for the expected mass of each draw; absent = 1.0 (see plan warnings). */
  densities?: Record<string, number>;
  plan: PreparationPlan;
  generatedAt: Date;
  timeZone?: string;
}

export type RenderFabricationSheetPdf = (data: FabricationSheetData) => Promise<Buffer>;
