import { describe, expect, it } from 'vitest';
import { cip13FromGtin, formatGs1, gs1CheckDigit, gtinFromCip13, isValidGtin, parseGs1 } from './gs1.ts';

const GS = '\u001d';
// Demo oxaliplatin 50 mg CIP13 (synthetic, valid check digit) → GTIN-14 `0` + CIP13.
const CIP13 = '3400999000017';
const GTIN = '03400999000017';

function ok(raw: string) {
  const result = parseGs1(raw);
  if (!result.ok) throw new Error(`expected a parse, got ${result.code}: ${result.message}`);
  return result.value;
}

function code(raw: string, options?: { requireGtin?: boolean }) {
  const result = parseGs1(raw, options);
  return result.ok ? 'OK' : result.code;
}

describe('GS1 check digits and French codes', () => {
  it('computes the GS1 modulo-10 check digit (GS1 General Specifications worked example)', () => {
    // GS1's own example: GTIN-13 629104150021 → check digit 3.
    expect(gs1CheckDigit('629104150021')).toBe(3);
    // Domain reference §3.1: CIP7 4949729 → CIP13 3400949497294.
    expect(gs1CheckDigit('340094949729')).toBe(4);
    expect(isValidGtin('3400949497294')).toBe(true);
    expect(isValidGtin('3400949497295')).toBe(false);
  });

  it('builds a French GTIN-14 from a CIP13 and back', () => {
    expect(gtinFromCip13(CIP13)).toBe(GTIN);
    expect(cip13FromGtin(GTIN)).toBe(CIP13);
    expect(cip13FromGtin('05012345678900')).toBeNull();
    expect(() => gtinFromCip13('3400999000018')).toThrow();
  });
});

describe('parseGs1: real-world-shaped scans', () => {
  it('reads the FMD order 01-17-10-21 with GS after the lot, as a DataMatrix scanner sends it', () => {
    const v = ok(`]d201${GTIN}17271231` + `10AB1234${GS}21SN0001X9Z`);
    expect(v).toMatchObject({ gtin: GTIN, cip13: CIP13, expiry: '2027-12-31', lot: 'AB1234', serial: 'SN0001X9Z' });
    expect(v.elements.map((e) => e.ai)).toEqual(['01', '17', '10', '21']);
  });

  it('reads the same code without the symbology identifier', () => {
    expect(ok(`01${GTIN}1727123110AB1234${GS}21SN0001X9Z`).lot).toBe('AB1234');
  });

  it('reads the lot last (01-21-17-10): the serial ends at GS, the lot at the end of the data', () => {
    const v = ok(`]d201${GTIN}21987654321ABC${GS}1726063010L-2024/07`);
    expect(v).toMatchObject({ serial: '987654321ABC', expiry: '2026-06-30', lot: 'L-2024/07' });
  });

  it('reads fixed-length fields only, without any separator', () => {
    expect(ok(`01${GTIN}17280115`)).toMatchObject({ gtin: GTIN, expiry: '2028-01-15', lot: null, serial: null });
  });

  it('accepts the textual renderings of FNC1 that tools and people type', () => {
    for (const sep of ['<GS>', '{GS}', '\\x1d', '<gs>', '\u241d']) {
      expect(ok(`01${GTIN}1727123110AB1234${sep}21SN0001`)).toMatchObject({ lot: 'AB1234', serial: 'SN0001' });
    }
  });

  it('accepts the human-readable form with parentheses, spaces included', () => {
    expect(ok(`(01)${GTIN}(17)271231(10)AB1234(21)SN0001`)).toMatchObject({ lot: 'AB1234', serial: 'SN0001' });
    expect(ok(`(01) ${GTIN} (21) SN0001 (10) AB1234 (17) 271231`)).toMatchObject({
      lot: 'AB1234',
      expiry: '2027-12-31',
    });
  });

  it('ignores the CR/LF a keyboard-wedge scanner appends, and a leading FNC1 sent as GS', () => {
    expect(ok(`${GS}01${GTIN}1727123110AB1234\r\n`).lot).toBe('AB1234');
  });

  it('steps over other AIs by their length: 710/711/714 national numbers, 240, 11, 7003', () => {
    const v = ok(`01${GTIN}11250101172712317003270101120010AB12${GS}240ADD-ID-7${GS}711340099900001${GS}21SER`);
    expect(v).toMatchObject({ lot: 'AB12', serial: 'SER', expiry: '2027-12-31' });
    expect(v.elements.map((e) => e.ai)).toEqual(['01', '11', '17', '7003', '10', '240', '711', '21']);
    expect(ok(`01${GTIN}714123456789${GS}10LOT`).lot).toBe('LOT');
  });

  it('day 00 of an expiry means the last day of the month (leap years included)', () => {
    expect(ok(`01${GTIN}17280200`).expiry).toBe('2028-02-29');
    expect(ok(`01${GTIN}17270200`).expiry).toBe('2027-02-28');
    expect(ok(`01${GTIN}17261100`).expiry).toBe('2026-11-30');
  });

  it('round-trips what formatGs1 builds', () => {
    const elements = [
      { ai: '01', value: GTIN },
      { ai: '10', value: 'LOT42' },
      { ai: '17', value: '270630' },
      { ai: '21', value: 'S1' },
    ];
    expect(ok(formatGs1(elements)).elements).toEqual(elements);
    expect(ok(formatGs1(elements, { humanReadable: true })).elements).toEqual(elements);
  });
});

describe('parseGs1: bad input, each with its own code', () => {
  it('empty scans', () => {
    expect(code('')).toBe('GS1_EMPTY');
    expect(code('   \r\n')).toBe('GS1_EMPTY');
    expect(code(']d2')).toBe('GS1_EMPTY');
  });

  it('a mistyped GTIN check digit', () => {
    expect(code(`01034009990000181727123110AB1234`)).toBe('GS1_BAD_CHECK_DIGIT');
    const r = parseGs1(`(01)03400999000018(17)271231`);
    expect(r).toMatchObject({ ok: false, code: 'GS1_BAD_CHECK_DIGIT', ai: '01' });
  });

  it('truncated scans: in the GTIN, in the expiry, after an AI, in an AI', () => {
    expect(code(`0103400999`)).toBe('GS1_TRUNCATED');
    expect(code(`01${GTIN}1727`)).toBe('GS1_TRUNCATED');
    expect(code(`01${GTIN}17271231${'10'}`)).toBe('GS1_TRUNCATED');
    expect(code(`01${GTIN}1`)).toBe('GS1_TRUNCATED');
    expect(code(`01${GTIN}71`)).toBe('GS1_TRUNCATED');
    expect(code(`(01)${GTIN}(1`)).toBe('GS1_TRUNCATED');
  });

  it('an unknown AI', () => {
    expect(parseGs1(`01${GTIN}05ABC`)).toMatchObject({ ok: false, code: 'GS1_UNKNOWN_AI', ai: '05' });
    expect(code(`(01)${GTIN}(05)ABC`)).toBe('GS1_UNKNOWN_AI');
  });

  it('no GTIN on a vial code, unless the caller does not require one', () => {
    expect(code('10AB1234')).toBe('GS1_MISSING_GTIN');
    expect(code('10AB1234', { requireGtin: false })).toBe('OK');
  });

  it('impossible dates', () => {
    expect(code(`01${GTIN}17271301`)).toBe('GS1_BAD_DATE');
    expect(code(`01${GTIN}17270230`)).toBe('GS1_BAD_DATE');
    expect(code(`01${GTIN}11270100`)).toBe('GS1_BAD_DATE'); // day 00 is not allowed for a production date
  });

  it('a lot longer than 20 characters — typically a missing GS before the serial', () => {
    expect(parseGs1(`01${GTIN}1727123110AB123456789012345678921SER`)).toMatchObject({
      ok: false,
      code: 'GS1_FIELD_TOO_LONG',
      ai: '10',
    });
  });

  it('characters outside the GS1 set, letters in a numeric field', () => {
    expect(code(`01${GTIN}1727123110AB 12`)).toBe('GS1_BAD_CHARACTER');
    expect(code(`01${GTIN}17A71231`)).toBe('GS1_BAD_CHARACTER');
  });

  it('the same AI twice with different values', () => {
    expect(code(`01${GTIN}10AAA${GS}10BBB`)).toBe('GS1_DUPLICATE_AI');
  });
});
