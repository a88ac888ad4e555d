import {
  CareRelationshipBody,
  DismissAlertBody,
  EmergencyAccessBody,
  EndCareRelationshipBody,
  IdentifierBody,
  MergeBody,
  PatientCreateBody,
  PatientSearchQuery,
  PatientUpdateBody,
} from '@passerelle/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ModuleDeps } from '../types.ts';
import * as service from './patients.service.ts';

const IdParams = z.object({ id: z.uuid() });
const SearchQuery = PatientSearchQuery.extend({ scope: z.enum(['care', 'cooperation']).default('care') });

export function patientRoutes(app: FastifyInstance, deps: ModuleDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const d: service.PatientsDeps = { db: deps.db, ids: deps.ids, auditBatcher: deps.auditBatcher };
  const tags = ['patients'];

  api.get(
    '/patients',
    {
      config: { access: { permission: 'patient:read', tokenScope: 'patient:read' } },
      schema: {
        tags,
        summary: 'Search patients by name, birth date, INS or IPP',
        description:
          '`q` accepts name words (accents and case folded), a birth date (dd/mm/yyyy or yyyy-mm-dd), an INS or an IPP. ' +
          '`scope=cooperation` searches outside your scope for an emergency access (birth date and name required).',
        querystring: SearchQuery,
      },
    },
    async (request) => {
      const { scope, ...query } = request.query;
      return scope === 'cooperation'
        ? service.searchForEmergency(d, request.ctx(), query)
        : service.searchPatients(d, request.ctx(), query);
    },
  );

  api.post(
    '/patients',
    {
      config: { access: { permission: 'patient:write', tokenScope: 'patient:write' } },
      schema: { tags, summary: 'Register a patient at your establishment', body: PatientCreateBody },
    },
    async (request, reply) => reply.status(201).send(await service.registerPatient(d, request.ctx(), request.body)),
  );

  api.get(
    '/patients/:id',
    {
      config: { access: { permission: 'patient:read', tokenScope: 'patient:read' } },
      schema: { tags, summary: 'A patient you may see (404 otherwise)', params: IdParams },
    },
    async (request) => service.getPatient(d, request.ctx(), request.params.id),
  );

  api.patch(
    '/patients/:id',
    {
      config: { access: { permission: 'patient:write', tokenScope: 'patient:write' } },
      schema: {
        tags,
        summary: 'Edit identity traits (optimistic locking on version)',
        params: IdParams,
        body: PatientUpdateBody,
      },
    },
    async (request) => service.updatePatientIdentity(d, request.ctx(), request.params.id, request.body),
  );

  api.post(
    '/patients/:id/identifiers',
    {
      config: { access: { permission: 'patient:write', tokenScope: 'patient:write' } },
      schema: { tags, summary: 'Add your establishment’s IPP', params: IdParams, body: IdentifierBody },
    },
    async (request, reply) =>
      reply.status(201).send(await service.addIdentifier(d, request.ctx(), request.params.id, request.body.ipp)),
  );

  api.post(
    '/patients/:id/care-relationships',
    {
      config: { access: { permission: 'patient:write', tokenScope: 'patient:write' } },
      schema: {
        tags,
        summary: 'Record that an establishment takes part in the care',
        params: IdParams,
        body: CareRelationshipBody,
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.addCareRelationship(d, request.ctx(), request.params.id, request.body)),
  );

  api.post(
    '/patients/:id/care-relationships/:relationshipId/end',
    {
      config: { access: { permission: 'patient:write' } },
      schema: {
        tags,
        summary: 'End a care relationship',
        params: z.object({ id: z.uuid(), relationshipId: z.uuid() }),
        body: EndCareRelationshipBody,
      },
    },
    async (request) =>
      service.endCareRelationship(
        d,
        request.ctx(),
        request.params.id,
        request.params.relationshipId,
        request.body.endsOn,
      ),
  );

  api.get(
    '/patients/:id/access-log',
    {
      config: { access: { permission: 'patient:read' } },
      schema: {
        tags,
        summary: 'Who accessed this record',
        params: IdParams,
        querystring: z.strictObject({
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().max(30).optional(),
        }),
      },
    },
    async (request) => service.listAccessLog(d, request.ctx(), request.params.id, request.query),
  );

  api.post(
    '/patients/:id/emergency-access',
    {
      config: { access: { permission: 'patient:emergency_access' } },
      schema: {
        tags,
        summary: 'Emergency access (bris de glace), with a mandatory reason',
        params: IdParams,
        body: EmergencyAccessBody,
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await service.grantEmergencyAccess(d, request.ctx(), request.params.id, request.body.reason)),
  );

  api.post(
    '/patients/:id/merge',
    {
      config: { access: { permission: 'patient:identity_review' } },
      schema: {
        tags,
        summary: 'Merge this duplicate into another record (identity vigilance)',
        params: IdParams,
        body: MergeBody,
      },
    },
    async (request) => service.mergePatients(d, request.ctx(), request.params.id, request.body),
  );

  api.get(
    '/identity-alerts',
    {
      config: { access: { permission: 'patient:identity_review' } },
      schema: {
        tags,
        summary: 'Likely duplicates waiting for identity-vigilance review',
        querystring: z.strictObject({ status: z.enum(['open', 'dismissed', 'merged']).default('open') }),
      },
    },
    async (request) => service.listIdentityAlerts(d, request.ctx(), request.query.status),
  );

  api.post(
    '/identity-alerts/:id/dismiss',
    {
      config: { access: { permission: 'patient:identity_review' } },
      schema: {
        tags,
        summary: 'Not a duplicate: close the alert with a reason',
        params: IdParams,
        body: DismissAlertBody,
      },
    },
    async (request, reply) => {
      await service.dismissIdentityAlert(d, request.ctx(), request.params.id, request.body.reason);
      return reply.status(204).send();
    },
  );
}
