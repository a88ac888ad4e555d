/** Injected time source, so tests can move time (lockouts, session expiry, TOTP windows). */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/** A clock the tests move by hand. */
export class ManualClock implements Clock {
  #t: number;
  constructor(start: Date | string = '2026-11-23T09:00:00Z') {
    this.#t = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.#t);
  }
  advance(ms: number): void {
    this.#t += ms;
  }
  set(at: Date | string): void {
    this.#t = new Date(at).getTime();
  }
}

// Building an Intl formatter costs far more than using one: this runs on every patient read.
const PARIS_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' });

let lastMinute = NaN;
let lastDate = '';

/** Local calendar date (Europe/Paris) as YYYY-MM-DD, for care-relationship periods. */
export function parisDate(at: Date): string {
  // Paris is a whole number of hours from UTC, so the date is the same throughout a UTC minute: format once a
  // minute, not on every read.
  const minute = Math.floor(at.getTime() / 60_000);
  if (minute !== lastMinute) {
    lastDate = PARIS_DATE.format(at);
    lastMinute = minute;
  }
  return lastDate;
}
