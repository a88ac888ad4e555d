import { describe, expect, it } from 'vitest';
import { parisDate } from './clock.ts';

describe('parisDate', () => {
  it('turns at midnight in Paris, in winter (UTC+1) and in summer (UTC+2)', () => {
    expect(parisDate(new Date('2026-01-15T22:59:59.999Z'))).toBe('2026-01-15');
    expect(parisDate(new Date('2026-01-15T23:00:00.000Z'))).toBe('2026-01-16');
    expect(parisDate(new Date('2026-07-14T21:59:59.999Z'))).toBe('2026-07-14');
    expect(parisDate(new Date('2026-07-14T22:00:00.000Z'))).toBe('2026-07-15');
  });

  it('is right across the changes of time and when calls go back and forth', () => {
    // 29 March 2026, 02:00 CET becomes 03:00 CEST; 25 October 2026, 03:00 CEST becomes 02:00 CET.
    const cases: [string, string][] = [
      ['2026-03-28T23:00:00Z', '2026-03-29'],
      ['2026-03-28T22:59:00Z', '2026-03-28'],
      ['2026-03-29T21:59:30Z', '2026-03-29'],
      ['2026-03-29T22:00:00Z', '2026-03-30'],
      ['2026-10-24T21:59:59Z', '2026-10-24'],
      ['2026-10-24T22:00:00Z', '2026-10-25'],
      ['2026-10-25T22:59:59Z', '2026-10-25'],
      ['2026-10-25T23:00:00Z', '2026-10-26'],
    ];
    for (let round = 0; round < 2; round++) {
      for (const [at, date] of cases) expect(parisDate(new Date(at))).toBe(date);
    }
  });
});
