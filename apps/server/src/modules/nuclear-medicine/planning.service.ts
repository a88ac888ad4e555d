import type {
  NmHalfDay,
  NmOpening,
  NmPlanningDto,
  NmProposalDto,
  NmProposalGroupDto,
  NmProposedSessionDto,
  NmSessionChangeBody,
  NmSessionCreateBody,
  NmSessionDto,
} from '@passerelle/contracts';
import { NM_EQUIPMENT_TYPES, NM_HALF_DAYS } from '@passerelle/contracts';
import { appendAudit, auditFrom } from '../../core/audit.ts';
import type { RequestContext } from '../../core/context.ts';
import type { Executor, Tx } from '../../core/db/index.ts';
import { AppError, notFound } from '../../core/errors.ts';
import { addDays, datesFrom, daysBetween, isoWeekday, monthBounds } from './calendar.ts';
import { invalid, type NmDeps } from './department.service.ts';
import { SessionAllocator } from './fair-share.ts';
import * as present from './nm.presenter.ts';
import * as repo from './nm.repository.ts';
import { agreementFor } from './shares.ts';

const MAX_PLANNING_DAYS = 62;

/** Sessions, closures and absences between two dates (a week or a month of the planning grid). */
export async function getPlanning(deps: NmDeps, ctx: RequestContext, from: string, to: string): Promise<NmPlanningDto> {
  if (to < from) throw invalid('query.to', 'The end is before the start');
  if (daysBetween(from, to) > MAX_PLANNING_DAYS) throw invalid('query.to', `At most ${MAX_PLANNING_DAYS} days`);
  const coop = ctx.actor.cooperationId;
  const [sessions, closures, absences] = await Promise.all([
    repo.listSessions(deps.db, coop, from, to),
    repo.listClosures(deps.db, coop, from, to),
    repo.listAbsences(deps.db, coop, from, to),
  ]);
  return {
    from,
    to,
    sessions: sessions.map(present.presentSession),
    closures: closures.map(present.presentClosure),
    absences: absences.map(present.presentAbsence),
  };
}

const covers = (p: { starts_on: string; ends_on: string }, date: string) => p.starts_on <= date && p.ends_on >= date;

/** Whether a machine works on a date's half-day: an opening weekday and no closure. */
function openState(equipment: repo.EquipmentRow, closures: repo.ClosureRow[], date: string) {
  const opening = equipment.opening as NmOpening;
  if (!opening.weekdays.includes(isoWeekday(date))) return 'not_open' as const;
  if (closures.some((c) => c.equipment_id === equipment.id && covers(c, date))) return 'closed' as const;
  return 'open' as const;
}

/**
 * The proposal for a month, per equipment type: every free half-day of every open machine, in chronological
 * order, goes to the sector the fair-share rule names (fair-share.ts: the most behind on its agreed share
 * since the agreement started), then to that sector's available physician with the fewest sessions in the
 * month. Sessions already planned count as they are.
 */
async function buildProposal(db: Executor, coop: string, month: string) {
  const { first, last } = monthBounds(month);
  const [sectors, equipment, staff, agreementRows, closures, absences, existing] = await Promise.all([
    repo.listSectors(db, coop),
    repo.listEquipment(db, coop),
    repo.listStaff(db, coop),
    repo.listAgreements(db, coop),
    repo.listClosures(db, coop, first, last),
    repo.listAbsences(db, coop, first, last),
    repo.listSessions(db, coop, first, last),
  ]);
  const sectorIds = sectors.map((s) => s.id);
  const agreements = agreementRows.map((a) => ({
    equipmentType: a.equipment_type,
    validFrom: a.valid_from,
    shares: a.shares,
  }));
  const physicians = staff.filter((s) => s.kind === 'physician' && s.active);
  const busy = new Set(existing.map((s) => `${s.physician_id}|${s.session_date}|${s.half_day}`));
  const monthCount = new Map<string, number>();
  for (const s of existing) monthCount.set(s.physician_id, (monthCount.get(s.physician_id) ?? 0) + 1);
  const existingAt = new Map(existing.map((s) => [`${s.equipment_id}|${s.session_date}|${s.half_day}`, s]));
  const absent = (physicianId: string, date: string) =>
    absences.some((a) => a.staff_id === physicianId && covers(a, date));

  const groups: NmProposalGroupDto[] = [];
  for (const type of NM_EQUIPMENT_TYPES) {
    const machines = equipment.filter((e) => e.type === type && e.active);
    if (machines.length === 0) continue;
    const agreement = agreementFor(agreements, type, first, sectorIds);
    const shares = agreement.shares.filter((s) => sectorIds.includes(s.sectorId));
    const historyRows =
      agreement.validFrom < first
        ? await repo.countSessionsBySector(db, coop, type, agreement.validFrom, addDays(first, -1))
        : [];
    const history = Object.fromEntries(historyRows.map((r) => [r.sector_id, Number(r.n)]));
    const allocator = new SessionAllocator(
      shares.map((s) => ({ id: s.sectorId, share: s.share })),
      history,
    );
    const sessions: NmProposedSessionDto[] = [];
    for (const date of datesFrom(first, last)) {
      for (const halfDay of NM_HALF_DAYS) {
        for (const machine of machines) {
          if (openState(machine, closures, date) !== 'open') continue;
          const planned = existingAt.get(`${machine.id}|${date}|${halfDay}`);
          if (planned) {
            allocator.fixed(planned.sector_id);
            continue;
          }
          const available = (sectorId: string) =>
            physicians
              .filter((p) => p.sector_id === sectorId && !absent(p.id, date) && !busy.has(`${p.id}|${date}|${halfDay}`))
              .sort(
                (a, b) =>
                  (monthCount.get(a.id) ?? 0) - (monthCount.get(b.id) ?? 0) ||
                  a.display_name.localeCompare(b.display_name),
              );
          const candidates = shares.map((s) => s.sectorId).filter((id) => available(id).length > 0);
          const sectorId = allocator.next(candidates);
          const physician = sectorId ? available(sectorId)[0]! : null;
          if (physician) {
            busy.add(`${physician.id}|${date}|${halfDay}`);
            monthCount.set(physician.id, (monthCount.get(physician.id) ?? 0) + 1);
          }
          sessions.push({ equipmentId: machine.id, date, halfDay, sectorId, physicianId: physician?.id ?? null });
        }
      }
    }
    groups.push({ equipmentType: type, shares, history, sessions, ...allocator.result() });
  }
  return { month, groups };
}

/** The proposal for next month (or any month), nothing saved. */
export async function proposeMonth(deps: NmDeps, ctx: RequestContext, month: string): Promise<NmProposalDto> {
  return buildProposal(deps.db, ctx.actor.cooperationId, month);
}

/** Saves the month's proposal as computed now: the free half-days become sessions (audited, counts only). */
export async function acceptProposal(
  deps: NmDeps,
  ctx: RequestContext,
  month: string,
): Promise<{ month: string; created: number; proposal: NmProposalDto }> {
  const coop = ctx.actor.cooperationId;
  return deps.db.transaction().execute(async (trx) => {
    const proposal = await buildProposal(trx, coop, month);
    const rows = proposal.groups.flatMap((g) =>
      g.sessions
        .filter((s) => s.sectorId && s.physicianId)
        .map((s) => ({
          id: deps.ids.uuid(),
          cooperation_id: coop,
          equipment_id: s.equipmentId,
          session_date: s.date,
          half_day: s.halfDay,
          sector_id: s.sectorId!,
          physician_id: s.physicianId!,
          origin: 'proposal' as const,
          change_reason: null,
          created_by: ctx.actor.userId,
          created_at: ctx.now,
          updated_at: ctx.now,
        })),
    );
    await repo.insertSessions(trx, rows);
    await appendAudit(
      trx,
      auditFrom(ctx, 'nm.planning.accept', {
        resourceType: 'nm_planning',
        resourceId: null,
        details: {
          month,
          created: rows.length,
          groups: proposal.groups.map((g) => ({
            equipmentType: g.equipmentType,
            maxDeviation: g.maxDeviation,
            finalDeviation: g.finalDeviation,
          })),
        },
      }),
      deps.ids,
    );
    return { month, created: rows.length, proposal };
  });
}

/**
 * The checks every session assignment passes: the physician belongs to the sector (PHYSICIAN_WRONG_SECTOR),
 * is present (PHYSICIAN_ABSENT) and not on another machine then (SESSION_TAKEN); the machine works that day
 * (OUTSIDE_OPENING_HOURS, EQUIPMENT_CLOSED).
 */
async function checkAssignment(
  trx: Tx,
  coop: string,
  a: { equipmentId: string; date: string; halfDay: NmHalfDay; sectorId: string; physicianId: string },
  sessionId: string | null,
) {
  const [equipment, sector, physician] = await Promise.all([
    repo.findEquipment(trx, coop, a.equipmentId),
    repo.findSector(trx, coop, a.sectorId),
    repo.findStaff(trx, coop, a.physicianId),
  ]);
  if (!equipment) throw invalid('body.equipmentId', 'Not a machine of the department');
  if (!sector) throw invalid('body.sectorId', 'Not a sector of the department');
  if (!physician || physician.kind !== 'physician' || !physician.active) {
    throw invalid('body.physicianId', 'Not a physician of the department');
  }
  if (physician.sector_id !== a.sectorId) {
    throw new AppError('PHYSICIAN_WRONG_SECTOR', 'This physician belongs to another sector than the session’s', {
      fields: [{ path: 'body.physicianId', message: 'another sector' }],
    });
  }
  const closures = await repo.listClosures(trx, coop, a.date, a.date);
  const state = openState(equipment, closures, a.date);
  if (state === 'not_open') {
    throw new AppError('OUTSIDE_OPENING_HOURS', 'The machine does not work on that day', {
      fields: [{ path: 'body.date', message: 'not an opening day' }],
    });
  }
  if (state === 'closed') {
    throw new AppError('EQUIPMENT_CLOSED', 'The machine is closed on that day', {
      fields: [{ path: 'body.date', message: 'closed' }],
    });
  }
  const absences = await repo.listAbsences(trx, coop, a.date, a.date);
  if (absences.some((x) => x.staff_id === a.physicianId)) {
    throw new AppError('PHYSICIAN_ABSENT', 'The physician is absent on that day', {
      fields: [{ path: 'body.physicianId', message: 'absent' }],
    });
  }
  const other = await repo.findPhysicianSession(trx, coop, a.physicianId, a.date, a.halfDay);
  if (other && other.id !== sessionId) {
    throw new AppError('SESSION_TAKEN', 'The physician already has a session then', {
      fields: [{ path: 'body.physicianId', message: 'already in a session' }],
    });
  }
}

/** A session added by hand, with its reason (audited). */
export async function createSession(
  deps: NmDeps,
  ctx: RequestContext,
  body: NmSessionCreateBody,
): Promise<NmSessionDto> {
  const coop = ctx.actor.cooperationId;
  return deps.db.transaction().execute(async (trx) => {
    await checkAssignment(trx, coop, body, null);
    if (await repo.findSessionAt(trx, coop, body.equipmentId, body.date, body.halfDay)) {
      throw new AppError('SESSION_TAKEN', 'This machine already has a session that half-day', {
        fields: [{ path: 'body.halfDay', message: 'taken' }],
      });
    }
    const row = {
      id: deps.ids.uuid(),
      cooperation_id: coop,
      equipment_id: body.equipmentId,
      session_date: body.date,
      half_day: body.halfDay,
      sector_id: body.sectorId,
      physician_id: body.physicianId,
      origin: 'manual' as const,
      change_reason: body.reason,
      created_by: ctx.actor.userId,
      created_at: ctx.now,
      updated_at: ctx.now,
    };
    await repo.insertSessions(trx, [row]);
    await appendAudit(
      trx,
      auditFrom(ctx, 'nm.session.create', {
        resourceType: 'nm_session',
        resourceId: row.id,
        details: { reason: body.reason, sectorId: body.sectorId, physicianId: body.physicianId, date: body.date },
      }),
      deps.ids,
    );
    return present.presentSession(row);
  });
}

/** Gives a session to another sector or physician; the reason is mandatory and audited with before/after. */
export async function changeSession(
  deps: NmDeps,
  ctx: RequestContext,
  id: string,
  body: NmSessionChangeBody,
): Promise<NmSessionDto> {
  const coop = ctx.actor.cooperationId;
  return deps.db.transaction().execute(async (trx) => {
    const session = await repo.findSession(trx, coop, id);
    if (!session) throw notFound('Session');
    await checkAssignment(
      trx,
      coop,
      {
        equipmentId: session.equipment_id,
        date: session.session_date,
        halfDay: session.half_day,
        sectorId: body.sectorId,
        physicianId: body.physicianId,
      },
      session.id,
    );
    await repo.updateSession(trx, coop, id, {
      sector_id: body.sectorId,
      physician_id: body.physicianId,
      change_reason: body.reason,
      updated_at: ctx.now,
    });
    await appendAudit(
      trx,
      auditFrom(ctx, 'nm.session.change', {
        resourceType: 'nm_session',
        resourceId: id,
        details: {
          reason: body.reason,
          before: { sectorId: session.sector_id, physicianId: session.physician_id },
          after: { sectorId: body.sectorId, physicianId: body.physicianId },
        },
      }),
      deps.ids,
    );
    return present.presentSession({
      ...session,
      sector_id: body.sectorId,
      physician_id: body.physicianId,
      origin: 'manual',
      change_reason: body.reason,
    });
  });
}
