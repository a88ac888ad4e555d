import { describe, expect, it } from 'vitest';
import { labelPayload, parseLabelPayload, renderLabelPdf, renderLabelZpl, zplText } from './labels.ts';
import { decodeDataMatrix, pdfImages, pdfText } from './testing/pdf-inspect.ts';
import type { LabelData } from './types.ts';

const ID = '0193a1b2-5c3d-7e4f-8a9b-0c1d2e3f4a5b';

const DATA: LabelData = {
  preparationId: ID,
  patient: {
    lastName: 'Lefèvre',
    firstName: 'Éloïse',
    birthDate: '1958-03-14',
    ins: '258037512345678',
    ipp: '4402117',
  },
  drug: 'Oxaliplatine',
  dose: 170,
  doseUnit: 'mg',
  volumeMl: 284,
  route: 'IV',
  container: 'Poche Glucose 5 % 250 mL',
  expiresAt: new Date('2026-11-24T07:30:00Z'),
  storage: { temperatureC: { min: 2, max: 8 }, lightProtection: true },
  destination: { unit: 'Hôpital de jour d’oncologie', establishment: 'CH Sœur-Marie' },
  producer: 'UPC du GCS Passerelle',
  preparedAt: new Date('2026-11-23T09:05:00Z'),
};

describe('label payload', () => {
  it('is a GS1 element string with AI 91 = the preparation id', () => {
    expect(labelPayload(ID)).toBe(`(91)${ID}`);
    expect(() => labelPayload('not-an-id')).toThrow();
  });

  it('reads back what scanners send, and the id typed by hand', () => {
    for (const scanned of [`]d291${ID}`, `\u001d91${ID}`, `91${ID}\r\n`, `(91)${ID}`, ID, ID.toUpperCase()]) {
      expect(parseLabelPayload(scanned)).toEqual({ ok: true, preparationId: ID });
    }
  });

  it('refuses a vial code, a truncated id, garbage', () => {
    for (const scanned of ['0103400999000017172712311 0AB', `91${ID.slice(0, 20)}`, '', 'hello']) {
      expect(parseLabelPayload(scanned)).toMatchObject({ ok: false, code: 'LABEL_PAYLOAD_INVALID' });
    }
  });
});

describe('label PDF', () => {
  it('is one 100 × 70 mm page whose DataMatrix decodes back to the preparation id', async () => {
    const pdf = await renderLabelPdf(DATA);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.toString('latin1')).toMatch(/\/MediaBox \[0 0 283\.46\d* 198\.42\d*\]/);
    const images = pdfImages(pdf);
    expect(images).toHaveLength(1);
    const decoded = decodeDataMatrix(images[0]!);
    // FNC1 first (GS1 DataMatrix) comes back as a leading GS, then AI 91 and the id.
    expect(decoded).toBe(`\u001d91${ID}`);
    expect(parseLabelPayload(decoded)).toEqual({ ok: true, preparationId: ID });
  });

  it('prints identity, drug, dose, volume, route, expiry date and time, storage and destination', async () => {
    const text = (await pdfText(await renderLabelPdf(DATA))).replace(/\s+/g, ' ');
    for (const expected of [
      'LEFÈVRE Éloïse',
      'Né(e) le 14/03/1958',
      'INS 258037512345678',
      'Oxaliplatine 170 mg',
      '284 mL',
      'voie IV',
      // 07:30 UTC is 08:30 in Paris in November.
      'Péremption : 24/11/2026 08:30',
      "Conserver entre 2 et 8 °C, à l'abri de la lumière",
      'Hôpital de jour',
      ID,
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('falls back to the IPP when the INS is not qualified', async () => {
    const text = pdfText(await renderLabelPdf({ ...DATA, patient: { ...DATA.patient, ins: null } }));
    expect(text).toContain('IPP 4402117');
    expect(text).not.toContain('INS 2580');
  });
});

describe('label ZPL', () => {
  it('is one ZPL II label in UTF-8 with a GS1 DataMatrix carrying the id', () => {
    const zpl = renderLabelZpl(DATA);
    const lines = zpl.split('\n');
    expect(lines[0]).toBe('^XA');
    expect(lines.at(-1)).toBe('^XZ');
    expect(lines).toContain('^CI28');
    expect(zpl).toContain(`^BXN,7,200,,,,_^FD_191${ID}^FS`);
    expect(zpl).toContain('LEFÈVRE Éloïse');
    expect(zpl).toContain('Péremption : 24/11/2026 08:30');
    // Outside Latin-1: transliterated.
    expect(zpl).toContain('CH Soeur-Marie');
    expect(zpl).toContain("Hôpital de jour d'oncologie");
    expect(zpl.match(/\^XA/g)).toHaveLength(1);
  });

  it('escapes ZPL command characters in data so a name cannot inject commands', () => {
    expect(zplText('A^XZ~JA\\b')).toBe('A\\5EXZ\\7EJA\\5Cb');
    expect(zplText('Zoë – “ok” œil\u0007')).toBe('Zoë - "ok" oeil');
    expect(zplText('Łukasz')).toBe('Lukasz');
    const zpl = renderLabelZpl({ ...DATA, patient: { ...DATA.patient, lastName: 'X^XZ' } });
    expect(zpl.match(/\^XZ/g)).toHaveLength(1);
  });
});
