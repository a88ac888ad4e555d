import { z } from 'zod';

/**
 * Shared nuclear-medicine department: equipment, sectors and their agreed shares, sessions ("vacations"),
 * exam booking, the activity counter and the PET radiopharmaceutical order. Times of day are minutes since
 * midnight, Paris time (480 = 08:00); dates are YYYY-MM-DD.
 */

const isoDate = z.iso.date();
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM');
const minuteOfDay = z
  .number()
  .int()
  .min(0)
  .max(24 * 60);
const Reason = z.string().trim().min(5, 'Give the reason').max(500);

export const NM_EQUIPMENT_TYPES = ['gamma_camera', 'pet_ct'] as const;
export type NmEquipmentType = (typeof NM_EQUIPMENT_TYPES)[number];
export const NM_HALF_DAYS = ['am', 'pm'] as const;
export type NmHalfDay = (typeof NM_HALF_DAYS)[number];
export const NM_STAFF_KINDS = ['physician', 'radiographer', 'secretary'] as const;
export type NmStaffKind = (typeof NM_STAFF_KINDS)[number];

/** Opening hours of a machine: ISO weekdays (1 = Monday) and the two half-days as [from, to) minutes. */
export interface NmOpening {
  weekdays: number[];
  am: [number, number];
  pm: [number, number];
}

export interface NmSectorDto {
  id: string;
  code: string;
  name: string;
  establishmentId: string | null;
}
export interface NmEquipmentDto {
  id: string;
  code: string;
  name: string;
  type: NmEquipmentType;
  opening: NmOpening;
  active: boolean;
}
export interface NmStaffDto {
  id: string;
  kind: NmStaffKind;
  sectorId: string | null;
  displayName: string;
  /** The account the member signs in with (their bookings and sector follow from it), when linked. */
  userId: string | null;
  active: boolean;
}

/** An account of the cooperation that a team member may be linked to (`GET /nuclear-medicine/accounts`). */
export interface NmAccountDto {
  id: string;
  displayName: string;
  username: string;
  roles: string[];
}
export interface NmExamTypeDto {
  id: string;
  code: string;
  nameFr: string;
  nameEn: string;
  equipmentType: NmEquipmentType;
  durationMin: number;
  preparationFr: string;
  preparationEn: string;
  radiopharmaceutical: string;
  nuclide: string;
  mbqPerKg: number | null;
  minMBq: number;
  maxMBq: number;
  uptakeMin: number;
  ccamCode: string;
}
export interface NmTariffDto {
  ccamCode: string;
  label: string;
  tariffEur: number;
  /** Demo values to be replaced by the cooperation's own: not the official CCAM tariffs. */
  demoValue: boolean;
}
export interface NmShareAgreementDto {
  id: string;
  equipmentType: NmEquipmentType | null;
  validFrom: string;
  shares: { sectorId: string; share: number }[];
  reason: string;
}
export interface NmClosureDto {
  id: string;
  equipmentId: string;
  startsOn: string;
  endsOn: string;
  reason: string;
}
export interface NmAbsenceDto {
  id: string;
  staffId: string;
  startsOn: string;
  endsOn: string;
  reason: string;
}
export interface NmDepartmentDto {
  sectors: NmSectorDto[];
  equipment: NmEquipmentDto[];
  staff: NmStaffDto[];
  examTypes: NmExamTypeDto[];
  tariffs: NmTariffDto[];
  shareAgreements: NmShareAgreementDto[];
  /** The actor's own sector, when they belong to one (their bookings are shown in full). */
  mySectorId: string | null;
}

export interface NmSessionDto {
  id: string;
  equipmentId: string;
  date: string;
  halfDay: NmHalfDay;
  sectorId: string;
  physicianId: string;
  origin: 'proposal' | 'manual';
  changeReason: string | null;
  bookings: number;
}
export interface NmPlanningDto {
  from: string;
  to: string;
  sessions: NmSessionDto[];
  closures: NmClosureDto[];
  absences: NmAbsenceDto[];
}

export const NmPlanningQuery = z.strictObject({ from: isoDate, to: isoDate });
export type NmPlanningQuery = z.infer<typeof NmPlanningQuery>;
export const NmMonthQuery = z.strictObject({ month });
export type NmMonthQuery = z.infer<typeof NmMonthQuery>;

export interface NmProposedSessionDto {
  equipmentId: string;
  date: string;
  halfDay: NmHalfDay;
  sectorId: string | null;
  physicianId: string | null;
}
export interface NmProposalGroupDto {
  equipmentType: NmEquipmentType;
  shares: { sectorId: string; share: number }[];
  /** Sessions counted since the agreement started, before the month, per sector. */
  history: Record<string, number>;
  sessions: NmProposedSessionDto[];
  /** Deviation of each sector at the end of the month (sessions owed, negative when ahead). */
  finalDeviation: Record<string, number>;
  maxDeviation: number;
  /** Proven bound on any sector's deviation when no slot is constrained. */
  bound: number;
  constrained: number;
}
export interface NmProposalDto {
  month: string;
  groups: NmProposalGroupDto[];
}

export const NmSessionCreateBody = z.strictObject({
  equipmentId: z.uuid(),
  date: isoDate,
  halfDay: z.enum(NM_HALF_DAYS),
  sectorId: z.uuid(),
  physicianId: z.uuid(),
  reason: Reason,
});
export type NmSessionCreateBody = z.infer<typeof NmSessionCreateBody>;
export const NmSessionChangeBody = z.strictObject({
  sectorId: z.uuid(),
  physicianId: z.uuid(),
  reason: Reason,
});
export type NmSessionChangeBody = z.infer<typeof NmSessionChangeBody>;
export const NmClosureBody = z.strictObject({
  equipmentId: z.uuid(),
  startsOn: isoDate,
  endsOn: isoDate,
  reason: Reason,
});
export type NmClosureBody = z.infer<typeof NmClosureBody>;
export const NmAbsenceBody = z.strictObject({ staffId: z.uuid(), startsOn: isoDate, endsOn: isoDate, reason: Reason });
export type NmAbsenceBody = z.infer<typeof NmAbsenceBody>;
export const NmShareAgreementBody = z.strictObject({
  equipmentType: z.enum(NM_EQUIPMENT_TYPES).nullable(),
  validFrom: isoDate,
  shares: z
    .array(z.strictObject({ sectorId: z.uuid(), share: z.number().min(0).max(100) }))
    .min(1)
    .max(20),
  reason: Reason,
});
export type NmShareAgreementBody = z.infer<typeof NmShareAgreementBody>;
export const NmTariffBody = z.strictObject({
  ccamCode: z.string().regex(/^[A-Z]{4}[0-9]{3}$/, 'A CCAM code: 4 letters, 3 digits'),
  label: z.string().trim().min(2).max(200),
  tariffEur: z.number().min(0).max(100_000),
});
export type NmTariffBody = z.infer<typeof NmTariffBody>;

export const NmBookingBody = z.strictObject({
  sessionId: z.uuid(),
  patientId: z.uuid(),
  examTypeId: z.uuid(),
  startMin: minuteOfDay,
  weightKg: z.number().min(0.5).max(350).nullable(),
  /** When omitted, the exam type's rule gives it (weight × MBq/kg within its limits). */
  prescribedMBq: z.number().positive().max(100_000).nullish(),
  diabetic: z.boolean().default(false),
  /** The patient's availability for the injection, when limited. */
  window: z.strictObject({ from: minuteOfDay, to: minuteOfDay }).nullish(),
});
export type NmBookingBody = z.input<typeof NmBookingBody>;

export const NmPerformBody = z.strictObject({
  injectedMBq: z.number().positive().max(100_000),
  measuredMBq: z.number().positive().max(100_000).nullish(),
  injectedAtMin: minuteOfDay.nullish(),
});
export type NmPerformBody = z.infer<typeof NmPerformBody>;

export const NmDayQuery = z.strictObject({ date: isoDate });
export type NmDayQuery = z.infer<typeof NmDayQuery>;

/** A booking as the actor may see it: in full, or as a busy slot when it is another sector's. */
export interface NmBookingDto {
  id: string;
  sessionId: string;
  startMin: number;
  durationMin: number;
  examTypeId: string;
  status: 'booked' | 'performed' | 'cancelled';
  /** False: a busy slot only (another sector's booking, or a patient outside your care). */
  detailed: boolean;
  patient: { id: string; displayName: string; birthDate: string } | null;
  weightKg: number | null;
  prescribedMBq: number | null;
  diabetic: boolean | null;
  window: { from: number; to: number } | null;
  injectedMBq: number | null;
}
export interface NmDaySessionDto extends NmSessionDto {
  bookingList: NmBookingDto[];
}
export interface NmDayDto {
  date: string;
  sessions: NmDaySessionDto[];
}

export interface NmDeliveryDto {
  id: string | null;
  calibrationMin: number;
  /** Σ doses decay-corrected to calibration (no margin). */
  dosesMBq: number;
  orderMBq: number;
  measuredMBq: number | null;
  wasteMBq: number | null;
  bookingIds: string[];
}
export interface NmPetDoseDto {
  bookingId: string;
  equipmentId: string;
  startMin: number;
  injectionMin: number;
  prescribedMBq: number;
  diabetic: boolean;
  window: { from: number; to: number } | null;
  /** Activity to draw at the delivery's calibration for this dose. */
  atCalibrationMBq: number;
  patientLabel: string;
  status: 'booked' | 'performed' | 'cancelled';
}
export interface NmPetDayDto {
  date: string;
  halfLifeMin: number;
  marginPercent: number;
  doses: NmPetDoseDto[];
  deliveries: NmDeliveryDto[];
  totalOrderMBq: number;
  /** The optimiser's order: same slots, patients reassigned to minimise the activity ordered. */
  optimised: { totalOrderMBq: number; moves: { bookingId: string; startMin: number }[] } | null;
  /** Why there is no optimised order (constraints that cannot all be met), when there is none. */
  optimiserNote: string | null;
  /** Set when the saved deliveries cannot serve every injection: the figures use a proposed delivery instead. */
  deliveryWarning: 'DELIVERY_AFTER_INJECTION' | null;
  /** Whether the deliveries shown are saved (ordered) or only proposed. */
  deliveriesSaved: boolean;
}
export const NmDeliveriesBody = z.strictObject({
  date: isoDate,
  calibrationMins: z.array(minuteOfDay).min(1).max(6),
});
export type NmDeliveriesBody = z.infer<typeof NmDeliveriesBody>;
export const NmApplyOrderBody = z.strictObject({ date: isoDate });
export type NmApplyOrderBody = z.infer<typeof NmApplyOrderBody>;
export const NmDeliveryMeasureBody = z.strictObject({
  measuredMBq: z.number().min(0).max(1_000_000),
  wasteMBq: z.number().min(0).max(1_000_000),
});
export type NmDeliveryMeasureBody = z.infer<typeof NmDeliveryMeasureBody>;

export const NmCounterQuery = z.strictObject({ from: month, to: month });
export type NmCounterQuery = z.infer<typeof NmCounterQuery>;
export interface NmCounterCell {
  sessions: number;
  acts: number;
  valueEur: number;
}
export interface NmCounterMonthDto {
  month: string;
  /** equipmentType ('all' for the total) → sectorId → figures of the month. */
  bySector: Record<string, Record<string, NmCounterCell>>;
  /** equipmentType or 'all' → sectorId → cumulative session deviation since `from` (owed, negative ahead). */
  cumulativeDeviation: Record<string, Record<string, number>>;
}
export interface NmCounterDto {
  from: string;
  to: string;
  sectors: NmSectorDto[];
  /** The agreed share per equipment type ('all' for the total) at the end of the period. */
  shares: Record<string, Record<string, number>>;
  months: NmCounterMonthDto[];
  physicians: { physicianId: string; sectorId: string; sessions: number; acts: number; valueEur: number }[];
}
export const NmCounterExportQuery = z.strictObject({ month, sectorId: z.uuid() });
export type NmCounterExportQuery = z.infer<typeof NmCounterExportQuery>;

// --- department configuration ---------------------------------------------------------------------------

const code = z.string().regex(/^[a-z0-9_]{2,32}$/, 'lowercase letters, digits and _ (2–32)');
const halfDayHours = z.tuple([minuteOfDay, minuteOfDay]).refine(([from, to]) => to > from, 'ends before it starts');
export const NmOpeningBody = z.strictObject({
  weekdays: z.array(z.number().int().min(1).max(7)).min(1).max(7),
  am: halfDayHours,
  pm: halfDayHours,
});
export const NmSectorBody = z.strictObject({
  code,
  name: z.string().trim().min(2).max(100),
  establishmentId: z.uuid().nullable(),
});
export type NmSectorBody = z.infer<typeof NmSectorBody>;
export const NmEquipmentBody = z.strictObject({
  code: z.string().trim().min(1).max(20),
  name: z.string().trim().min(2).max(100),
  type: z.enum(NM_EQUIPMENT_TYPES),
  opening: NmOpeningBody,
});
export type NmEquipmentBody = z.infer<typeof NmEquipmentBody>;
export const NmStaffBody = z.strictObject({
  kind: z.enum(NM_STAFF_KINDS),
  sectorId: z.uuid().nullable(),
  displayName: z.string().trim().min(2).max(100),
  userId: z.uuid().nullable(),
});
export type NmStaffBody = z.infer<typeof NmStaffBody>;
export const NmExamTypeBody = z.strictObject({
  code,
  nameFr: z.string().trim().min(2).max(100),
  nameEn: z.string().trim().min(2).max(100),
  equipmentType: z.enum(NM_EQUIPMENT_TYPES),
  durationMin: z.number().int().min(5).max(480),
  preparationFr: z.string().trim().max(1000),
  preparationEn: z.string().trim().max(1000),
  radiopharmaceutical: z.string().trim().min(1).max(100),
  nuclide: z.enum(['F18', 'Ga68', 'Tc99m', 'I131', 'Lu177', 'Rb82']),
  mbqPerKg: z.number().positive().max(100).nullable(),
  minMBq: z.number().positive().max(100_000),
  maxMBq: z.number().positive().max(100_000),
  uptakeMin: z.number().int().min(0).max(1440),
  ccamCode: z.string().regex(/^[A-Z]{4}[0-9]{3}$/, 'A CCAM code: 4 letters, 3 digits'),
});
export type NmExamTypeBody = z.infer<typeof NmExamTypeBody>;
