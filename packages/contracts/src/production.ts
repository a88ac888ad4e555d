import { z } from 'zod';
import type { PreparationStatusValue } from './prescriptions.ts';

/*
 * Production planning of the shared pharmacy: the day's plan per isolator (what is next, expected ready
 * time, predicted lateness and why), the pharmacist's pins with what they cost, the technicians' shifts,
 * the planner's settings and the nightly anticipation proposal. Times are minutes after midnight (Paris)
 * of the planned day, and ISO instants for display.
 */

const Day = z.iso.date();
const Minute = z.number().int().min(0).max(1440);

export const ProductionDayQuery = z.object({ day: Day.optional() }).strict();
export type ProductionDayQuery = z.infer<typeof ProductionDayQuery>;

export const PinBody = z
  .object({
    preparationId: z.uuid(),
    isolatorId: z.uuid(),
    /** Index in the isolator's pending sequence (0 = next); absent: anywhere on that isolator. */
    position: z.number().int().min(0).max(999).optional(),
    reason: z.string().trim().min(3).max(500),
    /** Only say what it would cost; nothing is saved. */
    dryRun: z.boolean().optional(),
  })
  .strict();
export type PinBody = z.infer<typeof PinBody>;

export const ShiftsBody = z
  .object({
    day: Day,
    shifts: z.array(z.object({ userId: z.uuid(), startMin: Minute, endMin: Minute }).strict()).max(200),
  })
  .strict();
export type ShiftsBody = z.infer<typeof ShiftsBody>;

export const PlannerSettingsBody = z
  .object({
    weights: z
      .object({
        tardiness: z.number().min(0).max(1000),
        waste: z.number().min(0).max(1000),
        overtime: z.number().min(0).max(1000),
      })
      .strict(),
    changeoverMin: z.number().int().min(0).max(120),
    releaseCheckMin: z.number().int().min(0).max(120),
    transportMin: z.number().int().min(0).max(600),
    transportBySite: z.record(z.uuid(), z.number().int().min(0).max(600)),
    defaultAppointmentMin: z.number().int().min(0).max(1439),
    cancellationProbability: z.number().min(0).max(1),
    dayStartMin: z.number().int().min(0).max(1439),
    dayEndMin: z.number().int().min(1).max(1440),
  })
  .strict();
export type PlannerSettingsBody = z.infer<typeof PlannerSettingsBody>;
export type PlannerSettingsDto = PlannerSettingsBody;

export const WAIT_REASON_VALUES = [
  'awaiting_release',
  'isolator_busy',
  'stability_window',
  'technician_unavailable',
  'changeover',
  'pinned',
] as const;
export type WaitReasonValue = (typeof WAIT_REASON_VALUES)[number];

export interface PlannedItemDto {
  preparationId: string;
  patient: { id: string; name: string };
  molecule: string;
  dose: string;
  doseUnit: string;
  status: PreparationStatusValue;
  establishment: string;
  destinationUnit: string | null;
  /** 'pending' (to make), 'in_progress' (on the isolator), 'done'. */
  state: 'pending' | 'in_progress' | 'done';
  position: number | null;
  technicianId: string | null;
  startMin: number;
  endMin: number;
  readyMin: number;
  dueMin: number;
  startAt: string;
  readyAt: string;
  dueAt: string;
  latenessMin: number;
  /** Why it does not start earlier (null: it starts as soon as it can). */
  waitReason: WaitReasonValue | null;
  /** Planned before its green light: made at the risk of waste. */
  beforeGreenLight: boolean;
  greenLight: boolean;
  pinned: boolean;
}

export interface IsolatorPlanDto {
  isolator: { id: string; code: string; label: string; dedicatedFamily: string | null };
  items: PlannedItemDto[];
}

export type PlannerAssumptionDto =
  | { kind: 'no_shifts'; technicians: number }
  | { kind: 'default_appointment'; preparationIds: string[] }
  | { kind: 'expected_validation'; preparationIds: string[] };

export interface ObjectiveDto {
  total: number;
  weightedTardiness: number;
  tardinessMin: number;
  latePreparations: number;
  expectedWasteEur: number;
  overtimeMin: number;
}

export interface ProductionPlanDto {
  day: string;
  computedAt: string;
  nowMin: number;
  method: string;
  computeMs: number;
  isolators: IsolatorPlanDto[];
  unassigned: { preparationId: string; reason: 'no_eligible_isolator' }[];
  pinViolations: string[];
  objective: ObjectiveDto;
  assumptions: PlannerAssumptionDto[];
}

export interface PinResultDto {
  saved: boolean;
  /** What the pin costs in objective units (≥ 0), and in extra weighted minutes of patient waiting. */
  costDelta: number;
  weightedTardinessDelta: number;
  withPin: ObjectiveDto;
  withoutPin: ObjectiveDto;
  plan: ProductionPlanDto;
}

export interface ShiftDto {
  id: string;
  userId: string;
  label: string;
  startMin: number;
  endMin: number;
}

export interface ShiftsDto {
  day: string;
  shifts: ShiftDto[];
  postable: { userId: string; label: string; role: string }[];
}

export interface AnticipationItemDto {
  preparationId: string;
  patient: { id: string; name: string } | null;
  molecule: string | null;
  processingMin: number;
  cancellationProbability: number;
  costEur: number;
  expectedWasteEur: number;
}

export interface AnticipationProposalDto {
  day: string;
  createdAt: string;
  candidates: number;
  items: AnticipationItemDto[];
  expectedWasteEur: number;
  weightedTardinessWithout: number;
  weightedTardinessWith: number;
}

/** The day hospital's chair time for one administration day of a prescription. */
export const AppointmentBody = z
  .object({
    prescriptionId: z.uuid(),
    administrationDate: Day,
    /** Local time (Paris), HH:MM. */
    time: z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'HH:MM'),
  })
  .strict();
export type AppointmentBody = z.infer<typeof AppointmentBody>;

export interface AppointmentDto {
  prescriptionId: string;
  administrationDate: string;
  scheduledAt: string;
  preparations: number;
}
