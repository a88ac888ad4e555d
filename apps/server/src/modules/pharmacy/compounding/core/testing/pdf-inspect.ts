import { inflateSync } from 'node:zlib';
import { BinaryBitmap, DecodeHintType, DataMatrixReader, HybridBinarizer, RGBLuminanceSource } from '@zxing/library';

/*
 * Test support (never imported by production code): reads back what pdfkit wrote — the text drawn with the
 * built-in fonts and the embedded images — and decodes DataMatrix symbols with a pure-JS decoder, so the tests
 * check the PDF itself rather than the inputs that built it.
 */

interface PdfStream {
  objectNumber: number;
  dict: string;
  data: Buffer;
}

function streams(pdf: Buffer): PdfStream[] {
  const text = pdf.toString('latin1');
  const out: PdfStream[] = [];
  const header = /(\d+) 0 obj\b/g;
  let match: RegExpExecArray | null;
  while ((match = header.exec(text)) !== null) {
    const bodyStart = match.index + match[0].length;
    const endObj = text.indexOf('endobj', bodyStart);
    const streamAt = /stream\r?\n/.exec(text.slice(bodyStart, endObj === -1 ? undefined : endObj));
    if (!streamAt) {
      if (endObj !== -1) header.lastIndex = endObj;
      continue;
    }
    const dict = text.slice(bodyStart, bodyStart + streamAt.index);
    const length = /\/Length (\d+)/.exec(dict);
    if (!length) continue;
    const start = bodyStart + streamAt.index + streamAt[0].length;
    const raw = pdf.subarray(start, start + Number(length[1]));
    const data = /\/Filter \/FlateDecode/.test(dict) ? inflateSync(raw) : raw;
    out.push({ objectNumber: Number(match[1]), dict, data });
    // Skip the binary data: it may contain anything, "endobj" included.
    header.lastIndex = start + Number(length[1]);
  }
  return out;
}

/** The text of the PDF's content streams (hex strings of TJ/Tj operators, WinAnsi), one line per operator. */
export function pdfText(pdf: Buffer): string {
  const lines: string[] = [];
  for (const s of streams(pdf)) {
    if (/\/Subtype/.test(s.dict)) continue;
    const content = s.data.toString('latin1');
    const ops = /\[((?:<[0-9a-fA-F]*>|\s|-?[\d.]+)*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g;
    let op: RegExpExecArray | null;
    while ((op = ops.exec(content)) !== null) {
      const hexes = op[1] !== undefined ? [...op[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((m) => m[1]!) : [op[2]!];
      lines.push(hexes.map((h) => Buffer.from(h, 'hex').toString('latin1')).join(''));
    }
  }
  return lines.join('\n');
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Undoes PNG row filters (FlateDecode /Predictor ≥ 10). */
function unpredict(data: Buffer, columns: number, colors: number, bits: number): Buffer {
  const bpp = Math.max(1, (colors * bits) / 8);
  const rowLength = Math.ceil((columns * colors * bits) / 8);
  const rows = data.length / (rowLength + 1);
  const out = Buffer.alloc(rows * rowLength);
  for (let y = 0; y < rows; y++) {
    const filter = data[y * (rowLength + 1)]!;
    for (let x = 0; x < rowLength; x++) {
      const raw = data[y * (rowLength + 1) + 1 + x]!;
      const left = x >= bpp ? out[y * rowLength + x - bpp]! : 0;
      const up = y > 0 ? out[(y - 1) * rowLength + x]! : 0;
      const upLeft = y > 0 && x >= bpp ? out[(y - 1) * rowLength + x - bpp]! : 0;
      const predicted = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][filter] ?? 0;
      out[y * rowLength + x] = (raw + predicted) & 0xff;
    }
  }
  return out;
}

export interface PdfImage {
  width: number;
  height: number;
  /** One byte per pixel, 0 = black. */
  luminance: Uint8ClampedArray;
}

/** The colour images embedded in the PDF (soft masks excluded), as luminance. */
export function pdfImages(pdf: Buffer): PdfImage[] {
  const images: PdfImage[] = [];
  const all = streams(pdf);
  const masks = new Set(all.flatMap((s) => [...s.dict.matchAll(/\/SMask (\d+) 0 R/g)].map((m) => Number(m[1]))));
  for (const s of all) {
    if (!/\/Subtype \/Image/.test(s.dict) || masks.has(s.objectNumber)) continue;
    const width = Number(/\/Width (\d+)/.exec(s.dict)?.[1]);
    const height = Number(/\/Height (\d+)/.exec(s.dict)?.[1]);
    const bits = Number(/\/BitsPerComponent (\d+)/.exec(s.dict)?.[1] ?? 8);
    const colors = /\/DeviceRGB/.test(s.dict) ? 3 : 1;
    const predictor = Number(/\/Predictor (\d+)/.exec(s.dict)?.[1] ?? 1);
    const pixels = predictor >= 10 ? unpredict(s.data, width, colors, bits) : s.data;
    const luminance = new Uint8ClampedArray(width * height);
    const rowLength = Math.ceil((width * colors * bits) / 8);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (bits === 8) {
          const i = y * rowLength + x * colors;
          luminance[y * width + x] =
            colors === 3 ? (pixels[i]! * 299 + pixels[i + 1]! * 587 + pixels[i + 2]! * 114) / 1000 : pixels[i]!;
        } else if (bits === 1 && colors === 1) {
          const byte = pixels[y * rowLength + (x >> 3)]!;
          luminance[y * width + x] = (byte >> (7 - (x & 7))) & 1 ? 255 : 0;
        }
      }
    }
    images.push({ width, height, luminance });
  }
  return images;
}

/** Decodes a DataMatrix from luminance pixels (this decoder returns FNC1, the GS1 flag included, as ASCII 29). */
export function decodeDataMatrix(image: PdfImage): string {
  const source = new RGBLuminanceSource(image.luminance, image.width, image.height);
  const hints = new Map<DecodeHintType, unknown>([[DecodeHintType.TRY_HARDER, true]]);
  const result = new DataMatrixReader().decode(new BinaryBitmap(new HybridBinarizer(source)), hints);
  return result.getText();
}
