import type {
  NmAbsenceBody,
  NmClosureBody,
  NmDepartmentDto,
  NmEquipmentBody,
  NmExamTypeBody,
  NmSectorBody,
  NmAccountDto,
  NmStaffBody,
  NmShareAgreementBody,
  NmShareAgreementDto,
  NmTariffBody,
  NmTariffDto,
} from '@passerelle/contracts';
import type { Kysely } from 'kysely';
import { appendAudit, auditFrom } from '../../core/audit.ts';
import type { RequestContext } from '../../core/context.ts';
import type { DB, Tx } from '../../core/db/index.ts';
import { AppError } from '../../core/errors.ts';
import type { IdGenerator } from '../../core/ids.ts';
import { actorSector } from './nm.policy.ts';
import * as present from './nm.presenter.ts';
import * as repo from './nm.repository.ts';
import { normalised } from './shares.ts';

export interface NmDeps {
  db: Kysely<DB>;
  ids: IdGenerator;
}

export function invalid(path: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', message, { fields: [{ path, message }] });
}

/** The department as configured: sectors, machines, staff, exam types, tariffs and agreed shares. */
export async function getDepartment(deps: NmDeps, ctx: RequestContext): Promise<NmDepartmentDto> {
  const coop = ctx.actor.cooperationId;
  const db = deps.db;
  const [sectors, equipment, staff, examTypes, tariffs, agreements, mySectorId] = await Promise.all([
    repo.listSectors(db, coop),
    repo.listEquipment(db, coop),
    repo.listStaff(db, coop),
    repo.listExamTypes(db, coop),
    repo.listTariffs(db, coop),
    repo.listAgreements(db, coop),
    actorSector(db, ctx),
  ]);
  return {
    sectors: sectors.map(present.presentSector),
    equipment: equipment.map(present.presentEquipment),
    staff: staff.map(present.presentStaff),
    examTypes: examTypes.filter((x) => x.active).map(present.presentExamType),
    tariffs: tariffs.map(present.presentTariff),
    shareAgreements: agreements.map(present.presentAgreement),
    mySectorId,
  };
}

/**
 * Records the agreed shares from a date on (for one equipment type or all). Shares are weights (50/50 or
 * 0.5/0.5), normalised; each sector of the department must appear once.
 */
export async function addShareAgreement(
  deps: NmDeps,
  ctx: RequestContext,
  body: NmShareAgreementBody,
): Promise<NmShareAgreementDto> {
  const coop = ctx.actor.cooperationId;
  return deps.db.transaction().execute(async (trx) => {
    const sectors = await repo.listSectors(trx, coop);
    const ids = body.shares.map((s) => s.sectorId);
    if (new Set(ids).size !== ids.length) throw invalid('body.shares', 'Each sector appears once');
    const unknown = ids.filter((id) => !sectors.some((s) => s.id === id));
    if (unknown.length > 0) throw invalid('body.shares', 'Not a sector of the department');
    // An agreement says every partner's share, zero included: a sector left out would get nothing silently.
    const missing = sectors.filter((s) => !ids.includes(s.id));
    if (missing.length > 0) {
      throw invalid(
        'body.shares',
        `Every sector appears, with 0 if it takes none (missing: ${missing.map((s) => s.code).join(', ')})`,
      );
    }
    if (body.shares.reduce((s, x) => s + x.share, 0) <= 0) throw invalid('body.shares', 'The shares add up to zero');
    const id = deps.ids.uuid();
    const row = {
      id,
      cooperation_id: coop,
      equipment_type: body.equipmentType,
      valid_from: body.validFrom,
      shares: JSON.stringify(normalised(body.shares)),
      reason: body.reason,
      created_by: ctx.actor.userId,
      created_at: ctx.now,
    };
    await repo.insertAgreement(trx, row);
    await appendAudit(
      trx,
      auditFrom(ctx, 'nm.shares.agree', {
        resourceType: 'nm_share_agreement',
        resourceId: id,
        details: { equipmentType: body.equipmentType, validFrom: body.validFrom, shares: normalised(body.shares) },
      }),
      deps.ids,
    );
    return {
      id,
      equipmentType: body.equipmentType,
      validFrom: body.validFrom,
      shares: normalised(body.shares),
      reason: body.reason,
    };
  });
}

/** Sets the value counted for a CCAM code (the cooperation's own tariff, no longer a demo value). */
export async function setTariff(deps: NmDeps, ctx: RequestContext, body: NmTariffBody): Promise<NmTariffDto> {
  return deps.db.transaction().execute(async (trx) => {
    const row = await repo.upsertTariff(trx, {
      id: deps.ids.uuid(),
      cooperation_id: ctx.actor.cooperationId,
      ccam_code: body.ccamCode,
      label: body.label,
      tariff_eur: body.tariffEur,
      demo_value: false,
      updated_at: ctx.now,
    });
    await appendAudit(
      trx,
      auditFrom(ctx, 'nm.tariff.set', {
        resourceType: 'nm_tariff',
        resourceId: row.id,
        details: { ccamCode: body.ccamCode, tariffEur: body.tariffEur },
      }),
      deps.ids,
    );
    return present.presentTariff(row);
  });
}

function checkPeriod(startsOn: string, endsOn: string) {
  if (endsOn < startsOn) throw invalid('body.endsOn', 'The end is before the start');
}

/** Closes a machine for a period (maintenance, breakdown, holidays): no session nor booking then. */
export async function addClosure(deps: NmDeps, ctx: RequestContext, body: NmClosureBody) {
  checkPeriod(body.startsOn, body.endsOn);
  return deps.db.transaction().execute(async (trx) => {
    const equipment = await repo.findEquipment(trx, ctx.actor.cooperationId, body.equipmentId);
    if (!equipment) throw invalid('body.equipmentId', 'Not a machine of the department');
    const id = deps.ids.uuid();
    const row = {
      id,
      cooperation_id: ctx.actor.cooperationId,
      equipment_id: body.equipmentId,
      starts_on: body.startsOn,
      ends_on: body.endsOn,
      reason: body.reason,
      created_by: ctx.actor.userId,
      created_at: ctx.now,
    };
    await repo.insertClosure(trx, row);
    await appendAudit(
      trx,
      auditFrom(ctx, 'nm.closure.add', {
        resourceType: 'nm_closure',
        resourceId: id,
        details: { equipmentId: body.equipmentId, startsOn: body.startsOn, endsOn: body.endsOn },
      }),
      deps.ids,
    );
    return present.presentClosure(row);
  });
}

/** Records a staff member's absence: the proposal then gives their half-days to colleagues. */
export async function addAbsence(deps: NmDeps, ctx: RequestContext, body: NmAbsenceBody) {
  checkPeriod(body.startsOn, body.endsOn);
  return deps.db.transaction().execute(async (trx) => {
    const staff = await repo.findStaff(trx, ctx.actor.cooperationId, body.staffId);
    if (!staff) throw invalid('body.staffId', 'Not a member of the department');
    const id = deps.ids.uuid();
    const row = {
      id,
      cooperation_id: ctx.actor.cooperationId,
      staff_id: body.staffId,
      starts_on: body.startsOn,
      ends_on: body.endsOn,
      reason: body.reason,
      created_by: ctx.actor.userId,
      created_at: ctx.now,
    };
    await repo.insertAbsence(trx, row);
    await appendAudit(
      trx,
      auditFrom(ctx, 'nm.absence.add', {
        resourceType: 'nm_absence',
        resourceId: id,
        details: { staffId: body.staffId, startsOn: body.startsOn, endsOn: body.endsOn },
      }),
      deps.ids,
    );
    return present.presentAbsence(row);
  });
}

/** A unique-code clash answers CONFLICT, not a 500. */
async function uniquely<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw new AppError('CONFLICT', `${what} with this code exists`);
    throw error;
  }
}

async function configured(
  deps: NmDeps,
  ctx: RequestContext,
  action: string,
  resourceType: string,
  id: string,
  insert: (trx: Tx) => Promise<unknown>,
  details: Record<string, unknown>,
) {
  await uniquely(resourceType, () =>
    deps.db.transaction().execute(async (trx) => {
      await insert(trx);
      await appendAudit(trx, auditFrom(ctx, action, { resourceType, resourceId: id, details }), deps.ids);
    }),
  );
}

/** A partner of the department (the hospital, a private group…), optionally tied to an establishment. */
export async function addSector(deps: NmDeps, ctx: RequestContext, body: NmSectorBody) {
  const coop = ctx.actor.cooperationId;
  if (body.establishmentId && !(await repo.findEstablishmentForSector(deps.db, coop, body.establishmentId))) {
    throw invalid('body.establishmentId', 'Not an establishment of the cooperation');
  }
  // Listed after the existing partners.
  const position = (await repo.listSectors(deps.db, coop)).length + 1;
  const row = {
    id: deps.ids.uuid(),
    cooperation_id: coop,
    code: body.code,
    name: body.name,
    establishment_id: body.establishmentId,
    position,
  };
  await configured(deps, ctx, 'nm.sector.add', 'nm_sector', row.id, (trx) => repo.insertSector(trx, row), {
    code: body.code,
  });
  return present.presentSector(row);
}

/** A machine with its opening hours. */
export async function addEquipment(deps: NmDeps, ctx: RequestContext, body: NmEquipmentBody) {
  const row = {
    id: deps.ids.uuid(),
    cooperation_id: ctx.actor.cooperationId,
    code: body.code,
    name: body.name,
    type: body.type,
    opening: JSON.stringify(body.opening),
    active: true,
  };
  await configured(deps, ctx, 'nm.equipment.add', 'nm_equipment', row.id, (trx) => repo.insertEquipment(trx, row), {
    code: body.code,
    type: body.type,
  });
  return present.presentEquipment({ ...row, opening: body.opening });
}

/** The accounts a team member may be linked to: names, usernames and roles only. */
export async function listAccounts(deps: NmDeps, ctx: RequestContext): Promise<{ items: NmAccountDto[] }> {
  const rows = await repo.listAccountsForStaff(deps.db, ctx.actor.cooperationId);
  return {
    items: rows.map((r) => ({ id: r.id, displayName: r.display_name, username: r.username, roles: r.roles })),
  };
}

/** A physician (always of a sector), radiographer or secretary, linked to their account when they have one. */
export async function addStaff(deps: NmDeps, ctx: RequestContext, body: NmStaffBody) {
  const coop = ctx.actor.cooperationId;
  if (body.kind === 'physician' && !body.sectorId) throw invalid('body.sectorId', 'A physician belongs to a sector');
  if (body.sectorId && !(await repo.findSector(deps.db, coop, body.sectorId))) {
    throw invalid('body.sectorId', 'Not a sector of the department');
  }
  if (body.userId && !(await repo.findUserForStaff(deps.db, coop, body.userId))) {
    throw invalid('body.userId', 'Not an account of the cooperation');
  }
  const alreadyLinked = body.userId
    ? (await repo.listStaff(deps.db, coop)).find((s) => s.user_id === body.userId)
    : undefined;
  if (alreadyLinked) throw new AppError('CONFLICT', `This account is already linked to ${alreadyLinked.display_name}`);
  const row = {
    id: deps.ids.uuid(),
    cooperation_id: coop,
    kind: body.kind,
    sector_id: body.sectorId,
    display_name: body.displayName,
    user_id: body.userId,
    professional_id: null,
    active: true,
  };
  await configured(deps, ctx, 'nm.staff.add', 'nm_staff', row.id, (trx) => repo.insertStaff(trx, row), {
    kind: body.kind,
    sectorId: body.sectorId,
  });
  return present.presentStaff(row);
}

/** An exam type with its activity rule; its minimum may not exceed its maximum. */
export async function addExamType(deps: NmDeps, ctx: RequestContext, body: NmExamTypeBody) {
  if (body.maxMBq < body.minMBq) throw invalid('body.maxMBq', 'The maximum is below the minimum');
  const row = {
    id: deps.ids.uuid(),
    cooperation_id: ctx.actor.cooperationId,
    code: body.code,
    name_fr: body.nameFr,
    name_en: body.nameEn,
    equipment_type: body.equipmentType,
    duration_min: body.durationMin,
    preparation_fr: body.preparationFr,
    preparation_en: body.preparationEn,
    radiopharmaceutical: body.radiopharmaceutical,
    nuclide: body.nuclide,
    mbq_per_kg: body.mbqPerKg === null ? null : String(body.mbqPerKg),
    min_mbq: String(body.minMBq),
    max_mbq: String(body.maxMBq),
    uptake_min: body.uptakeMin,
    ccam_code: body.ccamCode,
    active: true,
  };
  await configured(deps, ctx, 'nm.exam_type.add', 'nm_exam_type', row.id, (trx) => repo.insertExamType(trx, row), {
    code: body.code,
  });
  return present.presentExamType(row);
}
