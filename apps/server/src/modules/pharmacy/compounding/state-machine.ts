import type { PreparationStatusValue } from '@passerelle/contracts';

/*
 * The preparation's life from production on, as one explicit table. Every move the compounding services make is
 * an action here; anything not in the table is refused with PREPARATION_INVALID_TRANSITION (and the refused
 * attempt is audited). Guards that depend on recorded facts (scans, weighings, the check) are the services'.
 *
 *   ready_to_compound ─start─▶ in_compounding ─complete─▶ compounded ─release (checked)─▶ released
 *   (anticipated ─start─▶ in_compounding: anticipated preparation before the green light, REFERENCE §2.4)
 *   released ─dispatch─▶ dispatched ─receive─▶ received ─administer─▶ administered
 *   compounded │ released │ dispatched │ received ─return─▶ returned, ─destroy─▶ destroyed
 *   in_compounding ─destroy─▶ destroyed (a preparation spoilt in the isolator)
 */

export type PreparationAction =
  'start' | 'complete' | 'release' | 'dispatch' | 'receive' | 'administer' | 'return' | 'destroy';

type Status = PreparationStatusValue;

export const TRANSITIONS: Readonly<Record<PreparationAction, { from: readonly Status[]; to: Status }>> = {
  start: { from: ['ready_to_compound', 'anticipated'], to: 'in_compounding' },
  complete: { from: ['in_compounding'], to: 'compounded' },
  release: { from: ['compounded'], to: 'released' },
  dispatch: { from: ['released'], to: 'dispatched' },
  receive: { from: ['dispatched'], to: 'received' },
  administer: { from: ['received'], to: 'administered' },
  return: { from: ['compounded', 'released', 'dispatched', 'received'], to: 'returned' },
  destroy: {
    from: ['in_compounding', 'compounded', 'released', 'dispatched', 'received', 'returned'],
    to: 'destroyed',
  },
};

/** Statuses in which compounding steps (scans, weighings) may be recorded. */
export const COMPOUNDING_OPEN: readonly Status[] = ['in_compounding'];
/** Statuses in which a label may be printed: compounding is complete and the preparation still exists. */
export const LABEL_PRINTABLE: readonly Status[] = ['compounded', 'released', 'dispatched', 'received'];
/** Statuses in which the second-person check may be recorded. */
export const CHECKABLE: readonly Status[] = ['compounded'];
/** Statuses that count for the production board (the day's work of the pharmacy). */
export const BOARD_STATUSES: readonly Status[] = [
  'anticipated',
  'ready_to_compound',
  'in_compounding',
  'compounded',
  'released',
  'dispatched',
  'received',
  'administered',
  'returned',
  'destroyed',
];

/** The status `action` leads to from `from`, or null when the table has no such move. */
export function nextStatus(from: Status, action: PreparationAction): Status | null {
  const rule = TRANSITIONS[action];
  return rule.from.includes(from) ? rule.to : null;
}

/**
 * "Late" on the board: the delay from the green light to delivery on the ward is the unit's KPI (REFERENCE §2.4).
 * A preparation is late when its administration day has passed and it has not left the pharmacy, or when it
 * has waited more than {@link LATE_AFTER_MINUTES} since it was released to production and is still not released.
 */
export const LATE_AFTER_MINUTES = 120;

const NOT_YET_RELEASED: readonly Status[] = ['anticipated', 'ready_to_compound', 'in_compounding', 'compounded'];
const NOT_YET_SENT: readonly Status[] = [...NOT_YET_RELEASED, 'released'];

export function isLate(
  p: { status: Status; administrationDate: string; releasedToProductionAt: Date | null },
  today: string,
  now: Date,
): boolean {
  if (p.administrationDate < today) return NOT_YET_SENT.includes(p.status);
  if (!NOT_YET_RELEASED.includes(p.status) || p.status === 'anticipated' || !p.releasedToProductionAt) return false;
  return now.getTime() - p.releasedToProductionAt.getTime() > LATE_AFTER_MINUTES * 60_000;
}
