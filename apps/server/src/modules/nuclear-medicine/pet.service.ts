import type { NmDeliveriesBody, NmDeliveryMeasureBody, NmPetDayDto } from '@passerelle/contracts';
import { appendAudit, auditFrom } from '../../core/audit.ts';
import type { RequestContext } from '../../core/context.ts';
import type { Executor } from '../../core/db/index.ts';
import { AppError, notFound } from '../../core/errors.ts';
import { HALF_LIFE_MIN } from './decay.ts';
import { invalid, type NmDeps } from './department.service.ts';
import { actorSector, showsBookingInFull } from './nm.policy.ts';
import * as repo from './nm.repository.ts';
import { computeOrder, optimiseOrder, type Delivery } from './ordering.ts';

/**
 * Dead volume and contingency ordered on top of the doses: a department setting in practice (REFERENCE §8.3
 * names the margins without a figure); 10 % here.
 */
export const PET_ORDER_MARGIN = 0.1;
const T = HALF_LIFE_MIN.F18;

/** The default delivery when none is ordered yet: calibrated 15 min before the first injection, on the quarter. */
function proposedDeliveries(firstInjection: number): Delivery[] {
  return [{ id: 'proposed', calibrationAt: Math.floor((firstInjection - 15) / 15) * 15 }];
}

type PetBooking = Awaited<ReturnType<typeof repo.listPetBookings>>[number];

/**
 * The optimiser's order, session by session: a patient stays in their session (its sector and physician), the
 * session's injection times are redistributed. The cost is separable by slot, so optimising each session
 * apart is the optimum of the whole day under that rule. Performed exams keep their time.
 */
function optimise(bookings: PetBooking[], deliveries: Delivery[]) {
  const bySession = new Map<string, PetBooking[]>();
  for (const b of bookings.filter((x) => x.status === 'booked')) {
    bySession.set(b.session_id, [...(bySession.get(b.session_id) ?? []), b]);
  }
  const moves: { bookingId: string; startMin: number }[] = [];
  const assigned = new Map(bookings.map((b) => [b.id, b.start_min]));
  for (const list of bySession.values()) {
    const slots = list.map((b) => b.start_min);
    const result = optimiseOrder(
      list.map((b) => ({
        id: b.id,
        activityMBq: Number(b.prescribed_mbq),
        diabetic: b.diabetic,
        window: b.window_from_min !== null ? { from: b.window_from_min, to: b.window_to_min ?? 1440 } : null,
      })),
      slots,
      deliveries,
      T,
    );
    if (!result) return null;
    list.forEach((b, i) => {
      const start = slots[result.slotOf[i]!]!;
      assigned.set(b.id, start);
      if (start !== b.start_min) moves.push({ bookingId: b.id, startMin: start });
    });
  }
  return { moves, assigned };
}

async function petDay(db: Executor, ctx: RequestContext, date: string): Promise<NmPetDayDto> {
  const coop = ctx.actor.cooperationId;
  const [bookings, stored, mySector] = await Promise.all([
    repo.listPetBookings(db, ctx, date),
    repo.listDeliveries(db, coop, date),
    actorSector(db, ctx),
  ]);
  const doses = bookings.map((b) => ({
    id: b.id,
    activityMBq: Number(b.prescribed_mbq),
    injectionAt: b.injected_at_min ?? b.start_min,
  }));
  const firstInjection = doses.length > 0 ? Math.min(...doses.map((d) => d.injectionAt)) : 8 * 60;
  let deliveries: Delivery[] = stored.map((d) => ({ id: d.id, calibrationAt: d.calibration_min }));
  let deliveryWarning: NmPetDayDto['deliveryWarning'] = null;
  if (deliveries.length === 0 || doses.some((d) => d.injectionAt < deliveries[0]!.calibrationAt)) {
    if (deliveries.length > 0) deliveryWarning = 'DELIVERY_AFTER_INJECTION';
    deliveries = [...proposedDeliveries(firstInjection), ...deliveries];
  }
  const current = computeOrder(doses, deliveries, { halfLifeMin: T, margin: PET_ORDER_MARGIN });
  const optimised = optimise(bookings, deliveries);
  let optimisedTotal: number | null = null;
  if (optimised) {
    optimisedTotal = computeOrder(
      doses.map((d) => ({ ...d, injectionAt: optimised.assigned.get(d.id) ?? d.injectionAt })),
      deliveries,
      { halfLifeMin: T, margin: PET_ORDER_MARGIN },
    ).totalMBq;
  }
  const atCalibration = new Map<string, number>();
  for (const o of current.orders) {
    for (const id of o.doseIds) {
      const d = doses.find((x) => x.id === id)!;
      atCalibration.set(id, d.activityMBq * Math.pow(2, (d.injectionAt - o.calibrationAt) / T));
    }
  }
  const r1 = (x: number) => Math.round(x * 10) / 10;
  return {
    date,
    halfLifeMin: T,
    marginPercent: PET_ORDER_MARGIN * 100,
    doses: bookings.map((b, i) => {
      const full = showsBookingInFull(mySector, b.sector_id, Boolean(b.patient_visible));
      return {
        bookingId: b.id,
        equipmentId: b.equipment_id,
        startMin: b.start_min,
        injectionMin: doses[i]!.injectionAt,
        prescribedMBq: Number(b.prescribed_mbq),
        diabetic: b.diabetic,
        window: b.window_from_min !== null ? { from: b.window_from_min, to: b.window_to_min ?? 1440 } : null,
        atCalibrationMBq: r1(atCalibration.get(b.id) ?? 0),
        patientLabel: full ? `${(b.used_name ?? b.birth_name).toUpperCase()} ${b.first_names}` : `#${i + 1}`,
        status: b.status,
      };
    }),
    deliveries: current.orders.map((o) => {
      const row = stored.find((d) => d.id === o.deliveryId);
      return {
        id: row?.id ?? null,
        calibrationMin: o.calibrationAt,
        dosesMBq: r1(o.dosesMBq),
        orderMBq: r1(o.orderMBq),
        measuredMBq: row?.measured_mbq != null ? Number(row.measured_mbq) : null,
        wasteMBq: row?.waste_mbq != null ? Number(row.waste_mbq) : null,
        bookingIds: o.doseIds,
      };
    }),
    totalOrderMBq: r1(current.totalMBq),
    optimised:
      optimised && optimisedTotal !== null ? { totalOrderMBq: r1(optimisedTotal), moves: optimised.moves } : null,
    optimiserNote: optimised
      ? null
      : 'The constraints (diabetic patients first, availability windows) cannot all be met',
    deliveryWarning,
    deliveriesSaved: stored.length > 0 && deliveryWarning === null,
  };
}

/** The day's PET ordering sheet: doses, deliveries with the activity to order, and the optimiser's order. */
export async function getPetDay(deps: NmDeps, ctx: RequestContext, date: string): Promise<NmPetDayDto> {
  return deps.db.transaction().execute(async (trx) => {
    const day = await petDay(trx, ctx, date);
    if (day.doses.length > 0) {
      await appendAudit(
        trx,
        auditFrom(ctx, 'nm.pet_day.read', {
          resourceType: 'nm_pet_day',
          resourceId: null,
          details: { date, bookingIds: day.doses.map((d) => d.bookingId) },
        }),
        deps.ids,
      );
    }
    return day;
  });
}

/**
 * Orders the day's deliveries at these calibration times. Refused with DELIVERY_AFTER_INJECTION when an
 * injection comes before the first calibration: that dose could not be drawn.
 */
export async function saveDeliveries(deps: NmDeps, ctx: RequestContext, body: NmDeliveriesBody) {
  const coop = ctx.actor.cooperationId;
  const times = [...new Set(body.calibrationMins)].sort((a, b) => a - b);
  return deps.db.transaction().execute(async (trx) => {
    const bookings = await repo.listPetBookings(trx, ctx, body.date);
    const doses = bookings.map((b) => ({
      id: b.id,
      activityMBq: Number(b.prescribed_mbq),
      injectionAt: b.injected_at_min ?? b.start_min,
    }));
    const deliveries = times.map((t) => ({ id: String(t), calibrationAt: t }));
    const order = computeOrder(doses, deliveries, { halfLifeMin: T, margin: PET_ORDER_MARGIN });
    const measured = (await repo.listDeliveries(trx, coop, body.date)).filter((d) => d.measured_mbq !== null);
    if (measured.length > 0) {
      throw new AppError('CONFLICT', 'A delivery of this day is already received and measured');
    }
    await repo.deleteUnmeasuredDeliveries(trx, coop, body.date);
    await repo.insertDeliveries(
      trx,
      order.orders.map((o) => ({
        id: deps.ids.uuid(),
        cooperation_id: coop,
        delivery_date: body.date,
        calibration_min: o.calibrationAt,
        ordered_mbq: Math.round(o.orderMBq * 10) / 10,
        created_by: ctx.actor.userId,
        created_at: ctx.now,
      })),
    );
    await appendAudit(
      trx,
      auditFrom(ctx, 'nm.delivery.order', {
        resourceType: 'nm_delivery',
        resourceId: null,
        details: {
          date: body.date,
          deliveries: order.orders.map((o) => ({ calibrationMin: o.calibrationAt, orderMBq: Math.round(o.orderMBq) })),
        },
      }),
      deps.ids,
    );
    return petDay(trx, ctx, body.date);
  });
}

/** Gives every booked patient of the day the injection time the optimiser found (audited with each move). */
export async function applyOptimisedOrder(deps: NmDeps, ctx: RequestContext, date: string) {
  const coop = ctx.actor.cooperationId;
  return deps.db.transaction().execute(async (trx) => {
    const day = await petDay(trx, ctx, date);
    if (!day.optimised) {
      throw new AppError('ORDER_CONSTRAINTS_INFEASIBLE', day.optimiserNote ?? 'No order meets the constraints');
    }
    for (const move of day.optimised.moves) {
      await repo.updateBooking(trx, coop, move.bookingId, { start_min: move.startMin, updated_at: ctx.now });
    }
    await appendAudit(
      trx,
      auditFrom(ctx, 'nm.pet_day.reorder', {
        resourceType: 'nm_pet_day',
        resourceId: null,
        details: { date, moves: day.optimised.moves },
      }),
      deps.ids,
    );
    return petDay(trx, ctx, date);
  });
}

/** Records the activity measured at reception and what was left unused (waste). */
export async function measureDelivery(deps: NmDeps, ctx: RequestContext, id: string, body: NmDeliveryMeasureBody) {
  const coop = ctx.actor.cooperationId;
  return deps.db.transaction().execute(async (trx) => {
    const delivery = await repo.findDelivery(trx, coop, id);
    if (!delivery) throw notFound('Delivery');
    if (body.wasteMBq > body.measuredMBq) throw invalid('body.wasteMBq', 'The waste exceeds the activity measured');
    await repo.updateDelivery(trx, coop, id, { measured_mbq: body.measuredMBq, waste_mbq: body.wasteMBq });
    await appendAudit(
      trx,
      auditFrom(ctx, 'nm.delivery.measure', {
        resourceType: 'nm_delivery',
        resourceId: id,
        details: { measuredMBq: body.measuredMBq, wasteMBq: body.wasteMBq },
      }),
      deps.ids,
    );
    return petDay(trx, ctx, delivery.delivery_date);
  });
}
