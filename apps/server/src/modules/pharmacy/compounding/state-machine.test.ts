import { PREPARATION_STATUS_VALUES } from '@passerelle/contracts';
import { describe, expect, it } from 'vitest';
import { isLate, LATE_AFTER_MINUTES, nextStatus, TRANSITIONS, type PreparationAction } from './state-machine.ts';

const ACTIONS = Object.keys(TRANSITIONS) as PreparationAction[];

describe('preparation state machine', () => {
  it('allows exactly the moves of the table', () => {
    const allowed = PREPARATION_STATUS_VALUES.flatMap((from) =>
      ACTIONS.map((action) => [from, action, nextStatus(from, action)] as const),
    ).filter(([, , to]) => to !== null);
    expect(allowed.map(([from, action, to]) => `${from} -${action}-> ${to}`).sort()).toEqual(
      [
        'anticipated -start-> in_compounding',
        'ready_to_compound -start-> in_compounding',
        'in_compounding -complete-> compounded',
        'compounded -release-> released',
        'released -dispatch-> dispatched',
        'dispatched -receive-> received',
        'received -administer-> administered',
        'compounded -return-> returned',
        'released -return-> returned',
        'dispatched -return-> returned',
        'received -return-> returned',
        'in_compounding -destroy-> destroyed',
        'compounded -destroy-> destroyed',
        'released -destroy-> destroyed',
        'dispatched -destroy-> destroyed',
        'received -destroy-> destroyed',
        'returned -destroy-> destroyed',
      ].sort(),
    );
  });

  it('never moves a preparation before validation or the green light, nor after administration', () => {
    for (const from of [
      'awaiting_validation',
      'awaiting_green_light',
      'administered',
      'destroyed',
      'cancelled',
    ] as const) {
      const moves = ACTIONS.filter((a) => nextStatus(from, a) !== null);
      expect(moves, from).toEqual([]);
    }
  });
});

describe('late flag', () => {
  const now = new Date('2026-11-23T10:00:00Z');
  const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000);

  it('flags a preparation waiting more than the limit after its green light, not one at the limit', () => {
    const base = { administrationDate: '2026-11-23', status: 'ready_to_compound' as const };
    expect(isLate({ ...base, releasedToProductionAt: at(LATE_AFTER_MINUTES) }, '2026-11-23', now)).toBe(false);
    expect(isLate({ ...base, releasedToProductionAt: at(LATE_AFTER_MINUTES + 1) }, '2026-11-23', now)).toBe(true);
    expect(isLate({ ...base, status: 'released', releasedToProductionAt: at(500) }, '2026-11-23', now)).toBe(false);
  });

  it('flags what has not left the pharmacy on a past administration day', () => {
    expect(
      isLate({ administrationDate: '2026-11-22', status: 'released', releasedToProductionAt: null }, '2026-11-23', now),
    ).toBe(true);
    expect(
      isLate(
        { administrationDate: '2026-11-22', status: 'dispatched', releasedToProductionAt: null },
        '2026-11-23',
        now,
      ),
    ).toBe(false);
  });
});
