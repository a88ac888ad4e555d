import { z } from 'zod';
import type { PatientBriefDto, PreparationStatusValue } from './prescriptions.ts';

/*
 * Compounding and what follows it (issue 4): start in an isolator, fabrication sheet, vial scans (GS1
 * DataMatrix), weighings (gravimetric control), completion, second-person check, labels, pharmacist release,
 * dispatch with a delivery note, reception by the unit, administration, return or destruction; the production
 * board and its live events; recall (lot → preparations) and patient history; activity per month.
 * Value lists mirror the check constraints of migrations/0007_compounding.sql.
 */

const isoDate = z.iso.date();
const Reason = z.string().trim().min(3, 'Give the reason').max(500);

export const DESTINATION_KIND_VALUES = ['unit', 'site', 'partner_establishment', 'home_hospitalisation'] as const;
export type DestinationKindValue = (typeof DESTINATION_KIND_VALUES)[number];
export const WEIGHING_STEP_VALUES = ['draw', 'finished_product'] as const;
export type WeighingStepValue = (typeof WEIGHING_STEP_VALUES)[number];
export const LABEL_FORMAT_VALUES = ['pdf', 'zpl'] as const;
export type LabelFormatValue = (typeof LABEL_FORMAT_VALUES)[number];
export const DISPOSAL_KIND_VALUES = ['returned', 'destroyed'] as const;
export type DisposalKindValue = (typeof DISPOSAL_KIND_VALUES)[number];

// --- request bodies ------------------------------------------------------------------------------------------

export const StartCompoundingBody = z.strictObject({ isolatorId: z.uuid() });
export type StartCompoundingBody = z.infer<typeof StartCompoundingBody>;

/**
 * A vial's DataMatrix as the scanner typed it: GS (ASCII 29) separators, or `<GS>`, `{GS}`, `\x1d`, or the
 * human-readable `(01)…(17)…(10)…` form. Malformed codes get a specific GS1_* code and are still recorded.
 */
export const VialScanBody = z.strictObject({ barcode: z.string().max(200) });
export type VialScanBody = z.infer<typeof VialScanBody>;

/**
 * One weighing: either `measuredG` typed by the technician, or `source: 'balance'` to read the connected
 * balance (a simulated one in the demo; `simulateOffsetPercent` puts a load off by that much on it, for
 * training and tests, and is refused with a real balance).
 */
export const WeighingBody = z.strictObject({
  step: z.enum(WEIGHING_STEP_VALUES),
  /** For `draw`: the index of the draw in the plan (0-based). */
  drawIndex: z.number().int().min(0).max(50).nullish(),
  source: z.enum(['manual', 'balance']).default('manual'),
  measuredG: z.number().min(0).max(10_000).nullish(),
  simulateOffsetPercent: z.number().min(-90).max(90).nullish(),
});
export type WeighingBody = z.infer<typeof WeighingBody>;

export const CompleteCompoundingBody = z.strictObject({});
export const SecondCheckBody = z.strictObject({ comment: z.string().trim().max(500).nullish() });
export type SecondCheckBody = z.infer<typeof SecondCheckBody>;
export const LabelBody = z.strictObject({
  format: z.enum(LABEL_FORMAT_VALUES),
  copies: z.number().int().min(1).max(10).default(1),
});
export type LabelBody = z.infer<typeof LabelBody>;
export const ReleaseBody = z.strictObject({});

export const DispatchBody = z.strictObject({
  destinationKind: z.enum(DESTINATION_KIND_VALUES),
  /** The unit (for `unit`), or the establishment for the other kinds; `siteId` for `site` / home hospitalisation. */
  destinationUnitId: z.uuid().nullish(),
  destinationEstablishmentId: z.uuid().nullish(),
  destinationSiteId: z.uuid().nullish(),
  carrier: z.string().trim().min(2).max(120),
  preparationIds: z.array(z.uuid()).min(1).max(200),
});
export type DispatchBody = z.infer<typeof DispatchBody>;

/** What the unit's scanner read from the preparation's label DataMatrix. */
export const ReceptionBody = z.strictObject({
  payload: z.string().max(200),
  /** The unit receiving (defaults to the actor's only unit); a preparation for another unit is refused. */
  unitId: z.uuid().nullish(),
});
export type ReceptionBody = z.infer<typeof ReceptionBody>;
/** `payload`: the label scanned at the bedside (optional); `unitId`: where the nurse administers. */
export const AdministrationBody = z.strictObject({
  payload: z.string().max(200).nullish(),
  unitId: z.uuid().nullish(),
});
export type AdministrationBody = z.infer<typeof AdministrationBody>;
export const DisposalBody = z.strictObject({ kind: z.enum(DISPOSAL_KIND_VALUES), reason: Reason });
export type DisposalBody = z.infer<typeof DisposalBody>;

export const BoardQuery = z.strictObject({
  date: isoDate.optional(),
  /** Client (prescribing) establishment. */
  establishmentId: z.uuid().optional(),
  destinationUnitId: z.uuid().optional(),
});
export type BoardQuery = z.infer<typeof BoardQuery>;

export const RecallQuery = z.strictObject({
  lot: z.string().trim().min(1).max(20),
  gtin: z
    .string()
    .regex(/^[0-9]{14}$/)
    .optional(),
});
export type RecallQuery = z.infer<typeof RecallQuery>;

export const ActivityQuery = z.strictObject({
  from: z.string().regex(/^[0-9]{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM'),
  to: z.string().regex(/^[0-9]{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM'),
});
export type ActivityQuery = z.infer<typeof ActivityQuery>;

// --- responses -----------------------------------------------------------------------------------------------

export interface IsolatorDto {
  id: string;
  code: string;
  label: string;
  dedicatedFamily: string | null;
}

export interface VialScanDto {
  id: string;
  raw: string;
  gtin: string | null;
  lot: string | null;
  expiry: string | null;
  serial: string | null;
  presentationId: string | null;
  result: 'accepted' | 'blocked';
  /** Why it was blocked (GS1_*, VIAL_UNKNOWN_GTIN, VIAL_WRONG_DRUG, VIAL_LOT_EXPIRED, VIAL_NOT_IN_PLAN…). */
  code: string | null;
  scannedBy: string;
  scannedAt: string;
}

export interface WeighingDto {
  id: string;
  step: WeighingStepValue;
  drawIndex: number | null;
  volumeMl: number;
  expectedG: number;
  measuredG: number;
  tareG: number;
  densityUsed: number;
  deviationPercent: number;
  limitPercent: number;
  result: 'accepted' | 'rejected';
  source: 'manual' | 'balance';
  balanceId: string | null;
  warnings: string[];
  weighedBy: string;
  weighedAt: string;
}

export interface TransitionDto {
  from: string;
  to: string;
  reason: string | null;
  actorId: string | null;
  actorLabel: string | null;
  at: string;
}

/** What remains before compounding can be completed. */
export interface CompoundingProgressDto {
  /** Presentations (one entry per vial to open, reliquats included) still to scan. */
  scansMissing: { presentationId: string; label: string; count: number }[];
  /** Draw indexes without an accepted weighing. */
  drawsToWeigh: number[];
  finishedProductWeighed: boolean;
  complete: boolean;
}

export interface PreparationDetailDto {
  id: string;
  status: PreparationStatusValue;
  patient: PatientBriefDto;
  prescriptionId: string;
  establishment: { id: string; shortName: string };
  destinationUnit: { id: string; name: string } | null;
  molecule: { id: string; code: string; innFr: string };
  dose: number;
  doseUnit: string;
  route: string;
  administrationDate: string;
  anticipated: boolean;
  late: boolean;
  compounding: {
    isolator: IsolatorDto;
    operatorId: string;
    operatorLabel: string;
    startedAt: string;
    /** The fabrication plan computed at start (see the fabrication sheet). */
    plan: unknown;
    drugCostEur: number;
    beyondUseAt: string;
    finalVolumeMl: number;
    completedAt: string | null;
    checkedAt: string | null;
    checkedBy: string | null;
    releasedAt: string | null;
    releasedBy: string | null;
    deliveryNoteId: string | null;
    receivedAt: string | null;
    administeredAt: string | null;
  } | null;
  progress: CompoundingProgressDto | null;
  scans: VialScanDto[];
  weighings: WeighingDto[];
  labels: { format: LabelFormatValue; copies: number; printedBy: string; printedAt: string }[];
  disposal: { kind: DisposalKindValue; reason: string; costEur: number; recordedAt: string } | null;
  transitions: TransitionDto[];
}

export interface FabricationSheetDto {
  preparationId: string;
  /** Stored plan once compounding started, otherwise a preview computed now. */
  stored: boolean;
  /** The fabrication plan (PreparationPlan of the compounding core): draws, vials, reconstitution, BUD… */
  plan: unknown;
  presentationLabels: Record<string, string>;
  /** GTIN-14 per presentation id: what each vial's DataMatrix carries in AI 01. */
  presentationGtins: Record<string, string>;
  diluentLabels: Record<string, string>;
}

export interface BoardItemDto {
  id: string;
  status: PreparationStatusValue;
  patient: PatientBriefDto;
  molecule: { code: string; innFr: string };
  dose: number;
  doseUnit: string;
  administrationDate: string;
  establishment: { id: string; shortName: string };
  destinationUnit: { id: string; name: string } | null;
  isolator: { id: string; code: string } | null;
  releasedToProductionAt: string | null;
  checked: boolean;
  late: boolean;
}

export interface BoardDto {
  date: string;
  /** Count per status, every status present. */
  counts: Record<string, number>;
  /** Count per status for each isolator that has started something today. */
  byIsolator: { isolatorId: string; code: string; counts: Record<string, number> }[];
  items: BoardItemDto[];
}

/** A preparation on its way to the acting establishment's units, or received there and not yet administered. */
export interface IncomingItemDto {
  id: string;
  status: PreparationStatusValue;
  patient: PatientBriefDto;
  molecule: { code: string; innFr: string };
  dose: number;
  doseUnit: string;
  route: string;
  administrationDate: string;
  destinationUnit: { id: string; name: string } | null;
  beyondUseAt: string | null;
  deliveryNote: { id: string; number: string; carrier: string | null; departedAt: string } | null;
  receivedAt: string | null;
}

/** `GET /pharmacy/compounding/incoming`: what the unit expects and what it holds, dispatched first. */
export interface IncomingDto {
  items: IncomingItemDto[];
}

/** One server-sent event of `GET /pharmacy/compounding/board/events` (`event: preparation`). */
export interface BoardEventDto {
  preparationId: string;
  from: string;
  to: string;
  at: string;
}

export interface DeliveryNoteDto {
  id: string;
  number: string;
  destinationKind: DestinationKindValue;
  destinationLabel: string;
  destinationEstablishmentId: string;
  destinationUnitId: string | null;
  destinationSiteId: string | null;
  carrier: string;
  departedAt: string;
  receivedAt: string | null;
  createdBy: string;
  items: {
    preparationId: string;
    patient: PatientBriefDto;
    moleculeInnFr: string;
    dose: number;
    doseUnit: string;
    status: PreparationStatusValue;
  }[];
}

export interface RecallItemDto {
  preparationId: string;
  status: PreparationStatusValue;
  patient: PatientBriefDto;
  moleculeInnFr: string;
  dose: number;
  doseUnit: string;
  administrationDate: string;
  lot: string;
  gtin: string | null;
  establishment: { id: string; shortName: string };
  destinationUnit: { id: string; name: string } | null;
  administeredAt: string | null;
}

export interface RecallDto {
  lot: string;
  gtin: string | null;
  preparations: number;
  patients: number;
  items: RecallItemDto[];
}

export interface PatientHistoryItemDto {
  preparationId: string;
  status: PreparationStatusValue;
  moleculeInnFr: string;
  dose: number;
  doseUnit: string;
  administrationDate: string;
  lots: { gtin: string | null; lot: string; expiry: string | null }[];
  establishment: { id: string; shortName: string };
}

export interface PatientHistoryDto {
  patientId: string;
  items: PatientHistoryItemDto[];
}

export interface ActivityRowDto {
  /** YYYY-MM (Europe/Paris, by administration date). */
  month: string;
  pharmacyEstablishment: { id: string; shortName: string };
  client: { id: string; shortName: string };
  preparations: number;
  drugCostEur: number;
}

export interface ActivityDto {
  from: string;
  to: string;
  rows: ActivityRowDto[];
}
