import { AppointmentBody, PinBody, PlannerSettingsBody, ProductionDayQuery, ShiftsBody } from '@passerelle/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PlannerWorker } from '../../planner/index.ts';
import type { ModuleDeps } from '../../types.ts';
import * as service from './production.service.ts';

/** Production planning of the shared pharmacy. The planner runs in a worker thread, off the event loop. */
export function productionRoutes(app: FastifyInstance, deps: ModuleDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const worker = new PlannerWorker();
  app.addHook('onClose', () => worker.close());
  const d: service.ProductionDeps = { db: deps.db, ids: deps.ids, clock: deps.clock, worker };
  const tags = ['pharmacy: production planning'];

  api.get(
    '/pharmacy/production/plan',
    {
      config: { access: { permission: 'planner:read' } },
      schema: {
        tags,
        summary: 'The day’s plan per isolator: what is next, expected ready time, predicted lateness and why',
        description:
          'Re-planned from the day’s last plan: what is on an isolator or about to start is not reshuffled. Only ' +
          'the shared pharmacy’s staff see it (404 elsewhere). PLANNER_NO_ISOLATOR when none is declared.',
        querystring: ProductionDayQuery,
      },
    },
    async (request) => service.getPlan(d, request.ctx(), request.query),
  );

  api.post(
    '/pharmacy/production/pins',
    {
      config: { access: { permission: 'planner:manage' } },
      schema: {
        tags,
        summary: 'Pin or move a preparation on an isolator; answers what it costs (dryRun: nothing saved)',
        body: PinBody,
      },
    },
    async (request) => service.pinPreparation(d, request.ctx(), request.body),
  );

  api.delete(
    '/pharmacy/production/pins/:preparationId',
    {
      config: { access: { permission: 'planner:manage' } },
      schema: { tags, summary: 'Release a pin', params: z.object({ preparationId: z.uuid() }) },
    },
    async (request, reply) => {
      await service.unpinPreparation(d, request.ctx(), request.params.preparationId);
      return reply.status(204).send();
    },
  );

  api.get(
    '/pharmacy/production/shifts',
    {
      config: { access: { permission: 'planner:read' } },
      schema: { tags, summary: 'The technicians’ shifts of a day', querystring: ProductionDayQuery },
    },
    async (request) => service.getShifts(d, request.ctx(), request.query),
  );

  api.put(
    '/pharmacy/production/shifts',
    {
      config: { access: { permission: 'planner:manage' } },
      schema: { tags, summary: 'Replace the technicians’ shifts of a day', body: ShiftsBody },
    },
    async (request) => service.putShifts(d, request.ctx(), request.body),
  );

  api.get(
    '/pharmacy/production/settings',
    {
      config: { access: { permission: 'planner:read' } },
      schema: { tags, summary: 'Planner settings: objective weights, changeover, transport, opening hours' },
    },
    async (request) => service.getSettings(d, request.ctx()),
  );

  api.put(
    '/pharmacy/production/settings',
    {
      config: { access: { permission: 'planner:manage' } },
      schema: { tags, summary: 'Change the planner settings', body: PlannerSettingsBody },
    },
    async (request) => service.putSettings(d, request.ctx(), request.body),
  );

  api.get(
    '/pharmacy/production/anticipation',
    {
      config: { access: { permission: 'planner:read' } },
      schema: {
        tags,
        summary: 'The latest proposal of preparations to make the day before (default: tomorrow)',
        querystring: ProductionDayQuery,
      },
    },
    async (request) => service.getProposal(d, request.ctx(), request.query),
  );

  api.post(
    '/pharmacy/production/anticipation',
    {
      config: { access: { permission: 'planner:manage' } },
      schema: {
        tags,
        summary: 'Compute the anticipation proposal now (the nightly job does it at 16:00)',
        querystring: ProductionDayQuery,
        body: z.object({}).strict().optional(),
      },
    },
    async (request, reply) => reply.status(201).send(await service.runProposal(d, request.ctx(), request.query)),
  );

  api.put(
    '/pharmacy/production/appointments',
    {
      config: { access: { permission: 'fit_to_treat:record' } },
      schema: {
        tags,
        summary: 'Record the patient’s chair time for one administration day (the planner’s due time)',
        body: AppointmentBody,
      },
    },
    async (request) => service.setAppointment(d, request.ctx(), request.body),
  );
}
