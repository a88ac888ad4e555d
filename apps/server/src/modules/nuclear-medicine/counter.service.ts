import type { NmCounterCell, NmCounterDto, NmCounterMonthDto, NmEquipmentType } from '@passerelle/contracts';
import { NM_EQUIPMENT_TYPES } from '@passerelle/contracts';
import type { RequestContext } from '../../core/context.ts';
import { notFound } from '../../core/errors.ts';
import { monthBounds, monthsFrom } from './calendar.ts';
import { invalid, type NmDeps } from './department.service.ts';
import * as present from './nm.presenter.ts';
import * as repo from './nm.repository.ts';
import { agreementFor } from './shares.ts';

const MAX_MONTHS = 36;
const GROUPS = [...NM_EQUIPMENT_TYPES, 'all'] as const;
type Group = (typeof GROUPS)[number];
const empty = (): NmCounterCell => ({ sessions: 0, acts: 0, valueEur: 0 });

/**
 * The activity counter: per month, equipment type and sector, the sessions, acts and their value, and the
 * running deviation of sessions from the agreed share since `from` (sessions owed to the sector; negative when
 * it is ahead). Each month's sessions are weighed with the share in force that month, so a new agreement
 * changes the target from its date on, not retroactively.
 */
export async function getCounter(deps: NmDeps, ctx: RequestContext, from: string, to: string): Promise<NmCounterDto> {
  if (to < from) throw invalid('query.to', 'The end is before the start');
  const months = monthsFrom(from, to);
  if (months.length > MAX_MONTHS) throw invalid('query.to', `At most ${MAX_MONTHS} months`);
  const coop = ctx.actor.cooperationId;
  const first = monthBounds(from).first;
  const last = monthBounds(to).last;
  const [sectors, agreementRows, sessions, acts] = await Promise.all([
    repo.listSectors(deps.db, coop),
    repo.listAgreements(deps.db, coop),
    repo.sessionCounts(deps.db, coop, first, last),
    repo.actTotals(deps.db, coop, first, last),
  ]);
  const sectorIds = sectors.map((s) => s.id);
  const agreements = agreementRows.map((a) => ({
    equipmentType: a.equipment_type,
    validFrom: a.valid_from,
    shares: a.shares,
  }));
  const shareOf = (group: Group, date: string) => {
    const a = agreementFor(agreements, group === 'all' ? null : (group as NmEquipmentType), date, sectorIds);
    return Object.fromEntries(sectorIds.map((id) => [id, a.shares.find((s) => s.sectorId === id)?.share ?? 0]));
  };

  const cumulative: Record<string, Record<string, number>> = Object.fromEntries(
    GROUPS.map((g) => [g, Object.fromEntries(sectorIds.map((id) => [id, 0]))]),
  );
  const out: NmCounterMonthDto[] = [];
  for (const month of months) {
    const bySector: Record<string, Record<string, NmCounterCell>> = Object.fromEntries(
      GROUPS.map((g) => [g, Object.fromEntries(sectorIds.map((id) => [id, empty()]))]),
    );
    const cell = (g: Group, sectorId: string) => (bySector[g]![sectorId] ??= empty());
    for (const s of sessions.filter((x) => x.month === month)) {
      cell(s.type, s.sector_id).sessions += Number(s.n);
      cell('all', s.sector_id).sessions += Number(s.n);
    }
    for (const a of acts.filter((x) => x.month === month)) {
      for (const g of [a.equipment_type, 'all'] as const) {
        cell(g, a.sector_id).acts += Number(a.n);
        cell(g, a.sector_id).valueEur += Number(a.value);
      }
    }
    const monthStart = monthBounds(month).first;
    for (const g of GROUPS) {
      const total = Object.values(bySector[g]!).reduce((s, c) => s + c.sessions, 0);
      const shares = shareOf(g, monthStart);
      for (const id of sectorIds) {
        cumulative[g]![id] = (cumulative[g]![id] ?? 0) + shares[id]! * total - bySector[g]![id]!.sessions;
      }
    }
    for (const g of GROUPS) {
      for (const c of Object.values(bySector[g]!)) c.valueEur = Math.round(c.valueEur * 100) / 100;
    }
    out.push({
      month,
      bySector,
      cumulativeDeviation: Object.fromEntries(
        GROUPS.map((g) => [
          g,
          Object.fromEntries(sectorIds.map((id) => [id, Math.round(cumulative[g]![id]! * 100) / 100])),
        ]),
      ),
    });
  }
  const physicians = new Map<
    string,
    { physicianId: string; sectorId: string; sessions: number; acts: number; valueEur: number }
  >();
  const physician = (id: string, sectorId: string) => {
    let p = physicians.get(id);
    if (!p) physicians.set(id, (p = { physicianId: id, sectorId, sessions: 0, acts: 0, valueEur: 0 }));
    return p;
  };
  for (const s of sessions) physician(s.physician_id, s.sector_id).sessions += Number(s.n);
  for (const a of acts) {
    const p = physician(a.physician_id, a.sector_id);
    p.acts += Number(a.n);
    p.valueEur = Math.round((p.valueEur + Number(a.value)) * 100) / 100;
  }
  return {
    from,
    to,
    sectors: sectors.map(present.presentSector),
    shares: Object.fromEntries(GROUPS.map((g) => [g, shareOf(g, monthBounds(to).first)])),
    months: out,
    physicians: [...physicians.values()],
  };
}

const csvCell = (v: string | number) => {
  const s = String(v);
  // Formula injection: a spreadsheet must never evaluate a cell.
  const safe = /^[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
  return /[";\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

/**
 * The sector's month as CSV (semicolon-separated, as French spreadsheets expect): one line per session with
 * its acts and their value, then a total line.
 */
export async function exportSectorMonth(
  deps: NmDeps,
  ctx: RequestContext,
  month: string,
  sectorId: string,
): Promise<{ filename: string; csv: string }> {
  const coop = ctx.actor.cooperationId;
  const sector = await repo.findSector(deps.db, coop, sectorId);
  if (!sector) throw notFound('Sector');
  const { first, last } = monthBounds(month);
  const rows = await repo.sectorMonth(deps.db, coop, sectorId, first, last);
  const lines = [['date', 'half_day', 'equipment', 'equipment_type', 'physician', 'acts', 'value_eur', 'ccam_codes']];
  let acts = 0;
  let value = 0;
  for (const r of rows) {
    acts += Number(r.acts);
    value += Number(r.value);
    lines.push([
      r.session_date,
      r.half_day,
      r.equipment_code,
      r.equipment_type,
      r.physician,
      String(Number(r.acts)),
      Number(r.value).toFixed(2),
      r.ccam_codes,
    ]);
  }
  lines.push(['total', '', '', '', '', String(acts), value.toFixed(2), `${rows.length} sessions`]);
  const csv = lines.map((l) => l.map(csvCell).join(';')).join('\r\n') + '\r\n';
  return { filename: `counter-${sector.code}-${month}.csv`, csv };
}
