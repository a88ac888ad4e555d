import type { AnticipationProposalDto, PlannedItemDto, ProductionPlanDto } from '@passerelle/contracts';
import type { Plan } from '../../planner/index.ts';
import type { CompiledProblem, IsolatorRow } from './problem.ts';
import type { PreparationListing } from './production.repository.ts';
import type { AnticipationProposalTable } from '../../../core/db/schema-planner.ts';
import type { Selectable } from 'kysely';

const PARIS_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Paris',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** Paris minutes of `day` → ISO instant (the offset of that day in Paris, DST included). */
export function instantOf(day: string, minutes: number): string {
  const utcGuess = Date.parse(`${day}T00:00:00Z`) + minutes * 60_000;
  // Paris is UTC+1 or UTC+2: find the offset that maps back to the same wall-clock minute.
  for (const offsetH of [1, 2]) {
    const candidate = new Date(utcGuess - offsetH * 3_600_000);
    const wall = PARIS_TIME.format(candidate);
    const [h, m] = wall.split(':').map(Number);
    if ((h! * 60 + m!) % 1440 === ((minutes % 1440) + 1440) % 1440) return candidate.toISOString();
  }
  return new Date(utcGuess - 3_600_000).toISOString();
}

interface Loaded {
  compiled: CompiledProblem;
  listing: PreparationListing[];
  isolators: IsolatorRow[];
}

export function presentPlan(day: string, now: Date, plan: Plan, loaded: Loaded): ProductionPlanDto {
  const byId = new Map(loaded.listing.map((l) => [l.id, l]));
  const problemById = new Map(loaded.compiled.problem.preparations.map((p) => [p.id, p]));
  const planned = new Map(plan.preparations.map((p) => [p.id, p]));

  const item = (id: string): PlannedItemDto | null => {
    const row = byId.get(id);
    const p = planned.get(id);
    const prep = problemById.get(id);
    if (!row || !p || !prep) return null;
    return {
      preparationId: id,
      patient: { id: row.patientId, name: row.patientName },
      molecule: row.moleculeLabel,
      dose: row.dose,
      doseUnit: row.doseUnit,
      status: row.status,
      establishment: row.establishmentLabel,
      destinationUnit: row.destinationUnitLabel,
      state: p.state,
      position: p.position,
      technicianId: p.technicianId,
      startMin: p.startMin,
      endMin: p.endMin,
      readyMin: p.readyMin,
      dueMin: prep.dueMin,
      startAt: instantOf(day, p.startMin),
      readyAt: instantOf(day, p.readyMin),
      dueAt: instantOf(day, prep.dueMin),
      latenessMin: p.latenessMin,
      waitReason: p.waitReason,
      beforeGreenLight: p.beforeGreenLight,
      greenLight: prep.greenLightConfirmed,
      pinned: row.pin !== null,
    };
  };

  return {
    day,
    computedAt: now.toISOString(),
    nowMin: plan.nowMin,
    method: plan.stats.method,
    computeMs: Math.round(plan.stats.elapsedMs),
    isolators: loaded.isolators.map((iso) => {
      const ip = plan.isolators.find((x) => x.isolatorId === iso.id);
      const ids = [...(ip?.inProgress ? [ip.inProgress] : []), ...(ip?.sequence ?? [])];
      return {
        isolator: { id: iso.id, code: iso.code, label: iso.label, dedicatedFamily: iso.dedicatedFamily },
        items: ids.map(item).filter((x): x is PlannedItemDto => x !== null),
      };
    }),
    unassigned: plan.unassigned.map((u) => ({ preparationId: u.id, reason: u.reason })),
    pinViolations: plan.pinViolations,
    objective: plan.objective,
    assumptions: loaded.compiled.assumptions,
  };
}

export function presentAnticipation(
  row: Selectable<AnticipationProposalTable>,
  listing: PreparationListing[],
): AnticipationProposalDto {
  const byId = new Map(listing.map((l) => [l.id, l]));
  const items = row.items as {
    id: string;
    processingMin: number;
    cancellationProbability: number;
    costEur: number;
    expectedWasteEur: number;
  }[];
  return {
    day: row.for_day,
    createdAt: row.created_at.toISOString(),
    candidates: row.candidates,
    items: items.map((i) => {
      const l = byId.get(i.id);
      return {
        preparationId: i.id,
        patient: l ? { id: l.patientId, name: l.patientName } : null,
        molecule: l?.moleculeLabel ?? null,
        processingMin: i.processingMin,
        cancellationProbability: i.cancellationProbability,
        costEur: Math.round(i.costEur * 100) / 100,
        expectedWasteEur: Math.round(i.expectedWasteEur * 100) / 100,
      };
    }),
    expectedWasteEur: Math.round(Number(row.expected_waste_eur) * 100) / 100,
    weightedTardinessWithout: Number(row.weighted_tardiness_without),
    weightedTardinessWith: Number(row.weighted_tardiness_with),
  };
}
