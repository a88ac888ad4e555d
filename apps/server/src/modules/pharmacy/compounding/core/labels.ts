import bwipjs from 'bwip-js';
import PDFDocument from 'pdfkit';
import { parseGs1 } from './gs1.ts';
import type { LabelData, LabelPatient, ParseLabelPayload } from './types.ts';

/*
 * Preparation labels. The DataMatrix is a GS1 DataMatrix (FNC1 first) holding one element, AI 91 ("company
 * internal information", up to 90 characters of the GS1 character set) = the preparation id (a UUID, 36
 * characters). Why AI 91: the id does not fit AI 21 (serial, 20 characters max) nor AI 240 (30 max), and a
 * compounded preparation has no GTIN (no UCD/CIP code, domain reference §3.1), so no AI 01 either. A scanner
 * sends `]d291<uuid>` (or `91<uuid>` without the symbology identifier); `parseLabelPayload` also accepts the bare
 * id typed by hand from the human-readable line.
 */

const MM = 72 / 25.4;
/** Label stock of the usual thermal-transfer printers in French hospital pharmacies: 100 × 70 mm. */
export const LABEL_SIZE_MM = { width: 100, height: 70 } as const;
/** ZPL printers print at 203 dpi (8 dots/mm) by default. */
const ZPL_DOTS_PER_MM = 8;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LABEL_AI = '91';

/** The GS1 element string (human-readable form) the label's DataMatrix encodes. */
export function labelPayload(preparationId: string): string {
  if (!UUID.test(preparationId)) throw new Error('a preparation id is a UUID');
  return `(${LABEL_AI})${preparationId.toLowerCase()}`;
}

/** What a scanner reads on a label (any rendering `parseGs1` accepts, or the bare id) → the preparation id. */
export const parseLabelPayload: ParseLabelPayload = (raw) => {
  const text = (raw ?? '').trim();
  if (UUID.test(text)) return { ok: true, preparationId: text.toLowerCase() };
  const parsed = parseGs1(text, { requireGtin: false });
  if (parsed.ok) {
    const element = parsed.value.elements.find((e) => e.ai === LABEL_AI);
    if (element && UUID.test(element.value)) return { ok: true, preparationId: element.value.toLowerCase() };
  }
  return { ok: false, code: 'LABEL_PAYLOAD_INVALID', message: 'not a preparation label DataMatrix' };
};

/** PNG of the label's GS1 DataMatrix, white background, 2-module quiet zone. */
export async function labelDataMatrixPng(preparationId: string, scale = 4): Promise<Buffer> {
  return bwipjs.toBuffer({
    bcid: 'gs1datamatrix',
    text: labelPayload(preparationId),
    scale,
    paddingwidth: 2,
    paddingheight: 2,
    backgroundcolor: 'FFFFFF',
  });
}

// ---------------------------------------------------------------------------------------------------------
// Texts shared by the PDF and ZPL renderings (French: the labels are read on French wards)
// ---------------------------------------------------------------------------------------------------------

function formatDate(isoDate: string): string {
  const [y, m, d] = isoDate.slice(0, 10).split('-');
  return `${d}/${m}/${y}`;
}

export function formatDateTime(date: Date, timeZone = 'Europe/Paris'): string {
  const parts = new Intl.DateTimeFormat('fr-FR', {
    timeZone,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('day')}/${get('month')}/${get('year')} ${get('hour')}:${get('minute')}`;
}

function formatNumber(value: number): string {
  return String(Math.round(value * 100) / 100).replace('.', ',');
}

export function patientLine(patient: LabelPatient): string {
  return `${patient.lastName.toUpperCase()} ${patient.firstName}`;
}

export function identityLine(patient: LabelPatient): string {
  const id = patient.ins ? `INS ${patient.ins}` : patient.ipp ? `IPP ${patient.ipp}` : 'INS/IPP inconnu';
  return `Né(e) le ${formatDate(patient.birthDate)} · ${id}`;
}

export function storageLine(storage: LabelData['storage']): string {
  const { min, max } = storage.temperatureC;
  const temperature = `Conserver entre ${min} et ${max} °C`;
  return storage.lightProtection ? `${temperature}, à l'abri de la lumière` : temperature;
}

interface LabelLines {
  producer: string;
  patient: string;
  identity: string;
  drug: string;
  volume: string;
  expiry: string;
  storage: string;
  destination: string;
  prepared: string;
  id: string;
}

function labelLines(data: LabelData): LabelLines {
  const tz = data.timeZone ?? 'Europe/Paris';
  return {
    producer: `${data.producer} · Préparation anticancéreuse`,
    patient: patientLine(data.patient),
    identity: identityLine(data.patient),
    drug: `${data.drug} ${formatNumber(data.dose)} ${data.doseUnit}`,
    volume: `${formatNumber(data.volumeMl)} mL · ${data.container} · voie ${data.route}`,
    expiry: `Péremption : ${formatDateTime(data.expiresAt, tz)}`,
    storage: storageLine(data.storage),
    destination: `Destination : ${data.destination.unit} (${data.destination.establishment})`,
    prepared: `Préparé le ${formatDateTime(data.preparedAt, tz)}`,
    id: `Prép. ${data.preparationId}`,
  };
}

// ---------------------------------------------------------------------------------------------------------
// PDF
// ---------------------------------------------------------------------------------------------------------

/** Collects a pdfkit document into one Buffer. */
export function pdfToBuffer(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

/**
 * The label as a one-page PDF of 100 × 70 mm: identity, drug, dose, volume, route, expiry date and time, storage,
 * destination, preparation id and the GS1 DataMatrix. Built-in PDF fonts (WinAnsi) cover French accents.
 */
export async function renderLabelPdf(data: LabelData): Promise<Buffer> {
  const lines = labelLines(data);
  const png = await labelDataMatrixPng(data.preparationId);
  const doc = new PDFDocument({
    size: [LABEL_SIZE_MM.width * MM, LABEL_SIZE_MM.height * MM],
    margin: 3 * MM,
    info: { Title: 'Étiquette de préparation', Creator: 'Passerelle' },
  });
  const left = 3 * MM;
  const codeSize = 24 * MM;
  const textWidth = LABEL_SIZE_MM.width * MM - codeSize - 3 * left;
  const codeX = LABEL_SIZE_MM.width * MM - left - codeSize;
  const opts = { width: textWidth, lineBreak: true } as const;

  doc
    .font('Helvetica')
    .fontSize(7)
    .text(lines.producer, left, left, { width: LABEL_SIZE_MM.width * MM - 2 * left });
  doc.moveDown(0.3);
  doc.font('Helvetica-Bold').fontSize(13).text(lines.patient, opts);
  doc.font('Helvetica').fontSize(8.5).text(lines.identity, opts);
  doc.moveDown(0.4);
  doc.font('Helvetica-Bold').fontSize(14).text(lines.drug, opts);
  doc.font('Helvetica').fontSize(9).text(lines.volume, opts);
  doc.moveDown(0.4);
  doc.font('Helvetica-Bold').fontSize(11).text(lines.expiry, opts);
  doc.font('Helvetica').fontSize(8.5).text(lines.storage, opts);
  doc.moveDown(0.3);
  doc.font('Helvetica-Bold').fontSize(9).text(lines.destination, opts);
  doc.font('Helvetica').fontSize(7.5).text(lines.prepared, opts);

  doc.image(png, codeX, 9 * MM, { width: codeSize, height: codeSize });
  doc
    .font('Courier')
    .fontSize(5)
    .text(lines.id, left, (LABEL_SIZE_MM.height - 6) * MM, { width: LABEL_SIZE_MM.width * MM - 2 * left });
  doc
    .font('Helvetica-Bold')
    .fontSize(7)
    .text('CYTOTOXIQUE', codeX, 35 * MM, { width: codeSize, align: 'center' });
  return pdfToBuffer(doc);
}

// ---------------------------------------------------------------------------------------------------------
// ZPL II
// ---------------------------------------------------------------------------------------------------------

/** Characters outside what Zebra's resident font 0 prints (Latin-1), mapped to sensible equivalents. */
const TRANSLITERATIONS: Record<string, string> = {
  œ: 'oe',
  Œ: 'OE',
  '‘': "'",
  '’': "'",
  '“': '"',
  '”': '"',
  '–': '-',
  '—': '-',
  '…': '...',
  '€': 'EUR',
  Ł: 'L',
  ł: 'l',
  Đ: 'D',
  đ: 'd',
  ı: 'i',
  '\u00a0': ' ',
  '\u202f': ' ',
};

/**
 * Text for a ZPL field printed with ^CI28 (UTF-8): Latin-1 letters (é, è, ç, à, °…) kept, others transliterated
 * (œ → oe, curly quotes → straight) or stripped of their accents, control characters removed, and the ZPL command
 * prefixes `^` and `~` (and the `\` hex indicator) written as ^FH hexadecimal escapes.
 */
export function zplText(text: string): string {
  let out = '';
  for (const ch of text) {
    const mapped = TRANSLITERATIONS[ch];
    if (mapped !== undefined) {
      out += mapped;
      continue;
    }
    const code = ch.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f) continue;
    if (code <= 0xff) {
      out += ch;
      continue;
    }
    const stripped = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    out += [...stripped].every((c) => c.codePointAt(0)! <= 0xff) ? stripped : '?';
  }
  return out.replace(/[\\^~]/g, (c) => `\\${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/**
 * The label in ZPL II for a 203 dpi printer (800 × 560 dots = 100 × 70 mm): ^CI28 selects UTF-8, each text field
 * is hex-escaped with ^FH, and ^BX draws the GS1 DataMatrix (ECC 200, `_1` = FNC1 with `_` as escape character).
 */
export function renderLabelZpl(data: LabelData): string {
  const lines = labelLines(data);
  const width = LABEL_SIZE_MM.width * ZPL_DOTS_PER_MM;
  const height = LABEL_SIZE_MM.height * ZPL_DOTS_PER_MM;
  const textWidth = width - 240;
  const field = (x: number, y: number, size: number, text: string, bold = false, maxLines = 1): string => {
    const h = bold ? size + 4 : size;
    return `^FO${x},${y}^A0N,${h},${size}^FB${textWidth},${maxLines},0,L,0^FH\\^FD${zplText(text)}^FS`;
  };
  const id = data.preparationId.toLowerCase();
  if (!UUID.test(id)) throw new Error('a preparation id is a UUID');
  return [
    '^XA',
    '^CI28',
    `^PW${width}`,
    `^LL${height}`,
    '^LH0,0',
    field(24, 20, 20, lines.producer),
    field(24, 50, 34, lines.patient, true),
    field(24, 92, 22, lines.identity),
    field(24, 130, 38, lines.drug, true),
    field(24, 176, 22, lines.volume, false, 2),
    field(24, 232, 28, lines.expiry, true),
    field(24, 268, 22, lines.storage, false, 2),
    field(24, 324, 24, lines.destination, true, 2),
    field(24, 384, 20, lines.prepared),
    `^FO24,${height - 40}^A0N,18,18^FD${zplText(lines.id)}^FS`,
    // GS1 DataMatrix, module 7 dots (~0.9 mm), quality 200 = ECC 200, escape `_`: `_1` is FNC1.
    `^FO${width - 210},80^BXN,7,200,,,,_^FD_1${LABEL_AI}${id}^FS`,
    `^FO${width - 210},300^A0N,22,22^FB190,1,0,C,0^FDCYTOTOXIQUE^FS`,
    '^PQ1',
    '^XZ',
  ].join('\n');
}
