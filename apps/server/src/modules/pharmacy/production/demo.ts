import type { Tx } from '../../../core/db/index.ts';
import { parisDate } from '../../../core/clock.ts';
import type { IdGenerator } from '../../../core/ids.ts';
import { instantOf } from './production.presenter.ts';
import { DEFAULT_PLANNER_SETTINGS } from './problem.ts';
import * as repo from './production.repository.ts';

/**
 * The demo's production day: the planner's settings, today's technicians on shift (staggered, as a unit
 * open 8 h with two teams), and a chair time for each of today's patients (every 15 minutes from 08:30,
 * the morning peak of a day hospital). Runs after the compounding demo has made today's preparations.
 */
export async function seedProductionDemoForSystem(
  trx: Tx,
  input: { cooperationId: string; now: Date; ids: IdGenerator },
): Promise<{ shifts: number; appointments: number }> {
  const pharmacy = await repo.findPharmacyEstablishment(trx, input.cooperationId);
  if (!pharmacy) return { shifts: 0, appointments: 0 };
  const day = parisDate(input.now);
  await repo.saveSettings(trx, input.cooperationId, DEFAULT_PLANNER_SETTINGS, null, input.now);

  const people = (await repo.listPostableUsers(trx, input.cooperationId, pharmacy))
    .filter((u) => u.role === 'pharmacy_technician')
    .sort((a, b) => a.id.localeCompare(b.id));
  const teams = [
    { startMin: 480, endMin: 930 }, // 08:00–15:30
    { startMin: 570, endMin: 1020 }, // 09:30–17:00
  ];
  const creator = people[0]?.id;
  if (creator) {
    await repo.replaceShifts(trx, {
      cooperationId: input.cooperationId,
      establishmentId: pharmacy,
      day,
      shifts: people.map((p, k) => ({ id: input.ids.uuid(), userId: p.id, ...teams[k % teams.length]! })),
      createdBy: creator,
      now: input.now,
    });
  }

  const prescriptions = await trx
    .selectFrom('preparations as p')
    .innerJoin('prescriptions as rx', 'rx.id', 'p.prescription_id')
    .select('p.prescription_id')
    .distinct()
    .where('p.cooperation_id', '=', input.cooperationId)
    .where('rx.pharmacy_establishment_id', '=', pharmacy)
    .where('p.administration_date', '=', day)
    .where('p.scheduled_at', 'is', null)
    .orderBy('p.prescription_id')
    .execute();
  let appointments = 0;
  for (const [k, rx] of prescriptions.entries()) {
    const minutes = Math.min(510 + 15 * k, 960);
    const result = await trx
      .updateTable('preparations')
      .set({ scheduled_at: new Date(instantOf(day, minutes)) })
      .where('prescription_id', '=', rx.prescription_id)
      .where('administration_date', '=', day)
      .executeTakeFirst();
    appointments += Number(result.numUpdatedRows);
  }
  return { shifts: people.length, appointments };
}
