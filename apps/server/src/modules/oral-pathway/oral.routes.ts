import {
  AcknowledgeBody,
  AlertHandleBody,
  CallRecordBody,
  CommunityProfessionalBody,
  EmptyBody,
  InteractionCheckBody,
  MedicalConsultationBody,
  NursingConsultationBody,
  OralPlanChangeBody,
  OralStatusChangeBody,
  OralSettingsBody,
  OralTreatmentCreateBody,
  PatientReportBody,
  PharmaceuticalConsultationBody,
  SendPacketsBody,
  WorklistQuery,
} from '@passerelle/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ModuleDeps } from '../types.ts';
import * as community from './community.service.ts';
import * as followup from './followup.service.ts';
import * as service from './oral.service.ts';

const IdParams = z.object({ id: z.uuid() });
const TokenParams = z.object({ token: z.string().min(20).max(200) });
const AlertsQuery = z.strictObject({ status: z.enum(['open', 'handled']).default('open') });

export function oralDeps(deps: ModuleDeps): service.OralDeps {
  return { db: deps.db, ids: deps.ids, clock: deps.clock, mailer: deps.mailer, publicUrl: deps.config.publicUrl };
}

/** The oral anticancer pathway's API. Handlers stay thin. */
export function oralPathwayRoutes(app: FastifyInstance, deps: ModuleDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const d = oralDeps(deps);
  const tags = ['oral anticancer pathway'];

  api.get(
    '/oral/referential',
    {
      config: { access: { permission: 'oral:read' } },
      schema: { tags, summary: 'Oral anticancer drugs (with SmPC sources), schedule patterns and the CTCAE v5 subset' },
    },
    async () => service.getReferential(),
  );

  api.get(
    '/oral/settings',
    {
      config: { access: { permission: 'oral:read' } },
      schema: { tags, summary: 'Call schedules and alert rules in force' },
    },
    async (request) => service.getSettings(d, request.ctx()),
  );

  api.put(
    '/oral/settings',
    {
      config: { access: { permission: 'oral:configure' } },
      schema: {
        tags,
        summary: 'Configure call schedules per drug, followed cycles, alert rules, patient link lifetime',
        body: OralSettingsBody,
      },
    },
    async (request) => service.updateSettings(d, request.ctx(), request.body),
  );

  api.post(
    '/oral/interaction-check',
    {
      config: { access: { permission: 'oral:consult_pharma' } },
      schema: {
        tags,
        summary: 'Check a medication reconciliation against the interaction knowledge base (nothing stored)',
        body: InteractionCheckBody,
      },
    },
    async (request) => ({ items: service.previewInteractions(request.body) }),
  );

  api.get(
    '/oral/treatments',
    {
      config: { access: { permission: 'oral:read' } },
      schema: { tags, summary: 'The pathway board of your establishment' },
    },
    async (request) => service.listBoard(d, request.ctx()),
  );

  api.post(
    '/oral/treatments',
    {
      config: { access: { permission: 'oral:consult_medical' } },
      schema: {
        tags,
        summary: 'Primo-prescription of an oral anticancer drug: the treatment, its documents and follow-up calls',
        description:
          'UNKNOWN_DRUG for a drug outside the referential; the patient must be in your establishment’s care.',
        body: OralTreatmentCreateBody,
      },
    },
    async (request, reply) => reply.status(201).send(await service.createTreatment(d, request.ctx(), request.body)),
  );

  api.get(
    '/oral/treatments/:id',
    {
      config: { access: { permission: 'oral:read' } },
      schema: {
        tags,
        summary: 'A treatment with its consultations, documents, packets, calls and alerts',
        params: IdParams,
      },
    },
    async (request) => service.getTreatment(d, request.ctx(), request.params.id),
  );

  api.post(
    '/oral/treatments/:id/status',
    {
      config: { access: { permission: 'oral:consult_medical' } },
      schema: {
        tags,
        summary: 'Hold, resume or stop the treatment, with the reason (stopping cancels the calls still planned)',
        params: IdParams,
        body: OralStatusChangeBody,
      },
    },
    async (request) => service.changeTreatmentStatus(d, request.ctx(), request.params.id, request.body),
  );

  api.post(
    '/oral/treatments/:id/plan',
    {
      config: { access: { permission: 'oral:consult_medical' } },
      schema: {
        tags,
        summary: 'Change dose or schedule: next plan version and new documents',
        params: IdParams,
        body: OralPlanChangeBody,
      },
    },
    async (request) => service.changePlan(d, request.ctx(), request.params.id, request.body),
  );

  api.post(
    '/oral/treatments/:id/consultations/medical',
    {
      config: { access: { permission: 'oral:consult_medical' } },
      schema: { tags, summary: 'Record the medical consultation', params: IdParams, body: MedicalConsultationBody },
    },
    async (request, reply) =>
      reply.status(201).send(
        await service.recordConsultation(d, request.ctx(), request.params.id, {
          kind: 'medical',
          body: request.body,
        }),
      ),
  );

  api.post(
    '/oral/treatments/:id/consultations/pharmaceutical',
    {
      config: { access: { permission: 'oral:consult_pharma' } },
      schema: {
        tags,
        summary: 'Record the pharmaceutical consultation: reconciliation, interaction check (stored), intake plan',
        params: IdParams,
        body: PharmaceuticalConsultationBody,
      },
    },
    async (request, reply) =>
      reply.status(201).send(
        await service.recordConsultation(d, request.ctx(), request.params.id, {
          kind: 'pharmaceutical',
          body: request.body,
        }),
      ),
  );

  api.post(
    '/oral/treatments/:id/consultations/nursing',
    {
      config: { access: { permission: 'oral:consult_nursing' } },
      schema: { tags, summary: 'Record the nursing consultation', params: IdParams, body: NursingConsultationBody },
    },
    async (request, reply) =>
      reply.status(201).send(
        await service.recordConsultation(d, request.ctx(), request.params.id, {
          kind: 'nursing',
          body: request.body,
        }),
      ),
  );

  api.post(
    '/oral/treatments/:id/packets',
    {
      config: { access: { permission: 'oral:write' } },
      schema: {
        tags,
        summary: 'Queue transmission packets to community professionals (secure mail)',
        params: IdParams,
        body: SendPacketsBody,
      },
    },
    async (request, reply) =>
      reply.status(202).send({ items: await community.sendPackets(d, request.ctx(), request.params.id, request.body) }),
  );

  api.post(
    '/oral/treatments/:id/patient-links',
    {
      config: { access: { permission: 'oral:followup' } },
      schema: {
        tags,
        summary: 'An expiring single-use link to the patient-reported form (the token is shown once)',
        params: IdParams,
        body: EmptyBody,
      },
    },
    async (request, reply) =>
      reply.status(201).send(await followup.createPatientLink(d, request.ctx(), request.params.id)),
  );

  api.get(
    '/oral/documents/:id/pdf',
    {
      config: { access: { permission: 'oral:read' } },
      schema: {
        tags,
        summary: 'The patient booklet (plan, intake calendar, drug sheet, what to do if, contacts) as PDF',
        params: IdParams,
      },
    },
    async (request, reply) => {
      const { pdf, filename } = await service.getDocumentPdf(d, request.ctx(), request.params.id);
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .send(pdf);
    },
  );

  api.get(
    '/oral/community-professionals',
    {
      config: { access: { permission: 'oral:read' } },
      schema: { tags, summary: 'Directory of community professionals' },
    },
    async (request) => community.listDirectory(d, request.ctx()),
  );

  api.post(
    '/oral/community-professionals',
    {
      config: { access: { permission: 'oral:write' } },
      schema: {
        tags,
        summary: 'Add a community GP, pharmacist or nurse (RPPS, secure mail address)',
        body: CommunityProfessionalBody,
      },
    },
    async (request, reply) =>
      reply.status(201).send(await community.addCommunityProfessional(d, request.ctx(), request.body)),
  );

  api.post(
    '/oral/packets/:id/resend',
    {
      config: { access: { permission: 'oral:write' } },
      schema: { tags, summary: 'Send a packet again', params: IdParams, body: EmptyBody },
    },
    async (request, reply) => reply.status(202).send(await community.resendPacket(d, request.ctx(), request.params.id)),
  );

  api.post(
    '/oral/packets/:id/acknowledge',
    {
      config: { access: { permission: 'oral:write' } },
      schema: {
        tags,
        summary: 'Record an acknowledgement received otherwise (phone, mail)',
        params: IdParams,
        body: EmptyBody,
      },
    },
    async (request) => community.acknowledgeManually(d, request.ctx(), request.params.id),
  );

  api.get(
    '/oral/received',
    {
      config: { access: { permission: 'oral:received' } },
      schema: { tags, summary: 'Community professionals: the packets sent to you' },
    },
    async (request) => community.listReceived(d, request.ctx()),
  );

  api.get(
    '/oral/worklist',
    {
      config: { access: { permission: 'oral:followup' } },
      schema: { tags, summary: 'Follow-up calls due or overdue', querystring: WorklistQuery },
    },
    async (request) => followup.getWorklist(d, request.ctx(), request.query.horizonDays),
  );

  api.post(
    '/oral/calls/:id',
    {
      config: { access: { permission: 'oral:followup' } },
      schema: {
        tags,
        summary: 'Record a follow-up call: CTCAE grades, adherence, action',
        params: IdParams,
        body: CallRecordBody,
      },
    },
    async (request) => followup.recordCall(d, request.ctx(), request.params.id, request.body),
  );

  api.get(
    '/oral/alerts',
    {
      config: { access: { permission: 'oral:read' } },
      schema: { tags, summary: 'Alerts to the physician', querystring: AlertsQuery },
    },
    async (request) => followup.listAlerts(d, request.ctx(), request.query.status),
  );

  api.post(
    '/oral/alerts/:id/handle',
    {
      config: { access: { permission: 'oral:followup' } },
      schema: { tags, summary: 'Record how an alert was handled', params: IdParams, body: AlertHandleBody },
    },
    async (request) => followup.handleAlert(d, request.ctx(), request.params.id, request.body.note),
  );

  api.get(
    '/oral/indicators',
    {
      config: { access: { permission: 'oral:read' } },
      schema: { tags, summary: 'Pathway indicators for your establishment' },
    },
    async (request) => service.getIndicators(d, request.ctx()),
  );

  // --- without an account: the patient's form and the community acknowledgement link ------------------

  api.get(
    '/public/oral/forms/:token',
    {
      config: { access: { public: true }, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'The patient-reported form behind a link (LINK_INVALID, LINK_EXPIRED, LINK_ALREADY_USED)',
        params: TokenParams,
      },
    },
    async (request) => followup.getPatientForm(d, request.params.token, d.clock.now()),
  );

  api.post(
    '/public/oral/forms/:token',
    {
      config: { access: { public: true }, rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'Submit the patient-reported form (once)',
        params: TokenParams,
        body: PatientReportBody,
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await followup.submitPatientReport(d, request.params.token, request.body, d.clock.now(), request.id)),
  );

  api.post(
    '/public/oral/acknowledgements',
    {
      config: { access: { public: true }, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: { tags, summary: 'Acknowledge a transmission packet with the link of its mail', body: AcknowledgeBody },
    },
    async (request) => community.acknowledgeByToken(d, request.body.token, d.clock.now(), request.id),
  );
}
