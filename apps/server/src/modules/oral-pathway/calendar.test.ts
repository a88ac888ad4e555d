import { describe, expect, it } from 'vitest';
import {
  addDays,
  calendarMonths,
  computeIntakeCalendar,
  countIntakes,
  daysBetween,
  planFollowUpCalls,
} from './calendar.ts';
import { DEFAULT_FOLLOW_UP, findPattern, SCHEDULE_PATTERNS, type SchedulePattern } from './drugs.ts';

const pattern = (code: string): SchedulePattern => findPattern(code)!;

describe('date arithmetic', () => {
  it('crosses month ends, leap days and year ends', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    // Paris changes to summer time on 2026-03-29: a date never shifts.
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30');
    expect(daysBetween('2026-02-20', '2026-03-06')).toBe(14);
  });

  it('refuses dates that do not exist', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow(RangeError);
    expect(() => addDays('2026-13-01', 1)).toThrow(RangeError);
  });
});

describe('intake calendar, every schedule pattern', () => {
  it('days 1–14 of 21, twice daily: 14 days of morning and evening, a 7-day rest, next cycle on day 22', () => {
    const cal = computeIntakeCalendar({
      startDate: '2026-01-26',
      pattern: pattern('d1_14_q21_twice_daily'),
      cycles: 2,
      food: 'with_food',
      doseMg: 1500,
    });
    expect(cal.days).toHaveLength(42);
    const c1 = cal.days.filter((d) => d.cycle === 1);
    expect(c1.filter((d) => !d.rest)).toHaveLength(14);
    expect(c1[0]).toEqual({ date: '2026-01-26', cycle: 1, cycleDay: 1, intakes: ['morning', 'evening'], rest: false });
    // Day 14 falls on 8 February (crossing the end of January), rest from 9 to 15 February.
    expect(c1[13]).toMatchObject({ date: '2026-02-08', cycleDay: 14, rest: false });
    expect(c1[14]).toMatchObject({ date: '2026-02-09', cycleDay: 15, rest: true, intakes: [] });
    expect(c1[20]).toMatchObject({ date: '2026-02-15', cycleDay: 21, rest: true });
    expect(cal.days[21]).toMatchObject({ date: '2026-02-16', cycle: 2, cycleDay: 1, rest: false });
    expect(countIntakes(cal)).toBe(2 * 14 * 2);
  });

  it('days 1–21 of 28 across a leap February: rest week in March, cycle 2 on 21 March 2028', () => {
    const cal = computeIntakeCalendar({
      startDate: '2028-02-22',
      pattern: pattern('d1_21_q28_once_daily'),
      cycles: 2,
      food: 'with_or_without_food',
      doseMg: 125,
    });
    expect(cal.days.find((d) => d.date === '2028-02-29')).toMatchObject({ cycleDay: 8, intakes: ['morning'] });
    expect(cal.days[20]).toMatchObject({ date: '2028-03-13', cycleDay: 21, rest: false });
    expect(cal.days.slice(21, 28).every((d) => d.rest && d.intakes.length === 0)).toBe(true);
    expect(cal.days[28]).toMatchObject({ date: '2028-03-21', cycle: 2, cycleDay: 1 });
    expect(countIntakes(cal)).toBe(42);
  });

  it('days 1–5 of 28, evening: five intakes then 23 days of rest, across the year end', () => {
    const cal = computeIntakeCalendar({
      startDate: '2026-12-29',
      pattern: pattern('d1_5_q28_once_daily'),
      cycles: 1,
      food: 'fasting',
      doseMg: 300,
    });
    expect(cal.days.filter((d) => !d.rest).map((d) => d.date)).toEqual([
      '2026-12-29',
      '2026-12-30',
      '2026-12-31',
      '2027-01-01',
      '2027-01-02',
    ]);
    expect(cal.days.filter((d) => !d.rest).every((d) => d.intakes.join() === 'evening')).toBe(true);
    expect(cal.days.filter((d) => d.rest)).toHaveLength(23);
    expect(calendarMonths(cal).map((m) => [m.month, m.days.length])).toEqual([
      ['2026-12', 3],
      ['2027-01', 25],
    ]);
  });

  it('continuous once and twice daily: no rest day, counted in 28-day periods', () => {
    for (const [code, perDay] of [
      ['continuous_once_daily', 1],
      ['continuous_twice_daily', 2],
    ] as const) {
      const cal = computeIntakeCalendar({
        startDate: '2026-10-20',
        pattern: pattern(code),
        cycles: 2,
        food: 'with_food',
        doseMg: 400,
      });
      expect(cal.days).toHaveLength(56);
      expect(cal.days.some((d) => d.rest)).toBe(false);
      expect(countIntakes(cal)).toBe(56 * perDay);
      expect(cal.days[28]).toMatchObject({ cycle: 2, cycleDay: 1, date: '2026-11-17' });
    }
  });

  it('covers every pattern the referential ships', () => {
    for (const p of SCHEDULE_PATTERNS) {
      const cal = computeIntakeCalendar({ startDate: '2026-01-01', pattern: p, cycles: 1, food: 'fasting', doseMg: 1 });
      expect(cal.days.length, p.code).toBe(p.cycleDays ?? 28);
      expect(cal.days.filter((d) => !d.rest).length, p.code).toBe(p.onDays ?? 28);
    }
  });

  it('refuses a calendar of no cycle or a start date that does not exist', () => {
    const p = pattern('continuous_once_daily');
    expect(() =>
      computeIntakeCalendar({ startDate: '2026-01-01', pattern: p, cycles: 0, food: 'fasting', doseMg: 1 }),
    ).toThrow();
    expect(() =>
      computeIntakeCalendar({ startDate: '2026-02-29', pattern: p, cycles: 1, food: 'fasting', doseMg: 1 }),
    ).toThrow();
  });
});

describe('follow-up calls', () => {
  it('day 8 and day 15 of cycle 1, then day 1 of each following cycle', () => {
    const calls = planFollowUpCalls({
      startDate: '2026-01-26',
      pattern: pattern('d1_14_q21_twice_daily'),
      cycles: 3,
      schedule: DEFAULT_FOLLOW_UP,
    });
    expect(calls).toEqual([
      { dueDate: '2026-02-02', cycle: 1, cycleDay: 8, label: 'C1 J8' },
      { dueDate: '2026-02-09', cycle: 1, cycleDay: 15, label: 'C1 J15' },
      { dueDate: '2026-02-16', cycle: 2, cycleDay: 1, label: 'C2 J1' },
      { dueDate: '2026-03-09', cycle: 3, cycleDay: 1, label: 'C3 J1' },
    ]);
  });

  it('drops first-cycle days beyond the cycle and keeps dates unique', () => {
    const calls = planFollowUpCalls({
      startDate: '2026-01-01',
      pattern: pattern('d1_14_q21_twice_daily'),
      cycles: 2,
      schedule: { firstCycleDays: [8, 8, 30], eachCycleDay: 1 },
    });
    expect(calls.map((c) => c.label)).toEqual(['C1 J8', 'C2 J1']);
  });
});
