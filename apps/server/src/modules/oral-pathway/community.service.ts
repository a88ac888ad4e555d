import type {
  CommunityProfessionalBody,
  CommunityProfessionalDto,
  OralPacketDto,
  ReceivedPacketDto,
  SendPacketsBody,
} from '@passerelle/contracts';
import { appendAudit, auditFrom } from '../../core/audit.ts';
import { actingEstablishment, type RequestContext } from '../../core/context.ts';
import { AppError, notFound } from '../../core/errors.ts';
import { sha256 } from '../../core/http/auth-plugin.ts';
import { randomSecret } from '../../core/ids.ts';
import { enqueue, JobError, type JobContext, type JobResult } from '../../core/jobs.ts';
import { isRppsShape } from '../organisation/index.ts';
import { findPattern } from './drugs.ts';
import { renderPatientBooklet, renderTransmission, type PlanSnapshot } from './oral.documents.ts';
import * as present from './oral.presenter.ts';
import * as repo from './oral.repository.ts';
import { documentExtras, invalid, type OralDeps } from './oral.service.ts';

/**
 * The community side: the directory of community professionals, transmission packets sent by secure mail
 * (SMTP, through the job queue so that a mail server that is down means queued and retried, never lost),
 * acknowledgements, and what a community professional may read (only the packets sent to them).
 */

export const PACKET_QUEUE = 'oral.packet.send';
/** Retries with the queue's exponential backoff (10 s doubling, capped at one hour): about 15 hours in all. */
export const PACKET_MAX_ATTEMPTS = 20;

// --- directory -----------------------------------------------------------------------------------------

export async function listDirectory(
  deps: OralDeps,
  ctx: RequestContext,
): Promise<{ items: CommunityProfessionalDto[] }> {
  const rows = await repo.listCommunityProfessionals(deps.db, ctx.actor.cooperationId);
  return { items: rows.map(present.presentCommunity) };
}

/**
 * Adds a community professional. The RPPS is checked for its shape (11 digits) as the organisation module
 * does; its Luhn key is not verified because the algorithm is not confirmed from a primary source.
 */
export async function addCommunityProfessional(
  deps: OralDeps,
  ctx: RequestContext,
  body: CommunityProfessionalBody,
): Promise<CommunityProfessionalDto> {
  const rpps = body.rpps ? body.rpps.replace(/\s+/g, '') : null;
  if (rpps !== null && !isRppsShape(rpps)) {
    throw new AppError('INVALID_RPPS', 'An RPPS number is 11 digits', {
      fields: [{ path: 'body.rpps', message: 'RPPS' }],
    });
  }
  const id = deps.ids.uuid();
  return deps.db.transaction().execute(async (trx) => {
    if (rpps && (await repo.findCommunityByRpps(trx, ctx.actor.cooperationId, rpps))) {
      throw new AppError('DUPLICATE_IDENTIFIER', 'This RPPS is already in the directory', {
        fields: [{ path: 'body.rpps', message: 'duplicate' }],
      });
    }
    if (body.userId && !(await repo.isCommunityAccount(trx, ctx.actor.cooperationId, body.userId))) {
      throw invalid('body.userId', 'No community professional account with this id');
    }
    const row = {
      id,
      cooperation_id: ctx.actor.cooperationId,
      kind: body.kind,
      rpps,
      title: body.title ?? null,
      first_name: body.firstName,
      last_name: body.lastName,
      city: body.city ?? null,
      phone: body.phone ?? null,
      secure_email: body.secureEmail.toLowerCase(),
      user_id: body.userId ?? null,
      created_at: ctx.now,
    };
    await repo.insertCommunityProfessional(trx, row);
    await appendAudit(
      trx,
      auditFrom(ctx, 'oral.community_professional_added', {
        resourceType: 'oral_community_professional',
        resourceId: id,
        details: { kind: body.kind },
      }),
      deps.ids,
    );
    return present.presentCommunity(row);
  });
}

// --- packets -------------------------------------------------------------------------------------------

async function enqueueSend(
  trx: Parameters<typeof enqueue>[0],
  deps: OralDeps,
  packetId: string,
  cooperationId: string,
  sendCount: number,
) {
  await enqueue(
    trx,
    {
      queue: PACKET_QUEUE,
      payload: { packetId },
      cooperationId,
      idempotencyKey: `${PACKET_QUEUE}:${packetId}:${sendCount}`,
      maxAttempts: PACKET_MAX_ATTEMPTS,
    },
    { clock: deps.clock, ids: deps.ids },
  );
}

/**
 * Creates one packet per recipient for the treatment's current plan version and queues its sending, in the
 * same transaction: a packet is never recorded without its job, nor the job without its packet.
 */
export async function sendPackets(
  deps: OralDeps,
  ctx: RequestContext,
  treatmentId: string,
  body: SendPacketsBody,
): Promise<OralPacketDto[]> {
  actingEstablishment(ctx);
  const recipientIds = [...new Set(body.recipientIds)];
  return deps.db.transaction().execute(async (trx) => {
    const t = await repo.findTreatment(trx, ctx, treatmentId, 'care');
    if (!t) throw notFound('Treatment');
    const recipients = await repo.findCommunityProfessionals(trx, ctx.actor.cooperationId, recipientIds);
    const missing = recipientIds.filter((r) => !recipients.some((x) => x.id === r));
    if (missing.length > 0) throw invalid('body.recipientIds', 'Unknown recipient in the directory');
    for (const r of recipients) {
      const id = deps.ids.uuid();
      await repo.insertPacket(trx, {
        id,
        cooperation_id: ctx.actor.cooperationId,
        treatment_id: t.id,
        recipient_id: r.id,
        plan_version: t.plan_version,
        status: 'queued',
        // Replaced by the sending job with the hash of the token it mails; never matches a real token before.
        ack_token_hash: `unsent:${id}`,
        created_by: ctx.actor.userId,
        created_at: ctx.now,
      });
      await enqueueSend(trx, deps, id, ctx.actor.cooperationId, 1);
    }
    await appendAudit(
      trx,
      auditFrom(ctx, 'oral.packets_queued', {
        patientId: t.patient_id,
        resourceType: 'oral_treatment',
        resourceId: t.id,
        details: { recipients: recipients.map((r) => r.id), planVersion: t.plan_version },
      }),
      deps.ids,
    );
    const rows = await repo.listPackets(trx, ctx.actor.cooperationId, [t.id]);
    return rows
      .filter((p) => p.created_at.getTime() === ctx.now.getTime() && recipientIds.includes(p.recipient_id))
      .map(present.presentPacket);
  });
}

/** Sends a packet again (a new mail with a new acknowledgement link; the earlier link stops working). */
export async function resendPacket(deps: OralDeps, ctx: RequestContext, packetId: string): Promise<OralPacketDto> {
  actingEstablishment(ctx);
  return deps.db.transaction().execute(async (trx) => {
    const packet = await repo.findPacketInScope(trx, ctx, packetId, 'care');
    if (!packet) throw notFound('Packet');
    if (packet.status === 'acknowledged')
      throw new AppError('CONFLICT', 'This packet was acknowledged: nothing to resend');
    const sendCount = packet.send_count + 1;
    await repo.updatePacket(trx, packetId, { status: 'queued', send_count: sendCount, last_error: null });
    await enqueueSend(trx, deps, packetId, ctx.actor.cooperationId, sendCount);
    await appendAudit(
      trx,
      auditFrom(ctx, 'oral.packet_resend', {
        patientId: packet.patient_id,
        resourceType: 'oral_packet',
        resourceId: packetId,
        details: { sendCount },
      }),
      deps.ids,
    );
    const rows = await repo.listPackets(trx, ctx.actor.cooperationId, [packet.treatment_id]);
    return present.presentPacket(rows.find((r) => r.id === packetId)!);
  });
}

/** Records an acknowledgement given otherwise (phone, reply mail). */
export async function acknowledgeManually(
  deps: OralDeps,
  ctx: RequestContext,
  packetId: string,
): Promise<OralPacketDto> {
  actingEstablishment(ctx);
  return deps.db.transaction().execute(async (trx) => {
    const packet = await repo.findPacketInScope(trx, ctx, packetId, 'care');
    if (!packet) throw notFound('Packet');
    if (packet.status !== 'acknowledged') {
      await repo.updatePacket(trx, packetId, {
        status: 'acknowledged',
        acknowledged_at: ctx.now,
        acknowledged_via: 'manual',
        acknowledged_by: ctx.actor.userId,
      });
      await appendAudit(
        trx,
        auditFrom(ctx, 'oral.packet_acknowledged', {
          patientId: packet.patient_id,
          resourceType: 'oral_packet',
          resourceId: packetId,
          details: { via: 'manual' },
        }),
        deps.ids,
      );
    }
    const rows = await repo.listPackets(trx, ctx.actor.cooperationId, [packet.treatment_id]);
    return present.presentPacket(rows.find((r) => r.id === packetId)!);
  });
}

/** The acknowledgement link of the mail. Idempotent: acknowledging twice keeps the first time. */
export async function acknowledgeByToken(
  deps: OralDeps,
  token: string,
  now: Date,
  requestId: string,
): Promise<{ acknowledgedAt: string }> {
  return deps.db.transaction().execute(async (trx) => {
    const packet = await repo.findPacketByTokenHashForSystem(trx, sha256(token));
    if (!packet)
      throw new AppError(
        'LINK_INVALID',
        'This acknowledgement link is not valid (a more recent mail may have replaced it)',
      );
    if (packet.status === 'acknowledged') return { acknowledgedAt: packet.acknowledged_at!.toISOString() };
    await repo.updatePacket(trx, packet.id, { status: 'acknowledged', acknowledged_at: now, acknowledged_via: 'link' });
    await appendAudit(
      trx,
      {
        cooperationId: packet.cooperation_id,
        occurredAt: now,
        actorUserId: null,
        actorEstablishmentId: null,
        actorLabel: 'community:acknowledgement-link',
        action: 'oral.packet_acknowledged',
        outcome: 'success',
        resourceType: 'oral_packet',
        resourceId: packet.id,
        requestId,
        details: { via: 'link' },
      },
      deps.ids,
    );
    return { acknowledgedAt: now.toISOString() };
  });
}

/** What a community professional sees: the packets sent to them, and nothing else. */
export async function listReceived(deps: OralDeps, ctx: RequestContext): Promise<{ items: ReceivedPacketDto[] }> {
  return deps.db.transaction().execute(async (trx) => {
    const rows = await repo.listReceivedPackets(trx, ctx.actor.cooperationId, ctx.actor.userId);
    const items: ReceivedPacketDto[] = [];
    for (const r of rows) {
      const doc = await repo.findDocumentVersion(trx, ctx.actor.cooperationId, r.treatment_id, r.plan_version);
      const snapshot = doc?.snapshot as PlanSnapshot | undefined;
      const extras = await documentExtras(trx, ctx.actor.cooperationId, r.treatment_id);
      items.push({
        packetId: r.packet_id,
        sentAt: present.iso(r.sent_at),
        acknowledgedAt: present.iso(r.acknowledged_at),
        patient: present.presentPatient(r),
        drugName: present.drugName(r.drug_code),
        doseMg: snapshot?.doseMg ?? 0,
        scheduleLabel: snapshot ? (findPattern(snapshot.scheduleCode)?.labelFr ?? snapshot.scheduleCode) : '',
        startDate: snapshot?.startDate ?? '',
        intakePlan: extras.intakePlan,
        interactions: extras.interactions,
      });
    }
    await appendAudit(trx, auditFrom(ctx, 'oral.received_read', { details: { results: items.length } }), deps.ids);
    return { items };
  });
}

// --- the sending job -----------------------------------------------------------------------------------

const KIND_SUBJECT = {
  gp: 'Courrier médecin traitant',
  pharmacist: 'Conciliation et plan de prise',
  nurse: 'Fiche de liaison infirmière',
} as const;

/** SMTP errors reduced to what is safe to keep: the transport's code and the server's reply code. */
function smtpFailure(error: unknown): string {
  const e = error as { code?: unknown; responseCode?: unknown; message?: unknown };
  // The system error code (ECONNREFUSED, ETIMEDOUT…) is kept from the message; the rest of it (addresses) is not.
  const system = typeof e.message === 'string' ? /\b(E[A-Z]{4,})\b/.exec(e.message)?.[1] : undefined;
  const parts = [
    typeof e.code === 'string' ? e.code : null,
    system && system !== e.code ? system : null,
    typeof e.responseCode === 'number' ? `SMTP ${e.responseCode}` : null,
  ].filter(Boolean);
  return `Mail delivery failed${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

/**
 * Sends one packet. Re-reads the packet (a resend or an acknowledgement may have happened since), mails the
 * transmission document and the patient's plan as PDF attachments with a fresh acknowledgement link, and
 * records the outcome. A failure keeps the packet queued with its error and throws, so the queue retries
 * with backoff; only the last allowed attempt marks it failed (it can then be resent). The mail carries no
 * patient name in its subject.
 */
export async function sendPacketJob(deps: OralDeps, job: JobContext): Promise<JobResult> {
  const packetId = String(job.payload.packetId);
  const packet = await repo.findPacketForSystem(deps.db, packetId);
  if (!packet) return { skipped: 'packet not found' };
  if (packet.status !== 'queued') return { skipped: `packet is ${packet.status}` };
  const now = () => deps.clock.now();
  const fail = async (message: string) => {
    const last = job.attempt >= job.maxAttempts;
    await repo.updatePacket(
      deps.db,
      packetId,
      { attempts: packet.attempts + 1, last_error: message, ...(last ? { status: 'failed' } : {}) },
      ['queued'],
    );
    throw new JobError(message);
  };
  if (!deps.mailer) return fail('No mail server configured (PASSERELLE_SMTP_URL): the packet waits in the queue');
  const doc = await repo.findDocumentVersion(deps.db, packet.cooperation_id, packet.treatment_id, packet.plan_version);
  if (!doc) return fail('The plan version of this packet has no documents');
  const snapshot = doc.snapshot as PlanSnapshot;
  const extras = await documentExtras(deps.db, packet.cooperation_id, packet.treatment_id);
  const recipientName = present.communityName(packet);
  const [transmission, booklet] = await Promise.all([
    renderTransmission(packet.recipient_kind, snapshot, extras, recipientName),
    renderPatientBooklet(snapshot, extras),
  ]);
  const token = randomSecret(32);
  // Store the new link's hash before mailing it, so a link that reaches the recipient always works.
  await repo.updatePacket(deps.db, packetId, { ack_token_hash: sha256(token) }, ['queued']);
  const ackUrl = `${deps.publicUrl.replace(/\/$/, '')}/accuse-reception#${token}`;
  let messageId: string;
  try {
    ({ messageId } = await deps.mailer.send({
      to: packet.secure_email,
      subject: `[Passerelle] ${KIND_SUBJECT[packet.recipient_kind]} — anticancéreux oral (${present.drugName(snapshot.drugCode)})`,
      text: [
        `Bonjour ${recipientName},`,
        '',
        `${snapshot.establishmentName} vous transmet les documents de primo-prescription d’un(e) patient(e) que vous suivez, traité(e) par ${present.drugName(snapshot.drugCode)} à partir du ${snapshot.startDate}.`,
        'Les documents sont joints en PDF.',
        '',
        `Merci d’accuser réception en ouvrant ce lien : ${ackUrl}`,
        '',
        'Message envoyé par messagerie sécurisée de santé. Ne pas répondre à cette adresse.',
      ].join('\n'),
      attachments: [
        {
          filename: `transmission-${packet.recipient_kind}.pdf`,
          content: transmission,
          contentType: 'application/pdf',
        },
        {
          filename: `plan-de-traitement-v${packet.plan_version}.pdf`,
          content: booklet,
          contentType: 'application/pdf',
        },
      ],
    }));
  } catch (error) {
    return fail(smtpFailure(error));
  }
  const sentAt = now();
  await deps.db.transaction().execute(async (trx) => {
    await repo.updatePacket(
      trx,
      packetId,
      { status: 'sent', sent_at: sentAt, message_id: messageId, attempts: packet.attempts + 1, last_error: null },
      ['queued'],
    );
    await appendAudit(
      trx,
      {
        cooperationId: packet.cooperation_id,
        occurredAt: sentAt,
        actorUserId: null,
        actorEstablishmentId: null,
        actorLabel: 'system:oral-packet-job',
        action: 'oral.packet_sent',
        outcome: 'success',
        resourceType: 'oral_packet',
        resourceId: packetId,
        details: { attempt: job.attempt, recipientKind: packet.recipient_kind },
      },
      deps.ids,
    );
  });
  return { sent: packetId };
}
