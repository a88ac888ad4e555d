import type {
  AdministrationBody,
  DeliveryNoteDto,
  DispatchBody,
  DisposalBody,
  IncomingDto,
  PreparationDetailDto,
  ReceptionBody,
} from '@passerelle/contracts';
import { appendAudit, auditFrom } from '../../../core/audit.ts';
import { parisDate } from '../../../core/clock.ts';
import type { RequestContext } from '../../../core/context.ts';
import type { Tx } from '../../../core/db/index.ts';
import { AppError, notFound } from '../../../core/errors.ts';
import { parseLabelPayload } from './core/index.ts';
import {
  getPreparation,
  getPreparationDetail,
  recordingRefusals,
  RefusedAttempt,
  scopeOf,
  transition,
  type CompoundingDeps,
} from './compounding.service.ts';
import { presentDeliveryNote, presentIncomingItem } from './compounding.presenter.ts';
import * as repo from './compounding.repository.ts';
import { nextStatus } from './state-machine.ts';

function invalid(path: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', message, { fields: [{ path, message }] });
}

/** Where a delivery note goes, resolved and checked against the cooperation's organisation. */
async function resolveDestination(trx: Tx, ctx: RequestContext, body: DispatchBody) {
  const cooperationId = ctx.actor.cooperationId;
  if (body.destinationKind === 'unit') {
    if (!body.destinationUnitId) throw invalid('body.destinationUnitId', 'Name the destination unit');
    const unit = await repo.findUnit(trx, cooperationId, body.destinationUnitId);
    if (!unit) throw invalid('body.destinationUnitId', 'No such unit');
    return {
      establishmentId: unit.establishment_id,
      siteId: unit.site_id,
      unitId: unit.id,
      label: `${unit.name} — ${unit.short_name}`,
    };
  }
  if (!body.destinationEstablishmentId) {
    throw invalid('body.destinationEstablishmentId', 'Name the destination establishment');
  }
  const establishment = await repo.findEstablishment(trx, cooperationId, body.destinationEstablishmentId);
  if (!establishment) throw invalid('body.destinationEstablishmentId', 'No such establishment');
  let siteId: string | null = null;
  let label = establishment.short_name;
  if (body.destinationSiteId) {
    const site = await repo.findSite(trx, cooperationId, body.destinationSiteId);
    if (!site || site.establishment_id !== establishment.id) throw invalid('body.destinationSiteId', 'No such site');
    siteId = site.id;
    label = `${site.name} — ${establishment.short_name}`;
  } else if (body.destinationKind === 'site' || body.destinationKind === 'home_hospitalisation') {
    throw invalid('body.destinationSiteId', 'Name the destination site');
  }
  const prefix = body.destinationKind === 'home_hospitalisation' ? 'HAD · ' : '';
  return { establishmentId: establishment.id, siteId, unitId: null, label: `${prefix}${label}` };
}

/**
 * Dispatch: one delivery note per destination and departure, for released preparations that go there. A
 * preparation whose destination (its unit, or its prescribing establishment) is elsewhere is refused.
 */
export async function dispatchPreparations(
  deps: CompoundingDeps,
  ctx: RequestContext,
  body: DispatchBody,
): Promise<DeliveryNoteDto> {
  const scope = scopeOf(ctx);
  const noteId = deps.ids.uuid();
  await recordingRefusals(deps, ctx, 'dispatch', body.preparationIds[0]!, () =>
    deps.db.transaction().execute(async (trx) => {
      const ids = [...new Set(body.preparationIds)];
      const preps = await repo.listPreparationsByIds(trx, scope, ids);
      if (preps.length !== ids.length) throw notFound('Preparation');
      const destination = await resolveDestination(trx, ctx, body);
      for (const prep of preps) {
        const goesThere = destination.unitId
          ? prep.destination_unit_id === destination.unitId
          : (prep.destination_unit_establishment_id ?? prep.establishment_id) === destination.establishmentId;
        if (!goesThere) {
          throw new RefusedAttempt(
            'DISPATCH_DESTINATION_MISMATCH',
            'A preparation on this note goes to another destination: one delivery note per destination',
            prep.patient_id,
          );
        }
        if (!nextStatus(prep.status, 'dispatch')) await transition(trx, ctx, deps.ids, prep, 'dispatch');
      }
      const day = parisDate(ctx.now).replaceAll('-', '');
      const prefix = `BL-${day}-`;
      const n = (await repo.countDeliveryNotes(trx, scope.cooperationId, prefix)) + 1;
      await repo.insertDeliveryNote(trx, {
        id: noteId,
        cooperation_id: scope.cooperationId,
        number: `${prefix}${String(n).padStart(3, '0')}`,
        pharmacy_establishment_id: scope.establishmentId,
        destination_kind: body.destinationKind,
        destination_establishment_id: destination.establishmentId,
        destination_site_id: destination.siteId,
        destination_unit_id: destination.unitId,
        destination_label: destination.label,
        carrier: body.carrier,
        departed_at: ctx.now,
        created_by: ctx.actor.userId,
        created_at: ctx.now,
      });
      for (const prep of preps) {
        await repo.updateRecord(trx, scope.cooperationId, prep.id, { delivery_note_id: noteId });
        await transition(trx, ctx, deps.ids, prep, 'dispatch', `Delivery note ${prefix}${String(n).padStart(3, '0')}`);
      }
      await appendAudit(
        trx,
        auditFrom(ctx, 'preparation.dispatched', {
          resourceType: 'delivery_note',
          resourceId: noteId,
          details: { preparationIds: ids, patientIds: [...new Set(preps.map((p) => p.patient_id))] },
        }),
        deps.ids,
      );
    }),
  );
  return getDeliveryNote(deps, ctx, noteId);
}

export async function getDeliveryNote(
  deps: CompoundingDeps,
  ctx: RequestContext,
  id: string,
): Promise<DeliveryNoteDto> {
  const scope = scopeOf(ctx);
  return deps.db.transaction().execute(async (trx) => {
    const note = await repo.findDeliveryNote(trx, scope, id);
    if (!note) throw notFound('Delivery note');
    const items = await repo.listDeliveryNoteItems(trx, scope.cooperationId, id);
    await appendAudit(
      trx,
      auditFrom(ctx, 'delivery_note.read', {
        resourceType: 'delivery_note',
        resourceId: id,
        details: { patientIds: [...new Set(items.map((p) => p.patient_id))] },
      }),
      deps.ids,
    );
    return presentDeliveryNote(note, items);
  });
}

/**
 * The unit where the actor stands: the one named in the request, which must be one of the actor's units when
 * their memberships restrict them to some; else their only unit; else none (any unit of the establishment).
 */
function actingUnit(ctx: RequestContext, requested: string | null | undefined): string | null {
  const units = ctx.actor.unitIds;
  if (requested) {
    if (units && !units.includes(requested)) throw invalid('body.unitId', 'You do not work in this unit');
    return requested;
  }
  return units && units.length === 1 ? units[0]! : null;
}

/** A preparation at the destination's establishment (the unit's, or the prescribing one), or NOT_FOUND. */
async function getDelivered(trx: Tx, ctx: RequestContext, id: string) {
  const scope = scopeOf(ctx);
  const prep = await getPreparation(trx, scope, id, { forUpdate: true });
  const destinationEstablishment = prep.destination_unit_establishment_id ?? prep.establishment_id;
  if (destinationEstablishment !== scope.establishmentId) throw notFound('Preparation');
  return prep;
}

/** Received preparations stay listed this many days after their administration date, unless administered. */
const INCOMING_LOOKBACK_DAYS = 2;

/**
 * The unit's side: what is on its way to the acting establishment's units (dispatched) and what they hold, not
 * yet administered (received), so the nurse sees what to expect without waiting for the box. Audited as a
 * read of those patients' records.
 */
export async function listIncoming(deps: CompoundingDeps, ctx: RequestContext): Promise<IncomingDto> {
  const scope = scopeOf(ctx);
  const from = parisDate(new Date(ctx.now.getTime() - INCOMING_LOOKBACK_DAYS * 86_400_000));
  return deps.db.transaction().execute(async (trx) => {
    const rows = await repo.listIncoming(trx, scope, from, ctx.actor.unitIds);
    await appendAudit(
      trx,
      auditFrom(ctx, 'preparation.incoming_read', {
        resourceType: 'preparation',
        details: { results: rows.length, patientIds: [...new Set(rows.map((r) => r.patient_id))] },
      }),
      deps.ids,
    );
    return { items: rows.map(presentIncomingItem) };
  });
}

/** Reception by the unit: the scanner reads the label's DataMatrix; the preparation must be dispatched there. */
export async function receivePreparation(
  deps: CompoundingDeps,
  ctx: RequestContext,
  body: ReceptionBody,
): Promise<PreparationDetailDto> {
  const parsed = parseLabelPayload(body.payload);
  if (!parsed.ok) throw new AppError('LABEL_PAYLOAD_INVALID', parsed.message);
  const id = parsed.preparationId;
  const unitId = actingUnit(ctx, body.unitId);
  await recordingRefusals(deps, ctx, 'reception', id, () =>
    deps.db.transaction().execute(async (trx) => {
      const prep = await getDelivered(trx, ctx, id);
      if (unitId && prep.destination_unit_id && prep.destination_unit_id !== unitId) {
        throw new RefusedAttempt(
          'RECEPTION_WRONG_UNIT',
          `This preparation goes to ${prep.destination_unit_name ?? 'another unit'}, not to your unit`,
          prep.patient_id,
        );
      }
      if (!nextStatus(prep.status, 'receive')) await transition(trx, ctx, deps.ids, prep, 'receive');
      const record = (await repo.findRecord(trx, ctx.actor.cooperationId, id))!;
      await repo.updateRecord(trx, ctx.actor.cooperationId, id, {
        received_at: ctx.now,
        received_by: ctx.actor.userId,
      });
      if (record.delivery_note_id) {
        await repo.markNoteReceived(trx, ctx.actor.cooperationId, record.delivery_note_id, ctx.actor.userId, ctx.now);
      }
      await transition(trx, ctx, deps.ids, prep, 'receive');
      await appendAudit(
        trx,
        auditFrom(ctx, 'preparation.received', {
          patientId: prep.patient_id,
          resourceType: 'preparation',
          resourceId: id,
          details: { unitId },
        }),
        deps.ids,
      );
    }),
  );
  return getPreparationDetail(deps, ctx, id);
}

/**
 * Administration confirmed by the nurse at the destination unit: refused on another unit, past the beyond-use
 * date, or when the scanned label is another preparation's.
 */
export async function administerPreparation(
  deps: CompoundingDeps,
  ctx: RequestContext,
  id: string,
  body: AdministrationBody,
): Promise<PreparationDetailDto> {
  if (body.payload) {
    const parsed = parseLabelPayload(body.payload);
    if (!parsed.ok) throw new AppError('LABEL_PAYLOAD_INVALID', parsed.message);
    if (parsed.preparationId !== id) {
      throw new AppError('LABEL_PAYLOAD_MISMATCH', 'The scanned label is another preparation’s: check the patient');
    }
  }
  const unitId = actingUnit(ctx, body.unitId);
  await recordingRefusals(deps, ctx, 'administration', id, () =>
    deps.db.transaction().execute(async (trx) => {
      const prep = await getDelivered(trx, ctx, id);
      if (unitId && prep.destination_unit_id && prep.destination_unit_id !== unitId) {
        throw new RefusedAttempt(
          'ADMINISTRATION_WRONG_UNIT',
          `This preparation is for ${prep.destination_unit_name ?? 'another unit'}: it is not administered here`,
          prep.patient_id,
        );
      }
      if (!nextStatus(prep.status, 'administer')) await transition(trx, ctx, deps.ids, prep, 'administer');
      const record = (await repo.findRecord(trx, ctx.actor.cooperationId, id))!;
      if (new Date(record.beyond_use_at) <= ctx.now) {
        throw new RefusedAttempt(
          'PREPARATION_EXPIRED',
          'This preparation is past its beyond-use date: do not administer it',
          prep.patient_id,
        );
      }
      await repo.updateRecord(trx, ctx.actor.cooperationId, id, {
        administered_at: ctx.now,
        administered_by: ctx.actor.userId,
      });
      await transition(trx, ctx, deps.ids, prep, 'administer');
      await appendAudit(
        trx,
        auditFrom(ctx, 'preparation.administered', {
          patientId: prep.patient_id,
          resourceType: 'preparation',
          resourceId: id,
          details: { unitId },
        }),
        deps.ids,
      );
    }),
  );
  return getPreparationDetail(deps, ctx, id);
}

/**
 * Return to the pharmacy or destruction, with the reason; its cost is the drug the preparation consumed (the
 * vials its plan opened). The pharmacy records it, or the destination unit for a return/destruction on the ward.
 */
export async function disposePreparation(
  deps: CompoundingDeps,
  ctx: RequestContext,
  id: string,
  body: DisposalBody,
): Promise<PreparationDetailDto> {
  const scope = scopeOf(ctx);
  await recordingRefusals(deps, ctx, body.kind === 'returned' ? 'return' : 'destruction', id, () =>
    deps.db.transaction().execute(async (trx) => {
      const prep = await getPreparation(trx, scope, id, { forUpdate: true });
      const action = body.kind === 'returned' ? 'return' : 'destroy';
      if (!nextStatus(prep.status, action)) await transition(trx, ctx, deps.ids, prep, action);
      const record = await repo.findRecord(trx, scope.cooperationId, id);
      const cost = record ? Number(record.drug_cost_eur) : 0;
      await repo.insertDisposal(trx, {
        id: deps.ids.uuid(),
        cooperation_id: scope.cooperationId,
        preparation_id: id,
        kind: body.kind,
        reason: body.reason,
        cost_eur: cost,
        recorded_by: ctx.actor.userId,
        recorded_at: ctx.now,
      });
      await transition(trx, ctx, deps.ids, prep, action, body.reason);
      await appendAudit(
        trx,
        auditFrom(ctx, `preparation.${body.kind}`, {
          patientId: prep.patient_id,
          resourceType: 'preparation',
          resourceId: id,
          details: { costEur: cost },
        }),
        deps.ids,
      );
    }),
  );
  return getPreparationDetail(deps, ctx, id);
}
