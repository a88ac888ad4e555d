import type { ServerResponse } from 'node:http';
import {
  ActivityQuery,
  AdministrationBody,
  BoardQuery,
  CompleteCompoundingBody,
  DispatchBody,
  DisposalBody,
  LabelBody,
  ReceptionBody,
  RecallQuery,
  ReleaseBody,
  SecondCheckBody,
  StartCompoundingBody,
  VialScanBody,
  WeighingBody,
} from '@passerelle/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ModuleDeps } from '../../types.ts';
import { createBoardEvents } from './board-events.ts';
import { createSimulatedBalance, type SimulatedBalance } from './core/index.ts';
import * as compounding from './compounding.service.ts';
import * as dispatch from './dispatch.service.ts';
import * as trace from './traceability.service.ts';

const IdParams = z.object({ id: z.uuid() });
const CsvQuery = z.object({ format: z.enum(['json', 'csv']).default('json') });

/** Keeps an SSE connection alive through proxies that close idle ones. */
const HEARTBEAT_MS = 20_000;

/**
 * Compounding, release, dispatch, reception, administration, the production board (with live events),
 * traceability and activity. Handlers stay thin: validate, call the service, reply.
 */
export function compoundingRoutes(app: FastifyInstance, deps: ModuleDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  // One simulated balance per isolator (the demo and the tests); connected balances implement the same driver.
  const balances = new Map<string, SimulatedBalance>();
  const d: compounding.CompoundingDeps = {
    db: deps.db,
    ids: deps.ids,
    clock: deps.clock,
    balanceFor: (isolatorId) => {
      let balance = balances.get(isolatorId);
      if (!balance)
        balances.set(isolatorId, (balance = createSimulatedBalance({ id: `sim-${isolatorId.slice(0, 8)}` })));
      return balance;
    },
  };
  const events = createBoardEvents(deps);
  const streams = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const stream of streams) stream.end();
    await events.close();
  });

  const tags = ['pharmacy: compounding'];
  const base = '/pharmacy/compounding';
  const prep = `${base}/preparations/:id`;

  api.get(
    `${base}/isolators`,
    {
      config: { access: { permission: 'compounding:run' } },
      schema: { tags, summary: 'Isolators in service at the acting pharmacy' },
    },
    async (request) => ({ items: await compounding.listIsolators(d, request.ctx()) }),
  );

  api.get(
    `${base}/board`,
    {
      config: { access: { permission: 'compounding:run' } },
      schema: {
        tags,
        summary: 'Production board: the day’s preparations per state and isolator, late ones flagged',
        querystring: BoardQuery,
      },
    },
    async (request) => trace.getBoard(d, request.ctx(), request.query),
  );

  api.get(
    `${base}/board/events`,
    {
      config: { access: { permission: 'compounding:run' } },
      schema: {
        tags,
        summary: 'Live board: server-sent events (`event: preparation`, data BoardEventDto) on every state change',
      },
    },
    async (request, reply) => {
      const ctx = request.ctx();
      const raw = reply.raw;
      let open = false;
      // Subscribe before taking over the socket, so a failure still answers problem+json.
      const unsubscribe = await events.subscribe(ctx.actor.cooperationId, (event) => {
        if (open) raw.write(`event: preparation\ndata: ${JSON.stringify(event)}\n\n`);
      });
      reply.hijack();
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-request-id': request.id,
      });
      raw.write(': connected\n\nretry: 3000\n\n');
      open = true;
      streams.add(raw);
      const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), HEARTBEAT_MS);
      const end = () => {
        open = false;
        clearInterval(heartbeat);
        unsubscribe();
        streams.delete(raw);
      };
      request.raw.on('close', end);
      raw.on('close', end);
    },
  );

  api.get(
    prep,
    {
      config: { access: { permission: 'prescription:read' } },
      schema: {
        tags,
        summary: 'A preparation with its plan, scans, weighings, check, labels, disposal and full history',
        params: IdParams,
      },
    },
    async (request) => compounding.getPreparationDetail(d, request.ctx(), request.params.id),
  );

  api.post(
    `${prep}/start`,
    {
      config: { access: { permission: 'compounding:run' } },
      schema: {
        tags,
        summary: 'Start compounding in an isolator (validated, green light or anticipated); the plan is stored',
        params: IdParams,
        body: StartCompoundingBody,
      },
    },
    async (request) => compounding.startCompounding(d, request.ctx(), request.params.id, request.body),
  );

  api.get(
    `${prep}/fabrication-sheet`,
    {
      config: { access: { permission: 'compounding:run' } },
      schema: {
        tags,
        summary: 'Fabrication sheet (JSON): the stored plan, or a preview before compounding starts',
        params: IdParams,
      },
    },
    async (request) => {
      const { pdf: _pdf, ...sheet } = await compounding.getFabricationSheet(d, request.ctx(), request.params.id);
      return sheet;
    },
  );

  api.get(
    `${prep}/fabrication-sheet.pdf`,
    {
      config: { access: { permission: 'compounding:run' } },
      schema: { tags, summary: 'Fabrication sheet, printable PDF', params: IdParams },
    },
    async (request, reply) => {
      const sheet = await compounding.getFabricationSheet(d, request.ctx(), request.params.id);
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="fiche-fabrication-${request.params.id}.pdf"`)
        .send(await sheet.pdf());
    },
  );

  api.post(
    `${prep}/scans`,
    {
      config: { access: { permission: 'compounding:run' } },
      schema: {
        tags,
        summary: 'Scan a vial’s GS1 DataMatrix; blocked scans (GS1_*, VIAL_*) are recorded, then refused',
        params: IdParams,
        body: VialScanBody,
      },
    },
    async (request, reply) =>
      reply.status(201).send(await compounding.scanVial(d, request.ctx(), request.params.id, request.body)),
  );

  api.post(
    `${prep}/weighings`,
    {
      config: { access: { permission: 'compounding:run' } },
      schema: {
        tags,
        summary: 'Record a weighing (typed or read from the balance); out of tolerance is recorded, then refused',
        params: IdParams,
        body: WeighingBody,
      },
    },
    async (request, reply) =>
      reply.status(201).send(await compounding.recordWeighing(d, request.ctx(), request.params.id, request.body)),
  );

  api.post(
    `${prep}/complete`,
    {
      config: { access: { permission: 'compounding:run' } },
      schema: {
        tags,
        summary: 'Compounding complete: every vial scanned and every weighing accepted',
        params: IdParams,
        body: CompleteCompoundingBody,
      },
    },
    async (request) => compounding.completeCompounding(d, request.ctx(), request.params.id),
  );

  api.post(
    `${prep}/check`,
    {
      config: { access: { permission: 'compounding:check' } },
      schema: {
        tags,
        summary: 'Second-person check (another person than the operator, or a pharmacist)',
        params: IdParams,
        body: SecondCheckBody,
      },
    },
    async (request) => compounding.recordSecondCheck(d, request.ctx(), request.params.id, request.body),
  );

  api.post(
    `${prep}/labels`,
    {
      config: { access: { permission: 'compounding:run' } },
      schema: {
        tags,
        summary: 'Print the label: PDF or ZPL II, with a DataMatrix of the preparation id (recorded)',
        params: IdParams,
        body: LabelBody,
      },
    },
    async (request, reply) => {
      const label = await compounding.printLabel(d, request.ctx(), request.params.id, request.body);
      return reply
        .type(label.contentType)
        .header('content-disposition', `inline; filename="${label.filename}"`)
        .send(label.body);
    },
  );

  api.post(
    `${prep}/release`,
    {
      config: { access: { permission: 'preparation:release' } },
      schema: {
        tags,
        summary: 'Pharmaceutical release (pharmacist); refused until the second check is recorded',
        params: IdParams,
        body: ReleaseBody,
      },
    },
    async (request) => compounding.releasePreparation(d, request.ctx(), request.params.id),
  );

  api.post(
    `${base}/dispatches`,
    {
      config: { access: { permission: 'preparation:dispatch' } },
      schema: {
        tags,
        summary: 'Dispatch released preparations with one delivery note per destination (transport tracked)',
        body: DispatchBody,
      },
    },
    async (request, reply) =>
      reply.status(201).send(await dispatch.dispatchPreparations(d, request.ctx(), request.body)),
  );

  api.get(
    `${base}/delivery-notes/:id`,
    {
      config: { access: { permission: 'prescription:read' } },
      schema: { tags, summary: 'A delivery note and its preparations', params: IdParams },
    },
    async (request) => dispatch.getDeliveryNote(d, request.ctx(), request.params.id),
  );

  api.get(
    `${base}/incoming`,
    {
      config: { access: { permission: 'preparation:receive' } },
      schema: {
        tags,
        summary: 'What is on its way to the acting establishment’s units, and what they hold not yet administered',
      },
    },
    async (request) => dispatch.listIncoming(d, request.ctx()),
  );

  api.post(
    `${base}/receptions`,
    {
      config: { access: { permission: 'preparation:receive' } },
      schema: {
        tags,
        summary: 'Reception by the unit: the scanned label DataMatrix of a dispatched preparation',
        body: ReceptionBody,
      },
    },
    async (request) => dispatch.receivePreparation(d, request.ctx(), request.body),
  );

  api.post(
    `${prep}/administer`,
    {
      config: { access: { permission: 'preparation:administer' } },
      schema: {
        tags,
        summary: 'Administration confirmed by the nurse, at the destination unit only',
        params: IdParams,
        body: AdministrationBody,
      },
    },
    async (request) => dispatch.administerPreparation(d, request.ctx(), request.params.id, request.body),
  );

  api.post(
    `${prep}/disposal`,
    {
      config: { access: { permission: 'compounding:run' } },
      schema: {
        tags,
        summary: 'Return to the pharmacy or destruction, with the reason (its drug cost is recorded)',
        params: IdParams,
        body: DisposalBody,
      },
    },
    async (request) => dispatch.disposePreparation(d, request.ctx(), request.params.id, request.body),
  );

  const traceTags = ['pharmacy: traceability'];

  api.get(
    '/pharmacy/traceability/lots',
    {
      config: { access: { permission: 'traceability:read' } },
      schema: {
        tags: traceTags,
        summary: 'Lot recall: every preparation, patient and destination that received the lot (CSV with format=csv)',
        querystring: RecallQuery.extend(CsvQuery.shape),
      },
    },
    async (request, reply) => {
      const { format, ...query } = request.query;
      const recall = await trace.recallLot(d, request.ctx(), query);
      if (format !== 'csv') return recall;
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="rappel-lot-${encodeURIComponent(query.lot)}.csv"`)
        .send(trace.recallCsv(recall));
    },
  );

  api.get(
    '/pharmacy/traceability/patients/:id',
    {
      config: { access: { permission: 'traceability:read' } },
      schema: {
        tags: traceTags,
        summary: 'Patient history: every preparation with the lots it received (CSV with format=csv)',
        params: IdParams,
        querystring: CsvQuery,
      },
    },
    async (request, reply) => {
      const history = await trace.patientHistory(d, request.ctx(), request.params.id);
      if (request.query.format !== 'csv') return history;
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="historique-${request.params.id}.csv"`)
        .send(trace.patientHistoryCsv(history));
    },
  );

  api.get(
    '/pharmacy/activity',
    {
      config: { access: { permission: 'activity:read' } },
      schema: {
        tags: ['pharmacy: activity'],
        summary: 'Preparations and drug cost per month, pharmacy and client establishment (CSV with format=csv)',
        querystring: ActivityQuery.extend(CsvQuery.shape),
      },
    },
    async (request, reply) => {
      const { format, ...query } = request.query;
      const activity = await trace.getActivity(d, request.ctx(), query);
      if (format !== 'csv') return activity;
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="activite-${query.from}-${query.to}.csv"`)
        .send(trace.activityCsv(activity));
    },
  );
}
