import type {
  DuplicateCandidate,
  IdentityAlert,
  Page,
  PatientCreateBody,
  PatientCreated,
  PatientDetail,
  PatientSearchQuery,
  PatientSummary,
  PatientUpdateBody,
  AccessLogEntry,
} from '@passerelle/contracts';
import type { Kysely } from 'kysely';
import { appendAudit, auditFrom } from '../../core/audit.ts';
import type { AuditBatcher } from '../../core/audit-batch.ts';
import { parisDate } from '../../core/clock.ts';
import { actingEstablishment, requirePermission, type RequestContext } from '../../core/context.ts';
import type { DB, Executor, Tx } from '../../core/db/index.ts';
import { AppError, notFound } from '../../core/errors.ts';
import type { IdGenerator } from '../../core/ids.ts';
import { DUPLICATE_THRESHOLD, duplicateScore } from './duplicates.ts';
import {
  checkIns,
  foldText,
  insSexMatches,
  normaliseIns,
  normaliseName,
  patientSearchText,
} from './identity-traits.ts';
import { findEstablishment, findUnit } from '../organisation/index.ts';
import * as repo from './patients.repository.ts';
import { presentAccessLog, presentDetail, presentSummary } from './patients.presenter.ts';

export interface PatientsDeps {
  db: Kysely<DB>;
  ids: IdGenerator;
  auditBatcher: AuditBatcher;
}

/** How long an emergency access ("bris de glace") lasts before it must be asked again. */
export const EMERGENCY_ACCESS_HOURS = 4;

const DATE_FR = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;
const DATE_ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

function toIsoDate(text: string): string | undefined {
  const fr = DATE_FR.exec(text);
  const iso = DATE_ISO.exec(text);
  const [y, m, d] = fr ? [fr[3], fr[2], fr[1]] : iso ? [iso[1], iso[2], iso[3]] : [];
  if (!y || !m || !d) return undefined;
  const value = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const parsed = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value ? undefined : value;
}

/**
 * Reads the single search box: a birth date (dd/mm/yyyy or yyyy-mm-dd), an INS (15 characters, spaces
 * allowed), an IPP (a single token with a digit) and/or name words, in any combination.
 */
export function parseSearch(q: string | undefined, birthDate: string | undefined): repo.SearchFilter {
  const filter: repo.SearchFilter = { tokens: [], birthDate };
  const text = (q ?? '').trim();
  if (!text) return filter;
  const compact = normaliseIns(text);
  if (/^[0-9]{6}[0-9AB][0-9]{8}$/.test(compact)) return { ...filter, ins: compact };
  for (const word of text.split(/\s+/)) {
    const date = toIsoDate(word);
    if (date) {
      filter.birthDate = date;
      continue;
    }
    if (/\d/.test(word) && /^[A-Za-z0-9._/-]{1,32}$/.test(word)) {
      filter.ipp = word;
      continue;
    }
    filter.tokens.push(...foldText(word).split(' ').filter(Boolean));
  }
  return filter;
}

function hasCriteria(filter: repo.SearchFilter): boolean {
  return !!(filter.birthDate || filter.ins || filter.ipp || filter.tokens.some((t) => t.length >= 2));
}

function decodeOffset(cursor: string | undefined): number {
  if (!cursor) return 0;
  const n = Number(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!Number.isInteger(n) || n < 0 || n > 100_000) throw new AppError('VALIDATION_FAILED', 'Invalid cursor');
  return n;
}
const encodeOffset = (n: number): string => Buffer.from(String(n)).toString('base64url');

async function ippsAt(db: Executor, ctx: RequestContext, ids: string[]): Promise<Map<string, string[]>> {
  const rows = await repo.listIdentifiers(db, ctx.actor.cooperationId, ids);
  const map = new Map<string, string[]>();
  for (const r of rows) {
    if (r.establishment_id !== ctx.actor.establishmentId) continue;
    map.set(r.patient_id, [...(map.get(r.patient_id) ?? []), r.ipp]);
  }
  return map;
}

/** Search among the patients the actor may see. The search itself is audited (count, not the terms). */
export async function searchPatients(
  deps: PatientsDeps,
  ctx: RequestContext,
  query: PatientSearchQuery,
): Promise<Page<PatientSummary>> {
  actingEstablishment(ctx);
  const filter = parseSearch(query.q, query.birthDate);
  if (!hasCriteria(filter)) return { items: [], nextCursor: null };
  const offset = decodeOffset(query.cursor);
  return deps.db.transaction().execute(async (trx) => {
    const rows = await repo.searchVisiblePatients(trx, ctx, filter, { limit: query.limit, offset });
    const pageRows = rows.slice(0, query.limit);
    const ipps = await ippsAt(
      trx,
      ctx,
      pageRows.map((r) => r.id),
    );
    await appendAudit(
      trx,
      auditFrom(ctx, 'patient.search', { resourceType: 'patient', details: { results: pageRows.length } }),
      deps.ids,
    );
    return {
      items: pageRows.map((r) => presentSummary(r, ipps.get(r.id) ?? [])),
      nextCursor: rows.length > query.limit ? encodeOffset(offset + query.limit) : null,
    };
  });
}

/**
 * For the emergency-access flow only: patients of the cooperation outside the actor's scope, found by
 * birth date AND name, minimal traits (no INS, no IPP). Audited.
 */
export async function searchForEmergency(
  deps: PatientsDeps,
  ctx: RequestContext,
  query: PatientSearchQuery,
): Promise<Page<PatientSummary>> {
  requirePermission(ctx, 'patient:emergency_access');
  actingEstablishment(ctx);
  const filter = parseSearch(query.q, query.birthDate);
  if (!filter.birthDate || !filter.tokens.some((t) => t.length >= 2)) {
    throw new AppError('VALIDATION_FAILED', 'Searching outside your scope needs a birth date and a name', {
      fields: [{ path: 'querystring.q', message: 'birth date and name required' }],
    });
  }
  return deps.db.transaction().execute(async (trx) => {
    const rows = await repo.searchCooperationForEmergency(trx, ctx, { ...filter, ipp: undefined, ins: undefined }, 10);
    await appendAudit(
      trx,
      auditFrom(ctx, 'patient.search_cooperation', { resourceType: 'patient', details: { results: rows.length } }),
      deps.ids,
    );
    return { items: rows.map((r) => ({ ...presentSummary(r, []), ins: null })), nextCursor: null };
  });
}

async function loadDetail(trx: Tx, ctx: RequestContext, patientId: string) {
  const parts = await repo.findVisiblePatientDetail(trx, ctx, patientId);
  if (!parts) throw notFound('Patient');
  return { detail: detailFrom(ctx, parts), emergency: !parts.row.in_care, row: parts.row };
}

function detailFrom(ctx: RequestContext, parts: repo.PatientDetailParts): PatientDetail {
  return presentDetail(parts.row, parts.identifiers, parts.care, ctx.actor.establishmentId, parts.emergency, ctx.now);
}

/**
 * Reads a patient the actor may see. The read is audited — flagged when the patient is seen only under
 * emergency access — and the answer waits until the event is committed, so none leaves without it. The event
 * goes through the group commit: concurrent reads of the cooperation share one commit of the chain.
 */
export async function getPatient(deps: PatientsDeps, ctx: RequestContext, patientId: string): Promise<PatientDetail> {
  actingEstablishment(ctx);
  const parts = await repo.findVisiblePatientDetail(deps.db, ctx, patientId);
  if (!parts) throw notFound('Patient');
  const audit = auditFrom(ctx, 'patient.read', {
    patientId,
    resourceType: 'patient',
    resourceId: patientId,
    emergency: !parts.row.in_care,
  });
  await deps.auditBatcher.append(audit, deps.ids.uuid());
  return detailFrom(ctx, parts);
}

interface ValidIdentity {
  birthName: string;
  usedName: string | null;
  firstNames: string;
  birthDate: string;
  sex: 'F' | 'M' | 'I';
  birthPlaceCode: string | null;
  ins: string | null;
  insType: 'NIR' | 'NIA' | null;
  identityStatus: PatientSummary['identityStatus'];
}

/**
 * RNIV rules: a retrieved or qualified identity comes from the INSi teleservice, so it carries an INS; the
 * INS key must be valid and its sex digit consistent; a birth date cannot be in the future.
 */
function validateIdentity(input: ValidIdentity, now: Date): ValidIdentity {
  const fields: { path: string; message: string }[] = [];
  let ins: string | null = null;
  let insType = input.insType;
  if (input.ins) {
    const check = checkIns(input.ins);
    if (!check.ok) {
      throw new AppError(
        'INVALID_INS',
        check.reason === 'key' ? 'The INS key does not match: check the number' : 'An INS has 15 characters (13 + key)',
        { fields: [{ path: 'body.ins', message: check.reason }] },
      );
    }
    ins = check.value;
    if (!insSexMatches(ins, input.sex)) {
      throw new AppError('INVALID_INS', 'The INS does not match the sex entered', {
        fields: [{ path: 'body.ins', message: 'sex' }],
      });
    }
    // NIA (temporary numbers) start with 7 or 8.
    insType ??= /^[78]/.test(ins) ? 'NIA' : 'NIR';
  } else {
    insType = null;
  }
  if ((input.identityStatus === 'retrieved' || input.identityStatus === 'qualified') && !ins) {
    fields.push({ path: 'body.ins', message: 'required for a retrieved or qualified identity' });
  }
  if (input.birthDate > parisDate(now)) fields.push({ path: 'body.birthDate', message: 'in the future' });
  if (input.birthDate < '1880-01-01') fields.push({ path: 'body.birthDate', message: 'implausible' });
  if (fields.length > 0)
    throw new AppError('VALIDATION_FAILED', 'The identity is incomplete or inconsistent', { fields });
  return {
    ...input,
    birthName: normaliseName(input.birthName),
    usedName: input.usedName ? normaliseName(input.usedName) : null,
    firstNames: input.firstNames.replace(/\s+/g, ' ').trim(),
    ins,
    insType,
  };
}

async function detectDuplicates(
  trx: Tx,
  ctx: RequestContext,
  deps: PatientsDeps,
  patientId: string,
  identity: ValidIdentity,
): Promise<{ visible: DuplicateCandidate[]; flagged: number }> {
  const candidates = await repo.listDuplicateCandidatesForSystem(
    trx,
    ctx.actor.cooperationId,
    { birthDate: identity.birthDate, firstWord: foldText(identity.birthName).split(' ')[0] ?? '' },
    patientId,
  );
  const scored = candidates
    .map((c) => ({
      row: c,
      ...duplicateScore(identity, {
        birthName: c.birth_name,
        usedName: c.used_name,
        firstNames: c.first_names,
        birthDate: c.birth_date,
        sex: c.sex,
        birthPlaceCode: c.birth_place_code,
      }),
    }))
    .filter((c) => c.score >= DUPLICATE_THRESHOLD)
    .sort((a, b) => b.score - a.score);
  for (const c of scored) {
    await trx
      .insertInto('identity_alerts')
      .values({
        id: deps.ids.uuid(),
        cooperation_id: ctx.actor.cooperationId,
        patient_id: patientId,
        candidate_id: c.row.id,
        score: c.score,
        reasons: c.reasons,
        created_at: ctx.now,
      })
      .onConflict((oc) => oc.columns(['patient_id', 'candidate_id']).doNothing())
      .execute();
  }
  if (scored.length === 0) return { visible: [], flagged: 0 };
  // Show the registering user only candidates they may already see; the others go to identity vigilance.
  const visibleIds = new Set(
    (await Promise.all(scored.map((c) => repo.findVisiblePatient(trx, ctx, c.row.id))))
      .filter((r) => r !== undefined)
      .map((r) => r!.id),
  );
  const ipps = await ippsAt(trx, ctx, [...visibleIds]);
  return {
    visible: scored
      .filter((c) => visibleIds.has(c.row.id))
      .map((c) => ({ patient: presentSummary(c.row, ipps.get(c.row.id) ?? []), score: c.score, reasons: c.reasons })),
    flagged: scored.length,
  };
}

/**
 * Registers a patient at the acting establishment: identity, optional IPP, a care relationship from
 * today. Likely duplicates raise identity-vigilance alerts; nothing is merged.
 */
export async function registerPatient(
  deps: PatientsDeps,
  ctx: RequestContext,
  body: PatientCreateBody,
): Promise<PatientCreated & { flaggedDuplicates: number }> {
  const establishmentId = actingEstablishment(ctx);
  const identity = validateIdentity(
    {
      birthName: body.birthName,
      usedName: body.usedName ?? null,
      firstNames: body.firstNames,
      birthDate: body.birthDate,
      sex: body.sex,
      birthPlaceCode: body.birthPlaceCode ?? null,
      ins: body.ins ?? null,
      insType: body.insType ?? null,
      identityStatus: body.identityStatus,
    },
    ctx.now,
  );
  const id = deps.ids.uuid();
  return deps.db.transaction().execute(async (trx) => {
    if (identity.ins && (await repo.findPatientByIns(trx, ctx.actor.cooperationId, identity.ins))) {
      throw new AppError(
        'DUPLICATE_IDENTIFIER',
        'A patient with this INS is already registered in the cooperation: search for them, or ask identity vigilance',
      );
    }
    if (body.ipp && (await repo.findIdentifier(trx, establishmentId, body.ipp))) {
      throw new AppError('DUPLICATE_IDENTIFIER', 'This IPP is already used at your establishment');
    }
    if (
      body.unitId &&
      !((await findUnit(trx, ctx.actor.cooperationId, body.unitId))?.establishment_id === establishmentId)
    ) {
      throw new AppError('VALIDATION_FAILED', 'The unit is not part of your establishment', {
        fields: [{ path: 'body.unitId', message: 'unknown unit' }],
      });
    }
    await trx
      .insertInto('patients')
      .values({
        id,
        cooperation_id: ctx.actor.cooperationId,
        birth_name: identity.birthName,
        used_name: identity.usedName,
        first_names: identity.firstNames,
        birth_date: identity.birthDate,
        sex: identity.sex,
        birth_place_code: identity.birthPlaceCode,
        ins: identity.ins,
        ins_type: identity.insType,
        identity_status: identity.identityStatus,
        search_text: patientSearchText(identity),
        created_at: ctx.now,
        updated_at: ctx.now,
      })
      .execute();
    if (body.ipp) {
      await trx
        .insertInto('patient_identifiers')
        .values({
          id: deps.ids.uuid(),
          cooperation_id: ctx.actor.cooperationId,
          patient_id: id,
          establishment_id: establishmentId,
          ipp: body.ipp,
        })
        .execute();
    }
    await trx
      .insertInto('care_relationships')
      .values({
        id: deps.ids.uuid(),
        cooperation_id: ctx.actor.cooperationId,
        patient_id: id,
        establishment_id: establishmentId,
        unit_id: body.unitId ?? null,
        starts_on: parisDate(ctx.now),
        reason: 'registration',
        created_by: ctx.actor.userId,
        created_at: ctx.now,
      })
      .execute();
    const duplicates = await detectDuplicates(trx, ctx, deps, id, identity);
    await appendAudit(
      trx,
      auditFrom(ctx, 'patient.create', {
        patientId: id,
        resourceType: 'patient',
        resourceId: id,
        details: { identityStatus: identity.identityStatus, duplicatesFlagged: duplicates.flagged },
      }),
      deps.ids,
    );
    const { detail } = await loadDetail(trx, ctx, id);
    return { patient: detail, duplicates: duplicates.visible, flaggedDuplicates: duplicates.flagged };
  });
}

/** Edits identity traits with optimistic locking (`version`); audited with the names of changed fields. */
export async function updatePatientIdentity(
  deps: PatientsDeps,
  ctx: RequestContext,
  patientId: string,
  body: PatientUpdateBody,
): Promise<PatientDetail> {
  actingEstablishment(ctx);
  return deps.db.transaction().execute(async (trx) => {
    const current = await repo.findVisiblePatient(trx, ctx, patientId);
    if (!current) throw notFound('Patient');
    if (current.merged_into_id) throw new AppError('CONFLICT', 'This record was merged into another; edit that one');
    if (current.version !== body.version) {
      throw new AppError('VERSION_CONFLICT', 'Someone else changed this identity meanwhile: reload and try again');
    }
    const merged = validateIdentity(
      {
        birthName: body.birthName ?? current.birth_name,
        usedName: body.usedName !== undefined ? body.usedName : current.used_name,
        firstNames: body.firstNames ?? current.first_names,
        birthDate: body.birthDate ?? current.birth_date,
        sex: body.sex ?? current.sex,
        birthPlaceCode: body.birthPlaceCode !== undefined ? body.birthPlaceCode : current.birth_place_code,
        ins: body.ins !== undefined ? body.ins : current.ins,
        insType: body.insType !== undefined ? body.insType : current.ins_type,
        identityStatus: body.identityStatus ?? current.identity_status,
      },
      ctx.now,
    );
    if (merged.ins && merged.ins !== current.ins) {
      const other = await repo.findPatientByIns(trx, ctx.actor.cooperationId, merged.ins);
      if (other && other.id !== patientId) {
        throw new AppError(
          'DUPLICATE_IDENTIFIER',
          'Another patient of the cooperation carries this INS: ask identity vigilance',
        );
      }
    }
    const changed = Object.keys(body).filter((k) => k !== 'version');
    const updated = await trx
      .updateTable('patients')
      .set({
        birth_name: merged.birthName,
        used_name: merged.usedName,
        first_names: merged.firstNames,
        birth_date: merged.birthDate,
        sex: merged.sex,
        birth_place_code: merged.birthPlaceCode,
        ins: merged.ins,
        ins_type: merged.insType,
        identity_status: merged.identityStatus,
        search_text: patientSearchText(merged),
        version: current.version + 1,
        updated_at: ctx.now,
      })
      .where('id', '=', patientId)
      .where('version', '=', body.version)
      .executeTakeFirst();
    if (updated.numUpdatedRows === 0n)
      throw new AppError('VERSION_CONFLICT', 'Someone else changed this identity meanwhile');
    await appendAudit(
      trx,
      auditFrom(ctx, 'patient.update', {
        patientId,
        resourceType: 'patient',
        resourceId: patientId,
        emergency: !current.in_care,
        details: { fields: changed },
      }),
      deps.ids,
    );
    return (await loadDetail(trx, ctx, patientId)).detail;
  });
}

export async function addIdentifier(deps: PatientsDeps, ctx: RequestContext, patientId: string, ipp: string) {
  const establishmentId = actingEstablishment(ctx);
  return deps.db.transaction().execute(async (trx) => {
    const patient = await repo.findVisiblePatient(trx, ctx, patientId);
    if (!patient) throw notFound('Patient');
    const existing = await repo.findIdentifier(trx, establishmentId, ipp);
    if (existing) throw new AppError('DUPLICATE_IDENTIFIER', 'This IPP is already used at your establishment');
    const id = deps.ids.uuid();
    await trx
      .insertInto('patient_identifiers')
      .values({
        id,
        cooperation_id: ctx.actor.cooperationId,
        patient_id: patientId,
        establishment_id: establishmentId,
        ipp,
      })
      .execute();
    await appendAudit(
      trx,
      auditFrom(ctx, 'patient.identifier_added', { patientId, resourceType: 'patient_identifier', resourceId: id }),
      deps.ids,
    );
    return (await loadDetail(trx, ctx, patientId)).detail;
  });
}

/**
 * Records that an establishment (optionally a unit) takes part in the patient's care, e.g. a hospital
 * referring the patient to the shared pharmacy. Only someone who already sees the patient may do it.
 */
export async function addCareRelationship(
  deps: PatientsDeps,
  ctx: RequestContext,
  patientId: string,
  body: {
    establishmentId: string;
    unitId?: string | null | undefined;
    startsOn: string;
    endsOn?: string | null | undefined;
    reason?: string | null | undefined;
  },
) {
  actingEstablishment(ctx);
  if (body.endsOn && body.endsOn < body.startsOn) {
    throw new AppError('VALIDATION_FAILED', 'The end date is before the start date', {
      fields: [{ path: 'body.endsOn', message: 'before startsOn' }],
    });
  }
  return deps.db.transaction().execute(async (trx) => {
    const patient = await repo.findVisiblePatient(trx, ctx, patientId);
    if (!patient) throw notFound('Patient');
    if (!(await findEstablishment(trx, ctx.actor.cooperationId, body.establishmentId))) {
      throw new AppError('VALIDATION_FAILED', 'Unknown establishment', {
        fields: [{ path: 'body.establishmentId', message: 'unknown' }],
      });
    }
    if (
      body.unitId &&
      !((await findUnit(trx, ctx.actor.cooperationId, body.unitId))?.establishment_id === body.establishmentId)
    ) {
      throw new AppError('VALIDATION_FAILED', 'The unit is not part of that establishment', {
        fields: [{ path: 'body.unitId', message: 'unknown unit' }],
      });
    }
    const id = deps.ids.uuid();
    await trx
      .insertInto('care_relationships')
      .values({
        id,
        cooperation_id: ctx.actor.cooperationId,
        patient_id: patientId,
        establishment_id: body.establishmentId,
        unit_id: body.unitId ?? null,
        starts_on: body.startsOn,
        ends_on: body.endsOn ?? null,
        reason: body.reason ?? null,
        created_by: ctx.actor.userId,
        created_at: ctx.now,
      })
      .execute();
    await appendAudit(
      trx,
      auditFrom(ctx, 'patient.care_relationship_added', {
        patientId,
        resourceType: 'care_relationship',
        resourceId: id,
        details: { establishmentId: body.establishmentId, unitId: body.unitId ?? null },
      }),
      deps.ids,
    );
    return (await loadDetail(trx, ctx, patientId)).detail;
  });
}

export async function endCareRelationship(
  deps: PatientsDeps,
  ctx: RequestContext,
  patientId: string,
  relationshipId: string,
  endsOn: string,
) {
  actingEstablishment(ctx);
  return deps.db.transaction().execute(async (trx) => {
    const patient = await repo.findVisiblePatient(trx, ctx, patientId);
    if (!patient) throw notFound('Patient');
    const rel = (await repo.listCareRelationships(trx, ctx.actor.cooperationId, patientId)).find(
      (r) => r.id === relationshipId,
    );
    if (!rel) throw notFound('Care relationship');
    if (endsOn < rel.starts_on) {
      throw new AppError('VALIDATION_FAILED', 'The end date is before the start date', {
        fields: [{ path: 'body.endsOn', message: 'before startsOn' }],
      });
    }
    await trx.updateTable('care_relationships').set({ ends_on: endsOn }).where('id', '=', relationshipId).execute();
    await appendAudit(
      trx,
      auditFrom(ctx, 'patient.care_relationship_ended', {
        patientId,
        resourceType: 'care_relationship',
        resourceId: relationshipId,
      }),
      deps.ids,
    );
    return (await loadDetail(trx, ctx, patientId)).detail;
  });
}

/** "Who accessed this record": the patient's audit trail, newest first. Reading it is audited too. */
export async function listAccessLog(
  deps: PatientsDeps,
  ctx: RequestContext,
  patientId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<AccessLogEntry>> {
  actingEstablishment(ctx);
  const beforeSeq = page.cursor && /^\d{1,18}$/.test(page.cursor) ? page.cursor : undefined;
  if (page.cursor && !beforeSeq) throw new AppError('VALIDATION_FAILED', 'Invalid cursor');
  return deps.db.transaction().execute(async (trx) => {
    const patient = await repo.findVisiblePatient(trx, ctx, patientId);
    if (!patient) throw notFound('Patient');
    const rows = await repo.listAccessLog(trx, ctx.actor.cooperationId, patientId, { limit: page.limit, beforeSeq });
    await appendAudit(
      trx,
      auditFrom(ctx, 'patient.access_log_read', {
        patientId,
        resourceType: 'patient',
        resourceId: patientId,
        emergency: !patient.in_care,
      }),
      deps.ids,
    );
    const items = rows.slice(0, page.limit);
    return {
      items: items.map(presentAccessLog),
      nextCursor: rows.length > page.limit ? items[items.length - 1]!.seq : null,
    };
  });
}

/**
 * Emergency access ("bris de glace"): a clinician reaches a patient outside their scope, with a
 * mandatory reason, for EMERGENCY_ACCESS_HOURS. Every read under it is flagged in the audit log.
 */
export async function grantEmergencyAccess(deps: PatientsDeps, ctx: RequestContext, patientId: string, reason: string) {
  const establishmentId = actingEstablishment(ctx);
  const expiresAt = new Date(ctx.now.getTime() + EMERGENCY_ACCESS_HOURS * 3_600_000);
  return deps.db.transaction().execute(async (trx) => {
    const patient = await repo.findPatientInCooperation(trx, ctx, patientId);
    if (!patient || patient.merged_into_id) throw notFound('Patient');
    const id = deps.ids.uuid();
    await trx
      .insertInto('emergency_accesses')
      .values({
        id,
        cooperation_id: ctx.actor.cooperationId,
        user_id: ctx.actor.userId,
        establishment_id: establishmentId,
        patient_id: patientId,
        reason,
        started_at: ctx.now,
        expires_at: expiresAt,
      })
      .execute();
    // The reason is the user's own justification, kept for the review: it is part of the event.
    await appendAudit(
      trx,
      auditFrom(ctx, 'patient.emergency_access', {
        patientId,
        resourceType: 'emergency_access',
        resourceId: id,
        emergency: true,
        details: { reason, expiresAt: expiresAt.toISOString() },
      }),
      deps.ids,
    );
    return { id, expiresAt: expiresAt.toISOString() };
  });
}

export async function listIdentityAlerts(
  deps: PatientsDeps,
  ctx: RequestContext,
  status: 'open' | 'dismissed' | 'merged',
): Promise<{ items: IdentityAlert[] }> {
  actingEstablishment(ctx);
  return deps.db.transaction().execute(async (trx) => {
    const alerts = await repo.listOpenAlertsVisible(trx, ctx, status, 100);
    const ids = [...new Set(alerts.flatMap((a) => [a.patient_id, a.candidate_id]))];
    const patients = new Map((await repo.listPatientsByIds(trx, ctx.actor.cooperationId, ids)).map((p) => [p.id, p]));
    const ipps = await ippsAt(trx, ctx, ids);
    await appendAudit(trx, auditFrom(ctx, 'identity.alerts_read', { details: { results: alerts.length } }), deps.ids);
    return {
      items: alerts.map((a) => ({
        id: a.id,
        status: a.status,
        score: Number(a.score),
        reasons: a.reasons,
        createdAt: a.created_at.toISOString(),
        patient: presentSummary(patients.get(a.patient_id)!, ipps.get(a.patient_id) ?? []),
        candidate: presentSummary(patients.get(a.candidate_id)!, ipps.get(a.candidate_id) ?? []),
      })),
    };
  });
}

export async function dismissIdentityAlert(deps: PatientsDeps, ctx: RequestContext, alertId: string, reason: string) {
  actingEstablishment(ctx);
  await deps.db.transaction().execute(async (trx) => {
    const alert = await repo.findAlertVisible(trx, ctx, alertId);
    if (!alert) throw notFound('Identity alert');
    if (alert.status !== 'open') throw new AppError('CONFLICT', 'This alert is already resolved');
    await trx
      .updateTable('identity_alerts')
      .set({ status: 'dismissed', resolved_by: ctx.actor.userId, resolved_at: ctx.now })
      .where('id', '=', alertId)
      .execute();
    await appendAudit(
      trx,
      auditFrom(ctx, 'identity.alert_dismissed', {
        patientId: alert.patient_id,
        resourceType: 'identity_alert',
        resourceId: alertId,
        details: { candidateId: alert.candidate_id, reason },
      }),
      deps.ids,
    );
  });
}

/**
 * Explicit merge after identity-vigilance review: the duplicate's identifiers and care relationships move
 * to the record that remains, the duplicate is kept (merged_into_id) for traceability, and the merge is
 * audited on both patients. Two different INS can never be merged.
 */
export async function mergePatients(
  deps: PatientsDeps,
  ctx: RequestContext,
  duplicateId: string,
  body: { intoPatientId: string; reason: string },
) {
  actingEstablishment(ctx);
  if (duplicateId === body.intoPatientId)
    throw new AppError('MERGE_NOT_ALLOWED', 'A record cannot be merged into itself');
  return deps.db.transaction().execute(async (trx) => {
    const [dup, keep] = await Promise.all([
      repo.findVisiblePatient(trx, ctx, duplicateId),
      repo.findVisiblePatient(trx, ctx, body.intoPatientId),
    ]);
    if (!dup || !keep) throw notFound('Patient');
    if (dup.merged_into_id || keep.merged_into_id)
      throw new AppError('MERGE_NOT_ALLOWED', 'One of these records is already merged');
    if (dup.ins && keep.ins && dup.ins !== keep.ins) {
      throw new AppError('MERGE_NOT_ALLOWED', 'These records carry different INS: they are different people');
    }
    await trx
      .updateTable('patient_identifiers')
      .set({ patient_id: keep.id })
      .where('patient_id', '=', dup.id)
      .execute();
    await trx.updateTable('care_relationships').set({ patient_id: keep.id }).where('patient_id', '=', dup.id).execute();
    await trx
      .updateTable('patients')
      .set((eb) => ({ merged_into_id: keep.id, version: eb('version', '+', 1), updated_at: ctx.now }))
      .where('id', '=', dup.id)
      .execute();
    if (!keep.ins && dup.ins) {
      // The record that remains takes the INS the duplicate carried (the duplicate no longer holds it).
      await trx.updateTable('patients').set({ ins: null, ins_type: null }).where('id', '=', dup.id).execute();
      await trx
        .updateTable('patients')
        .set((eb) => ({ ins: dup.ins, ins_type: dup.ins_type, version: eb('version', '+', 1), updated_at: ctx.now }))
        .where('id', '=', keep.id)
        .execute();
    }
    await trx
      .updateTable('identity_alerts')
      .set({ status: 'merged', resolved_by: ctx.actor.userId, resolved_at: ctx.now })
      .where('status', '=', 'open')
      .where((eb) =>
        eb.or([
          eb.and([eb('patient_id', '=', dup.id), eb('candidate_id', '=', keep.id)]),
          eb.and([eb('patient_id', '=', keep.id), eb('candidate_id', '=', dup.id)]),
        ]),
      )
      .execute();
    for (const [patientId, role] of [
      [dup.id, 'merged'],
      [keep.id, 'kept'],
    ] as const) {
      await appendAudit(
        trx,
        auditFrom(ctx, 'patient.merge', {
          patientId,
          resourceType: 'patient',
          resourceId: patientId,
          details: { role, duplicateId: dup.id, keptId: keep.id, reason: body.reason },
        }),
        deps.ids,
      );
    }
    return (await loadDetail(trx, ctx, keep.id)).detail;
  });
}

/**
 * Scans a whole cooperation for likely duplicates (patients loaded in bulk, e.g. an import or the demo)
 * and raises the same identity-vigilance alerts registration raises. Pairs share a birth date, as at
 * registration. Returns the number of alerts raised.
 */
export async function flagDuplicatesForSystem(
  trx: Tx,
  cooperationId: string,
  now: Date,
  ids: IdGenerator,
): Promise<number> {
  const rows = await repo.listTraitsForSystem(trx, cooperationId);
  const byDate = new Map<string, typeof rows>();
  for (const r of rows) byDate.set(r.birth_date, [...(byDate.get(r.birth_date) ?? []), r]);
  let raised = 0;
  for (const group of byDate.values()) {
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) {
        const a = group[i]!;
        const b = group[j]!;
        const traits = (p: typeof a) => ({
          birthName: p.birth_name,
          usedName: p.used_name,
          firstNames: p.first_names,
          birthDate: p.birth_date,
          sex: p.sex,
          birthPlaceCode: p.birth_place_code,
        });
        const { score, reasons } = duplicateScore(traits(b), traits(a));
        if (score < DUPLICATE_THRESHOLD) continue;
        const inserted = await trx
          .insertInto('identity_alerts')
          .values({
            id: ids.uuid(),
            cooperation_id: cooperationId,
            patient_id: b.id,
            candidate_id: a.id,
            score,
            reasons,
            created_at: now,
          })
          .onConflict((oc) => oc.columns(['patient_id', 'candidate_id']).doNothing())
          .returning('id')
          .executeTakeFirst();
        if (inserted) raised += 1;
      }
    }
  }
  return raised;
}
