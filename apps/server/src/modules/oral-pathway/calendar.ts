import {
  CONTINUOUS_PERIOD_DAYS,
  type FollowUpSchedule,
  type FoodInstruction,
  type IntakeMoment,
  type SchedulePattern,
} from './drugs.ts';

/**
 * The patient's intake calendar and the nurse coordinator's call dates, computed from the schedule. Pure:
 * calendar dates only (YYYY-MM-DD, computed in UTC so that no time zone or DST change can shift a day).
 */

export interface CalendarDay {
  date: string;
  /** 1-based cycle (or 28-day period for a continuous schedule). */
  cycle: number;
  /** 1-based day within the cycle. */
  cycleDay: number;
  /** Empty on a rest day. */
  intakes: IntakeMoment[];
  rest: boolean;
}

export interface IntakeCalendar {
  days: CalendarDay[];
  food: FoodInstruction;
  /** Dose of each intake, in mg. */
  doseMg: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses YYYY-MM-DD strictly (2026-02-30 is refused, not rolled over to March). */
export function parseIsoDate(value: string): number {
  const m = ISO_DATE.exec(value);
  if (!m) throw new RangeError(`Not a calendar date: ${value}`);
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(t).toISOString().slice(0, 10) !== value) throw new RangeError(`Not a calendar date: ${value}`);
  return t;
}

const DAY_MS = 86_400_000;

export function addDays(date: string, days: number): string {
  return new Date(parseIsoDate(date) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((parseIsoDate(to) - parseIsoDate(from)) / DAY_MS);
}

/** Cycle length used for counting: the pattern's cycle, or 28-day periods when continuous. */
export function cycleLength(pattern: SchedulePattern): number {
  return pattern.cycleDays ?? CONTINUOUS_PERIOD_DAYS;
}

/**
 * The day-by-day calendar of `cycles` cycles from `startDate` (day 1 of cycle 1). Treatment days carry the
 * pattern's intakes; the days after `onDays` up to the end of the cycle are rest days.
 */
export function computeIntakeCalendar(input: {
  startDate: string;
  pattern: SchedulePattern;
  cycles: number;
  food: FoodInstruction;
  doseMg: number;
}): IntakeCalendar {
  const { pattern } = input;
  if (!Number.isInteger(input.cycles) || input.cycles < 1 || input.cycles > 24) {
    throw new RangeError('cycles must be an integer between 1 and 24');
  }
  parseIsoDate(input.startDate);
  const length = cycleLength(pattern);
  const onDays = pattern.onDays ?? length;
  const days: CalendarDay[] = [];
  for (let cycle = 1; cycle <= input.cycles; cycle++) {
    for (let cycleDay = 1; cycleDay <= length; cycleDay++) {
      const rest = cycleDay > onDays;
      days.push({
        date: addDays(input.startDate, (cycle - 1) * length + cycleDay - 1),
        cycle,
        cycleDay,
        intakes: rest ? [] : [...pattern.intakes],
        rest,
      });
    }
  }
  return { days, food: input.food, doseMg: input.doseMg };
}

/** Number of intakes (morning + evening) over the calendar: what the pharmacist dispenses for. */
export function countIntakes(calendar: IntakeCalendar): number {
  return calendar.days.reduce((n, d) => n + d.intakes.length, 0);
}

/** The calendar grouped by calendar month (YYYY-MM), in order, for a page per month in the documents. */
export function calendarMonths(calendar: IntakeCalendar): { month: string; days: CalendarDay[] }[] {
  const months: { month: string; days: CalendarDay[] }[] = [];
  for (const day of calendar.days) {
    const month = day.date.slice(0, 7);
    const last = months[months.length - 1];
    if (last && last.month === month) last.days.push(day);
    else months.push({ month, days: [day] });
  }
  return months;
}

export interface PlannedCall {
  dueDate: string;
  cycle: number;
  cycleDay: number;
  /** e.g. "C1 J8". */
  label: string;
}

/**
 * The follow-up calls: the first cycle's days, then `eachCycleDay` of every following cycle up to
 * `cycles`. Duplicates (a first-cycle day beyond the cycle's length) are dropped; dates are in order.
 */
export function planFollowUpCalls(input: {
  startDate: string;
  pattern: SchedulePattern;
  cycles: number;
  schedule: FollowUpSchedule;
}): PlannedCall[] {
  const length = cycleLength(input.pattern);
  const calls: PlannedCall[] = [];
  const seen = new Set<string>();
  const push = (cycle: number, cycleDay: number) => {
    const dueDate = addDays(input.startDate, (cycle - 1) * length + cycleDay - 1);
    if (seen.has(dueDate)) return;
    seen.add(dueDate);
    calls.push({ dueDate, cycle, cycleDay, label: `C${cycle} J${cycleDay}` });
  };
  for (const day of input.schedule.firstCycleDays) if (day >= 1 && day <= length) push(1, day);
  for (let cycle = 2; cycle <= input.cycles; cycle++) push(cycle, input.schedule.eachCycleDay);
  return calls.sort((a, b) => a.dueDate.localeCompare(b.dueDate));
}
