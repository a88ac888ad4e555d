import type { Gs1Data, Gs1Element, Gs1ErrorCode, Gs1Result, ParseGs1Options } from './types.ts';

/*
 * GS1 element strings as vial DataMatrix codes carry them (Falsified Medicines Directive unique identifier:
 * product code AI 01, expiry AI 17, batch AI 10, serial AI 21 — domain reference §3.2, GS1 General
 * Specifications §3 and §7.8). A scanner sends the concatenated element string: fixed-length elements follow
 * each other directly, a variable-length element ends at FNC1 (transmitted as ASCII 29, "GS") or at the end.
 */

const GS = '\u001d';

interface AiSpec {
  /** Exact length (fixed) or maximum length (variable). */
  length: number;
  fixed: boolean;
  numeric: boolean;
  /** YYMMDD date, day 00 allowed for AIs where GS1 permits it (expiry, best-before, sell-by). */
  date?: 'day00' | 'strict';
}

const fixedN = (length: number): AiSpec => ({ length, fixed: true, numeric: true });
const varN = (length: number): AiSpec => ({ length, fixed: false, numeric: true });
const varX = (length: number): AiSpec => ({ length, fixed: false, numeric: false });

/**
 * GS1 Application Identifiers with their lengths (GS1 General Specifications, figure 3.2-1), enough to step over
 * any element a medicine pack or logistic label carries. An AI absent from this table stops the parse with
 * GS1_UNKNOWN_AI: without its length the rest of the string cannot be split safely.
 */
const AI_TABLE: ReadonlyMap<string, AiSpec> = (() => {
  const t = new Map<string, AiSpec>();
  t.set('00', fixedN(18));
  t.set('01', fixedN(14));
  t.set('02', fixedN(14));
  t.set('10', varX(20));
  t.set('11', { ...fixedN(6), date: 'strict' }); // production date
  t.set('12', { ...fixedN(6), date: 'day00' }); // due date
  t.set('13', { ...fixedN(6), date: 'strict' }); // packaging date
  t.set('15', { ...fixedN(6), date: 'day00' }); // best before
  t.set('16', { ...fixedN(6), date: 'day00' }); // sell by
  t.set('17', { ...fixedN(6), date: 'day00' }); // expiry
  t.set('20', fixedN(2));
  t.set('21', varX(20));
  t.set('22', varX(20));
  t.set('235', varX(28));
  t.set('240', varX(30));
  t.set('241', varX(30));
  t.set('242', varN(6));
  t.set('243', varX(20));
  t.set('250', varX(30));
  t.set('251', varX(30));
  t.set('253', varX(30));
  t.set('254', varX(20));
  t.set('255', varN(25));
  t.set('30', varN(8));
  t.set('37', varN(8));
  // Trade measures 310n–369n: six digits, n = decimal point position.
  for (let ai = 310; ai <= 369; ai++) for (let n = 0; n <= 9; n++) t.set(`${ai}${n}`, fixedN(6));
  for (let n = 0; n <= 9; n++) {
    t.set(`390${n}`, varN(15));
    t.set(`391${n}`, varN(18));
    t.set(`392${n}`, varN(15));
    t.set(`393${n}`, varN(18));
    t.set(`394${n}`, fixedN(4));
    t.set(`395${n}`, fixedN(6));
  }
  t.set('400', varX(30));
  t.set('401', varX(30));
  t.set('402', fixedN(17));
  t.set('403', varX(30));
  for (let ai = 410; ai <= 417; ai++) t.set(String(ai), fixedN(13));
  t.set('420', varX(20));
  t.set('421', varX(12));
  t.set('422', fixedN(3));
  t.set('423', varN(15));
  t.set('424', fixedN(3));
  t.set('425', varN(15));
  t.set('426', fixedN(3));
  t.set('427', varX(3));
  t.set('7001', fixedN(13));
  t.set('7002', varX(30));
  t.set('7003', fixedN(10));
  t.set('7004', varN(4));
  t.set('7005', varX(12));
  t.set('7006', fixedN(6));
  t.set('7007', varN(12));
  t.set('7008', varX(3));
  t.set('7009', varX(10));
  t.set('7010', varX(2));
  t.set('7011', varX(10));
  t.set('7020', varX(20));
  t.set('7021', varX(20));
  t.set('7022', varX(20));
  t.set('7023', varX(30));
  for (let n = 0; n <= 9; n++) t.set(`703${n}`, varX(30));
  t.set('7040', varX(4));
  // National Healthcare Reimbursement Numbers (NHRN): 710 Germany (PZN), 711 France (CIP), 712 Spain,
  // 713 Brazil, 714 Portugal, 715 United States. Domain reference §3.2: 710-series not required in France.
  for (const ai of ['710', '711', '712', '713', '714', '715', '716']) t.set(ai, varX(20));
  t.set('7240', varX(20));
  t.set('8001', fixedN(14));
  t.set('8002', varX(20));
  t.set('8003', varX(30));
  t.set('8004', varX(30));
  t.set('8005', fixedN(6));
  t.set('8006', fixedN(18));
  t.set('8007', varX(34));
  t.set('8008', varN(12));
  t.set('8009', varX(50));
  t.set('8010', varX(30));
  t.set('8011', varN(12));
  t.set('8012', varX(20));
  t.set('8013', varX(25));
  t.set('8017', fixedN(18));
  t.set('8018', fixedN(18));
  t.set('8019', varN(10));
  t.set('8020', varX(25));
  t.set('8026', fixedN(18));
  t.set('8110', varX(70));
  t.set('8111', fixedN(4));
  t.set('8112', varX(70));
  t.set('8200', varX(70));
  t.set('90', varX(30));
  for (let ai = 91; ai <= 99; ai++) t.set(String(ai), varX(90));
  return t;
})();

/** GS1 character set 82 (GS1 General Specifications §7.11, figure 7.11-1): what an alphanumeric AI may hold. */
const CSET82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*$/;
const DIGITS = /^[0-9]*$/;

/** Textual renderings of FNC1/GS met in practice: scanner configuration tools, copy-pastes, test fixtures. */
const GS_RENDERINGS = [/<GS>/gi, /\{GS\}/gi, /\\x1d/gi, /\\u001d/gi, /\u241d/g, /\[GS\]/gi];

/** Symbology identifiers (ISO/IEC 15424) a scanner may prefix: GS1 DataMatrix, GS1-128, GS1 QR, GS1 DataBar. */
const SYMBOLOGY_IDENTIFIERS = [']d2', ']C1', ']Q3', ']e0', ']d1'];

class Gs1Failure extends Error {
  constructor(
    readonly code: Gs1ErrorCode,
    message: string,
    readonly ai?: string,
  ) {
    super(message);
  }
}
const Failure = Gs1Failure;

/** GS1 modulo-10 check digit of the digits before the last (GTIN-8/12/13/14, GLN, SSCC, EAN-13 CIP13). */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

/** True when `code` is all digits and its last digit is the GS1 check digit of the others. */
export function isValidGtin(code: string): boolean {
  if (!/^[0-9]{8,14}$/.test(code)) return false;
  return gs1CheckDigit(code.slice(0, -1)) === Number(code.at(-1));
}

/** GTIN-14 of a French pack: `0` + CIP13 (domain reference §3.2). Throws on a malformed CIP13. */
export function gtinFromCip13(cip13: string): string {
  if (!/^[0-9]{13}$/.test(cip13) || !isValidGtin(cip13)) {
    throw new Error('CIP13 must be 13 digits with a valid check digit');
  }
  return `0${cip13}`;
}

/** The CIP13 inside a French GTIN-14 (`03400…`), or null for a GTIN of another country or scheme. */
export function cip13FromGtin(gtin: string): string | null {
  if (!/^03400[0-9]{9}$/.test(gtin) || !isValidGtin(gtin)) return null;
  return gtin.slice(1);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * YYMMDD → ISO date. The century is taken as 20YY: medicine expiry dates are in this century (GS1's sliding
 * window, §7.12, would need a clock and gives the same answer until 2049). Day 00 means the last day of the
 * month where GS1 allows it (§3.4.7).
 */
function parseGs1Date(value: string, ai: string, allowDay00: boolean): string {
  const year = 2000 + Number(value.slice(0, 2));
  const month = Number(value.slice(2, 4));
  let day = Number(value.slice(4, 6));
  if (month < 1 || month > 12) throw new Failure('GS1_BAD_DATE', `AI ${ai}: month ${value.slice(2, 4)}`, ai);
  const last = daysInMonth(year, month);
  if (day === 0) {
    if (!allowDay00) throw new Failure('GS1_BAD_DATE', `AI ${ai}: day 00 not allowed`, ai);
    day = last;
  }
  if (day > last) throw new Failure('GS1_BAD_DATE', `AI ${ai}: day ${value.slice(4, 6)} of month ${month}`, ai);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Removes what scanners and people add around the element string; returns it with FNC1 as ASCII 29. */
function normalise(raw: string): string {
  // Keyboard-wedge scanners end with CR/LF (or a tab); people paste with spaces around.
  let s = raw.replace(/^[\s]+|[\r\n\t ]+$/g, '');
  for (const re of GS_RENDERINGS) s = s.replace(re, GS);
  for (const id of SYMBOLOGY_IDENTIFIERS) {
    if (s.startsWith(id)) {
      s = s.slice(id.length);
      break;
    }
  }
  // FNC1 in first position is the GS1 flag itself; some scanners transmit it as a leading GS.
  while (s.startsWith(GS)) s = s.slice(1);
  while (s.endsWith(GS)) s = s.slice(0, -1);
  return s;
}

function lookupAi(s: string, pos: number): { ai: string; spec: AiSpec } | null {
  for (const len of [2, 3, 4]) {
    const ai = s.slice(pos, pos + len);
    if (ai.length < len) return null;
    const spec = AI_TABLE.get(ai);
    if (spec) return { ai, spec };
  }
  return null;
}

/** True when `rest` is the beginning of a known AI cut short (`7` of `710`, `800` of `8001`). */
function isAiPrefix(rest: string): boolean {
  for (const ai of AI_TABLE.keys()) if (ai.length > rest.length && ai.startsWith(rest)) return true;
  return false;
}

function checkValue(ai: string, spec: AiSpec, value: string): void {
  if (value.length === 0) throw new Failure('GS1_TRUNCATED', `AI ${ai}: empty value`, ai);
  if (spec.fixed && value.length < spec.length) {
    throw new Failure('GS1_TRUNCATED', `AI ${ai}: ${value.length} of ${spec.length} characters`, ai);
  }
  if (value.length > spec.length) {
    throw new Failure('GS1_FIELD_TOO_LONG', `AI ${ai}: ${value.length} characters, at most ${spec.length}`, ai);
  }
  if (spec.numeric ? !DIGITS.test(value) : !CSET82.test(value)) {
    throw new Failure('GS1_BAD_CHARACTER', `AI ${ai}: character outside the GS1 character set`, ai);
  }
}

/** Splits an element string in the transmitted form (FNC1 = GS). */
function splitTransmitted(s: string): Gs1Element[] {
  const elements: Gs1Element[] = [];
  let pos = 0;
  while (pos < s.length) {
    if (s[pos] === GS) {
      pos++;
      continue;
    }
    const found = lookupAi(s, pos);
    if (!found) {
      const rest = s.slice(pos);
      if (rest.length < 2 || isAiPrefix(rest)) {
        throw new Failure('GS1_TRUNCATED', `incomplete application identifier at position ${pos}`);
      }
      const shown = /^[0-9]{2,4}/.exec(rest)?.[0] ?? rest.slice(0, 2);
      throw new Failure('GS1_UNKNOWN_AI', `unknown application identifier at position ${pos}`, shown);
    }
    const { ai, spec } = found;
    const start = pos + ai.length;
    let value: string;
    if (spec.fixed) {
      value = s.slice(start, start + spec.length);
      if (value.includes(GS)) value = value.slice(0, value.indexOf(GS));
      pos = start + value.length;
    } else {
      const end = s.indexOf(GS, start);
      value = end === -1 ? s.slice(start) : s.slice(start, end);
      pos = end === -1 ? s.length : end;
    }
    checkValue(ai, spec, value);
    elements.push({ ai, value });
  }
  return elements;
}

/** Splits the human-readable form `(01)03400…(17)…(10)…`. */
function splitHumanReadable(s: string): Gs1Element[] {
  const compact = s.replace(/\s+/g, '').split(GS).join('');
  const elements: Gs1Element[] = [];
  const re = /\(([0-9]{2,4})\)([^(]*)/gy;
  let match: RegExpExecArray | null;
  let pos = 0;
  while ((match = re.exec(compact)) !== null) {
    const ai = match[1]!;
    const value = match[2]!;
    const spec = AI_TABLE.get(ai);
    if (!spec) throw new Failure('GS1_UNKNOWN_AI', `unknown application identifier (${ai})`, ai);
    checkValue(ai, spec, value);
    elements.push({ ai, value });
    pos = re.lastIndex;
  }
  if (pos !== compact.length) {
    const rest = compact.slice(pos);
    if (/^\([0-9]{0,3}$/.test(rest)) throw new Failure('GS1_TRUNCATED', 'incomplete application identifier');
    throw new Failure('GS1_BAD_CHARACTER', 'text outside (AI) groups');
  }
  return elements;
}

/**
 * Parses a GS1 DataMatrix as a scanner sends it: with or without the symbology identifier `]d2`, FNC1 as ASCII
 * 29 or one of its textual renderings (`<GS>`, `{GS}`, `\x1d`), or the human-readable `(01)…(17)…(10)…(21)…`.
 * Returns the GTIN (check digit verified), expiry, lot and serial, or the first problem found with a stable code.
 */
export function parseGs1(raw: string, options: ParseGs1Options = {}): Gs1Result {
  const requireGtin = options.requireGtin ?? true;
  try {
    const s = normalise(raw ?? '');
    if (s.length === 0) throw new Failure('GS1_EMPTY', 'nothing scanned');
    const elements = s.startsWith('(') ? splitHumanReadable(s) : splitTransmitted(s);
    if (elements.length === 0) throw new Failure('GS1_EMPTY', 'no element');

    const seen = new Map<string, string>();
    for (const { ai, value } of elements) {
      const previous = seen.get(ai);
      if (previous !== undefined && previous !== value) {
        throw new Failure('GS1_DUPLICATE_AI', `AI ${ai} appears twice with different values`, ai);
      }
      seen.set(ai, value);
      const spec = AI_TABLE.get(ai)!;
      if (spec.date) parseGs1Date(value, ai, spec.date === 'day00');
      if ((ai === '01' || ai === '02') && !isValidGtin(value)) {
        throw new Failure(
          'GS1_BAD_CHECK_DIGIT',
          `AI ${ai}: check digit should be ${gs1CheckDigit(value.slice(0, -1))}`,
          ai,
        );
      }
    }
    const gtin = seen.get('01') ?? null;
    if (requireGtin && gtin === null) throw new Failure('GS1_MISSING_GTIN', 'no GTIN (AI 01)', '01');
    const expiryRaw = seen.get('17');
    const data: Gs1Data = {
      gtin,
      cip13: gtin ? cip13FromGtin(gtin) : null,
      expiry: expiryRaw ? parseGs1Date(expiryRaw, '17', true) : null,
      lot: seen.get('10') ?? null,
      serial: seen.get('21') ?? null,
      elements: [...elements],
    };
    return { ok: true, value: data };
  } catch (error) {
    if (error instanceof Gs1Failure) {
      return error.ai === undefined
        ? { ok: false, code: error.code, message: error.message }
        : { ok: false, code: error.code, message: error.message, ai: error.ai };
    }
    throw error;
  }
}

/** Builds the transmitted element string (FNC1 as GS after each variable-length element but the last). */
export function formatGs1(elements: readonly Gs1Element[], options: { humanReadable?: boolean } = {}): string {
  if (options.humanReadable) return elements.map((e) => `(${e.ai})${e.value}`).join('');
  let out = '';
  elements.forEach((e, i) => {
    const spec = AI_TABLE.get(e.ai);
    out += e.ai + e.value;
    if (spec && !spec.fixed && i < elements.length - 1) out += GS;
  });
  return out;
}
