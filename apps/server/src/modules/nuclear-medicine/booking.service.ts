import type { NmBookingBody, NmBookingDto, NmDayDto, NmOpening, NmPerformBody } from '@passerelle/contracts';
import { NmBookingBody as NmBookingSchema } from '@passerelle/contracts';
import { appendAudit, auditFrom } from '../../core/audit.ts';
import { actingEstablishment, type RequestContext } from '../../core/context.ts';
import type { Tx } from '../../core/db/index.ts';
import { AppError, forbidden, notFound } from '../../core/errors.ts';
import { prescribedActivity, withinLimits, type ActivityRule } from './activity.ts';
import { hhmm, isoWeekday } from './calendar.ts';
import { invalid, type NmDeps } from './department.service.ts';
import { actorSector, mayWorkInSector, showsBookingInFull } from './nm.policy.ts';
import * as present from './nm.presenter.ts';
import * as repo from './nm.repository.ts';

const ruleOf = (x: repo.ExamTypeRow): ActivityRule => ({
  mbqPerKg: x.mbq_per_kg === null ? null : Number(x.mbq_per_kg),
  minMBq: Number(x.min_mbq),
  maxMBq: Number(x.max_mbq),
});

function outsideLimits(path: string, rule: ActivityRule, activity: number): AppError {
  return new AppError(
    'ACTIVITY_OUTSIDE_LIMITS',
    `The activity must lie between ${rule.minMBq} and ${rule.maxMBq} MBq for this exam`,
    { fields: [{ path, message: `${Math.round(activity)} MBq outside ${rule.minMBq}–${rule.maxMBq} MBq` }] },
  );
}

/**
 * The camera is busy from the end of the uptake to the end of the acquisition: a PET-CT takes two or three
 * patients an hour while others wait in the uptake rooms (REFERENCE §8.4).
 */
const cameraSpan = (startMin: number, uptakeMin: number, durationMin: number) => ({
  from: startMin + uptakeMin,
  to: startMin + uptakeMin + durationMin,
});

/** The session, when it exists in the cooperation and the actor may work in it (else 404 or FORBIDDEN). */
async function sessionForWork(trx: Tx, ctx: RequestContext, sessionId: string) {
  const session = await repo.findSession(trx, ctx.actor.cooperationId, sessionId);
  if (!session) throw notFound('Session');
  const mySector = await actorSector(trx, ctx);
  if (!mayWorkInSector(mySector, session.sector_id)) {
    throw forbidden('This session belongs to another sector: its bookings are not yours to make');
  }
  return session;
}

/**
 * Books a patient into a session. Refused with a specific code when the machine is closed that day
 * (EQUIPMENT_CLOSED), the exam does not fit the half-day's opening hours (OUTSIDE_OPENING_HOURS), the camera
 * is taken then (SLOT_TAKEN) or the activity lies outside the exam's limits (ACTIVITY_OUTSIDE_LIMITS).
 */
export async function bookExam(deps: NmDeps, ctx: RequestContext, input: NmBookingBody): Promise<NmBookingDto> {
  const body = NmBookingSchema.parse(input);
  const establishmentId = actingEstablishment(ctx);
  const coop = ctx.actor.cooperationId;
  return deps.db.transaction().execute(async (trx) => {
    const patient = await repo.patientInCare(trx, ctx, body.patientId);
    if (!patient) throw notFound('Patient');
    if (patient.merged_into_id)
      throw invalid('body.patientId', 'This record was merged: book the record it was merged into');
    const session = await sessionForWork(trx, ctx, body.sessionId);
    const [equipment, exam] = await Promise.all([
      repo.findEquipment(trx, coop, session.equipment_id),
      repo.findExamType(trx, coop, body.examTypeId),
    ]);
    if (!exam || !exam.active) throw invalid('body.examTypeId', 'Not an exam type of the department');
    if (!equipment || exam.equipment_type !== equipment.type) {
      throw invalid('body.examTypeId', 'This exam is not done on this machine');
    }
    const closures = await repo.listClosures(trx, coop, session.session_date, session.session_date);
    if (closures.some((c) => c.equipment_id === equipment.id)) {
      throw new AppError('EQUIPMENT_CLOSED', 'The machine is closed on that day', {
        fields: [{ path: 'body.sessionId', message: 'closed' }],
      });
    }
    const opening = equipment.opening as NmOpening;
    const [openFrom, openTo] = opening[session.half_day];
    const span = cameraSpan(body.startMin, exam.uptake_min, exam.duration_min);
    if (!opening.weekdays.includes(isoWeekday(session.session_date)) || body.startMin < openFrom || span.to > openTo) {
      throw new AppError(
        'OUTSIDE_OPENING_HOURS',
        `The exam (injection, ${exam.uptake_min} min uptake, ${exam.duration_min} min on the camera) must fit ` +
          `${hhmm(openFrom)}–${hhmm(openTo)}`,
        { fields: [{ path: 'body.startMin', message: 'outside opening hours' }] },
      );
    }
    const others = await repo.listActiveBookingsOfSession(trx, coop, session.id);
    if (
      others.some((o) => {
        const other = cameraSpan(o.start_min, o.uptake_min, o.duration_min);
        return other.from < span.to && span.from < other.to;
      })
    ) {
      throw new AppError('SLOT_TAKEN', 'The camera is already taken at that time', {
        fields: [{ path: 'body.startMin', message: 'taken' }],
      });
    }
    const rule = ruleOf(exam);
    const activity = body.prescribedMBq ?? prescribedActivity(rule, body.weightKg);
    if (!withinLimits(rule, activity)) throw outsideLimits('body.prescribedMBq', rule, activity);
    if (body.window && body.window.to < body.window.from)
      throw invalid('body.window', 'The window ends before it starts');
    const id = deps.ids.uuid();
    await repo.insertBooking(trx, {
      id,
      cooperation_id: coop,
      session_id: session.id,
      patient_id: body.patientId,
      exam_type_id: exam.id,
      start_min: body.startMin,
      duration_min: exam.duration_min,
      weight_kg: body.weightKg,
      prescribed_mbq: activity,
      diabetic: body.diabetic,
      window_from_min: body.window?.from ?? null,
      window_to_min: body.window?.to ?? null,
      booked_by: ctx.actor.userId,
      booking_establishment_id: establishmentId,
      created_at: ctx.now,
      updated_at: ctx.now,
    });
    await appendAudit(
      trx,
      auditFrom(ctx, 'nm.booking.create', {
        patientId: body.patientId,
        resourceType: 'nm_booking',
        resourceId: id,
        details: { sessionId: session.id, examTypeId: exam.id, startMin: body.startMin, prescribedMBq: activity },
      }),
      deps.ids,
    );
    return {
      id,
      sessionId: session.id,
      startMin: body.startMin,
      durationMin: exam.duration_min,
      examTypeId: exam.id,
      status: 'booked',
      detailed: true,
      patient: null,
      weightKg: body.weightKg,
      prescribedMBq: activity,
      diabetic: body.diabetic,
      window: body.window ?? null,
      injectedMBq: null,
    };
  });
}

/** Cancels a booking (reason audited); a performed exam stays recorded. */
export async function cancelBooking(deps: NmDeps, ctx: RequestContext, id: string, reason: string) {
  const coop = ctx.actor.cooperationId;
  return deps.db.transaction().execute(async (trx) => {
    const booking = await repo.findBooking(trx, coop, id);
    if (!booking || !(await repo.patientInCare(trx, ctx, booking.patient_id))) throw notFound('Booking');
    await sessionForWork(trx, ctx, booking.session_id);
    if (booking.status !== 'booked') throw new AppError('CONFLICT', `The booking is already ${booking.status}`);
    await repo.updateBooking(trx, coop, id, { status: 'cancelled', updated_at: ctx.now });
    await appendAudit(
      trx,
      auditFrom(ctx, 'nm.booking.cancel', {
        patientId: booking.patient_id,
        resourceType: 'nm_booking',
        resourceId: id,
        details: { reason },
      }),
      deps.ids,
    );
    return { id, status: 'cancelled' as const };
  });
}

/**
 * Records the exam performed: the injected activity (within the exam's limits, ACTIVITY_OUTSIDE_LIMITS
 * otherwise), and one act valued at the exam's CCAM tariff that feeds the counter under the session's sector
 * and physician.
 */
export async function performExam(deps: NmDeps, ctx: RequestContext, id: string, body: NmPerformBody) {
  const coop = ctx.actor.cooperationId;
  return deps.db.transaction().execute(async (trx) => {
    const booking = await repo.findBooking(trx, coop, id);
    if (!booking || !(await repo.patientInCare(trx, ctx, booking.patient_id))) throw notFound('Booking');
    const session = await sessionForWork(trx, ctx, booking.session_id);
    if (booking.status !== 'booked') throw new AppError('CONFLICT', `The booking is already ${booking.status}`);
    const exam = (await repo.findExamType(trx, coop, booking.exam_type_id))!;
    const rule = ruleOf(exam);
    if (!withinLimits(rule, body.injectedMBq)) throw outsideLimits('body.injectedMBq', rule, body.injectedMBq);
    const equipment = (await repo.findEquipment(trx, coop, session.equipment_id))!;
    const tariff = await repo.findTariff(trx, coop, exam.ccam_code);
    const actId = deps.ids.uuid();
    await repo.updateBooking(trx, coop, id, {
      status: 'performed',
      injected_mbq: body.injectedMBq,
      measured_mbq: body.measuredMBq ?? null,
      injected_at_min: body.injectedAtMin ?? booking.start_min,
      updated_at: ctx.now,
    });
    await repo.insertAct(trx, {
      id: actId,
      cooperation_id: coop,
      booking_id: id,
      session_id: session.id,
      sector_id: session.sector_id,
      physician_id: session.physician_id,
      equipment_type: equipment.type,
      performed_on: session.session_date,
      ccam_code: exam.ccam_code,
      value_eur: tariff ? tariff.tariff_eur : 0,
      created_by: ctx.actor.userId,
      created_at: ctx.now,
    });
    await appendAudit(
      trx,
      auditFrom(ctx, 'nm.exam.perform', {
        patientId: booking.patient_id,
        resourceType: 'nm_booking',
        resourceId: id,
        details: { actId, ccamCode: exam.ccam_code, injectedMBq: body.injectedMBq },
      }),
      deps.ids,
    );
    return { id, status: 'performed' as const, actId, valueEur: tariff ? Number(tariff.tariff_eur) : 0 };
  });
}

/**
 * The secretary's day: every session of the date with its bookings, in full where the agreement lets the
 * actor see them (nm.policy.ts), as busy slots otherwise. Reading the patients shown is audited.
 */
export async function getDay(deps: NmDeps, ctx: RequestContext, date: string): Promise<NmDayDto> {
  const coop = ctx.actor.cooperationId;
  return deps.db.transaction().execute(async (trx) => {
    const mySector = await actorSector(trx, ctx);
    const sessions = await repo.listSessions(trx, coop, date, date);
    const bookings = await repo.listBookingsOfSessions(
      trx,
      ctx,
      sessions.map((s) => s.id),
    );
    const shown: string[] = [];
    const day: NmDayDto = {
      date,
      sessions: sessions.map((s) => ({
        ...present.presentSession(s),
        bookingList: bookings
          .filter((b) => b.session_id === s.id)
          .map((b): NmBookingDto => {
            const full = showsBookingInFull(mySector, s.sector_id, Boolean(b.patient_visible));
            if (full) shown.push(b.patient_id);
            return {
              id: b.id,
              sessionId: b.session_id,
              startMin: b.start_min,
              durationMin: b.duration_min,
              examTypeId: b.exam_type_id,
              status: b.status,
              detailed: full,
              patient: full
                ? {
                    id: b.patient_id,
                    displayName: `${(b.used_name ?? b.birth_name).toUpperCase()} ${b.first_names}`,
                    birthDate: b.birth_date,
                  }
                : null,
              weightKg: full && b.weight_kg !== null ? Number(b.weight_kg) : null,
              prescribedMBq: full ? Number(b.prescribed_mbq) : null,
              diabetic: full ? b.diabetic : null,
              window:
                full && b.window_from_min !== null ? { from: b.window_from_min, to: b.window_to_min ?? 1440 } : null,
              injectedMBq: full && b.injected_mbq !== null ? Number(b.injected_mbq) : null,
            };
          }),
      })),
    };
    if (shown.length > 0) {
      await appendAudit(
        trx,
        auditFrom(ctx, 'nm.day.read', {
          resourceType: 'nm_day',
          resourceId: null,
          details: { date, patientIds: [...new Set(shown)] },
        }),
        deps.ids,
      );
    }
    return day;
  });
}
