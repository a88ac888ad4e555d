import {
  NmAbsenceBody,
  NmApplyOrderBody,
  NmBookingBody,
  NmClosureBody,
  NmCounterExportQuery,
  NmCounterQuery,
  NmDayQuery,
  NmDeliveriesBody,
  NmDeliveryMeasureBody,
  NmEquipmentBody,
  NmExamTypeBody,
  NmSectorBody,
  NmStaffBody,
  NmMonthQuery,
  NmPerformBody,
  NmPlanningQuery,
  NmSessionChangeBody,
  NmSessionCreateBody,
  NmShareAgreementBody,
  NmTariffBody,
  ReasonBody,
} from '@passerelle/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ModuleDeps } from '../types.ts';
import * as booking from './booking.service.ts';
import * as counter from './counter.service.ts';
import * as department from './department.service.ts';
import * as pet from './pet.service.ts';
import * as planning from './planning.service.ts';

const IdParams = z.object({ id: z.uuid() });
const access = (permission: 'nm:read' | 'nm:plan' | 'nm:book' | 'nm:record' | 'nm:configure') => ({
  access: { permission },
});

/** The shared nuclear-medicine department. Handlers stay thin. */
export function nuclearMedicineRoutes(app: FastifyInstance, deps: ModuleDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const d: department.NmDeps = { db: deps.db, ids: deps.ids };
  const tags = ['nuclear medicine'];
  const base = '/nuclear-medicine';

  // --- department and configuration -------------------------------------------------------------------
  api.get(
    `${base}/department`,
    { config: access('nm:read'), schema: { tags, summary: 'Sectors, machines, staff, exam types, tariffs, shares' } },
    async (request) => department.getDepartment(d, request.ctx()),
  );
  api.post(
    `${base}/sectors`,
    { config: access('nm:configure'), schema: { tags, summary: 'Add a partner sector', body: NmSectorBody } },
    async (request, reply) => reply.status(201).send(await department.addSector(d, request.ctx(), request.body)),
  );
  api.post(
    `${base}/equipment`,
    { config: access('nm:configure'), schema: { tags, summary: 'Add a machine', body: NmEquipmentBody } },
    async (request, reply) => reply.status(201).send(await department.addEquipment(d, request.ctx(), request.body)),
  );
  api.get(
    `${base}/accounts`,
    {
      config: access('nm:configure'),
      schema: { tags, summary: 'Accounts of the cooperation a team member may be linked to (names and roles)' },
    },
    async (request) => department.listAccounts(d, request.ctx()),
  );
  api.post(
    `${base}/staff`,
    { config: access('nm:configure'), schema: { tags, summary: 'Add a team member', body: NmStaffBody } },
    async (request, reply) => reply.status(201).send(await department.addStaff(d, request.ctx(), request.body)),
  );
  api.post(
    `${base}/exam-types`,
    { config: access('nm:configure'), schema: { tags, summary: 'Add an exam type', body: NmExamTypeBody } },
    async (request, reply) => reply.status(201).send(await department.addExamType(d, request.ctx(), request.body)),
  );
  api.post(
    `${base}/share-agreements`,
    {
      config: access('nm:configure'),
      schema: {
        tags,
        summary: 'Agreed shares from a date on, for one equipment type or all',
        body: NmShareAgreementBody,
      },
    },
    async (request, reply) =>
      reply.status(201).send(await department.addShareAgreement(d, request.ctx(), request.body)),
  );
  api.post(
    `${base}/tariffs`,
    { config: access('nm:configure'), schema: { tags, summary: 'Set the value of a CCAM code', body: NmTariffBody } },
    async (request) => department.setTariff(d, request.ctx(), request.body),
  );
  api.post(
    `${base}/closures`,
    { config: access('nm:plan'), schema: { tags, summary: 'Close a machine for a period', body: NmClosureBody } },
    async (request, reply) => reply.status(201).send(await department.addClosure(d, request.ctx(), request.body)),
  );
  api.post(
    `${base}/absences`,
    { config: access('nm:plan'), schema: { tags, summary: 'Record a staff absence', body: NmAbsenceBody } },
    async (request, reply) => reply.status(201).send(await department.addAbsence(d, request.ctx(), request.body)),
  );

  // --- sessions planning ------------------------------------------------------------------------------
  api.get(
    `${base}/planning`,
    {
      config: access('nm:read'),
      schema: { tags, summary: 'Sessions, closures and absences between two dates', querystring: NmPlanningQuery },
    },
    async (request) => planning.getPlanning(d, request.ctx(), request.query.from, request.query.to),
  );
  api.get(
    `${base}/planning/proposal`,
    {
      config: access('nm:plan'),
      schema: {
        tags,
        summary: 'The fair-share proposal for a month (nothing saved)',
        description: 'Free half-days go to the sector most behind its agreed share; see fair-share.ts for the bound.',
        querystring: NmMonthQuery,
      },
    },
    async (request) => planning.proposeMonth(d, request.ctx(), request.query.month),
  );
  api.post(
    `${base}/planning/proposal/accept`,
    {
      config: access('nm:plan'),
      schema: { tags, summary: 'Save the month’s proposal as sessions', body: NmMonthQuery },
    },
    async (request) => planning.acceptProposal(d, request.ctx(), request.body.month),
  );
  api.post(
    `${base}/sessions`,
    {
      config: access('nm:plan'),
      schema: { tags, summary: 'Add a session by hand (reason required)', body: NmSessionCreateBody },
    },
    async (request, reply) => reply.status(201).send(await planning.createSession(d, request.ctx(), request.body)),
  );
  api.post(
    `${base}/sessions/:id/change`,
    {
      config: access('nm:plan'),
      schema: {
        tags,
        summary: 'Give a session to another sector or physician (reason required)',
        params: IdParams,
        body: NmSessionChangeBody,
      },
    },
    async (request) => planning.changeSession(d, request.ctx(), request.params.id, request.body),
  );

  // --- booking and the day ----------------------------------------------------------------------------
  api.post(
    `${base}/bookings`,
    {
      config: access('nm:book'),
      schema: {
        tags,
        summary: 'Book a patient in your establishment’s care into a session',
        description: 'EQUIPMENT_CLOSED, OUTSIDE_OPENING_HOURS, SLOT_TAKEN, ACTIVITY_OUTSIDE_LIMITS on bad input.',
        body: NmBookingBody,
      },
    },
    async (request, reply) => reply.status(201).send(await booking.bookExam(d, request.ctx(), request.body)),
  );
  api.post(
    `${base}/bookings/:id/cancel`,
    { config: access('nm:book'), schema: { tags, summary: 'Cancel a booking', params: IdParams, body: ReasonBody } },
    async (request) => booking.cancelBooking(d, request.ctx(), request.params.id, request.body.reason),
  );
  api.post(
    `${base}/bookings/:id/perform`,
    {
      config: access('nm:record'),
      schema: {
        tags,
        summary: 'Record the exam performed: injected activity, and the act that feeds the counter',
        params: IdParams,
        body: NmPerformBody,
      },
    },
    async (request) => booking.performExam(d, request.ctx(), request.params.id, request.body),
  );
  api.get(
    `${base}/day`,
    {
      config: access('nm:book'),
      schema: { tags, summary: 'The day’s sessions and bookings (others’ as busy slots)', querystring: NmDayQuery },
    },
    async (request) => booking.getDay(d, request.ctx(), request.query.date),
  );

  // --- PET radiopharmaceutical ordering ----------------------------------------------------------------
  api.get(
    `${base}/pet-day`,
    {
      config: access('nm:book'),
      schema: { tags, summary: 'The day’s FDG ordering sheet and the optimiser’s order', querystring: NmDayQuery },
    },
    async (request) => pet.getPetDay(d, request.ctx(), request.query.date),
  );
  api.post(
    `${base}/pet-day/deliveries`,
    {
      config: access('nm:record'),
      schema: { tags, summary: 'Order the day’s deliveries at these calibration times', body: NmDeliveriesBody },
    },
    async (request) => pet.saveDeliveries(d, request.ctx(), request.body),
  );
  api.post(
    `${base}/pet-day/apply-order`,
    {
      config: access('nm:book'),
      schema: { tags, summary: 'Give each patient the injection time the optimiser found', body: NmApplyOrderBody },
    },
    async (request) => pet.applyOptimisedOrder(d, request.ctx(), request.body.date),
  );
  api.post(
    `${base}/deliveries/:id/measure`,
    {
      config: access('nm:record'),
      schema: {
        tags,
        summary: 'Record the activity measured at reception and the waste',
        params: IdParams,
        body: NmDeliveryMeasureBody,
      },
    },
    async (request) => pet.measureDelivery(d, request.ctx(), request.params.id, request.body),
  );

  // --- the activity counter ---------------------------------------------------------------------------
  api.get(
    `${base}/counter`,
    {
      config: access('nm:read'),
      schema: {
        tags,
        summary: 'Sessions, acts, value and deviation from the agreed share',
        querystring: NmCounterQuery,
      },
    },
    async (request) => counter.getCounter(d, request.ctx(), request.query.from, request.query.to),
  );
  api.get(
    `${base}/counter/export`,
    {
      config: access('nm:read'),
      schema: { tags, summary: 'A sector’s month as CSV (; separated)', querystring: NmCounterExportQuery },
    },
    async (request, reply) => {
      const { filename, csv } = await counter.exportSectorMonth(
        d,
        request.ctx(),
        request.query.month,
        request.query.sectorId,
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .send(csv);
    },
  );
}
