import PDFDocument from 'pdfkit';
import { formatDateTime, identityLine, labelDataMatrixPng, patientLine, pdfToBuffer, storageLine } from './labels.ts';
import type { FabricationSheetData, PlanDraw } from './types.ts';

const MM = 72 / 25.4;
const PAGE = { width: 210 * MM, height: 297 * MM };
const MARGIN = 15 * MM;
const CONTENT_WIDTH = PAGE.width - 2 * MARGIN;

const num = (value: number, decimals = 2): string =>
  String(Math.round(value * 10 ** decimals) / 10 ** decimals).replace('.', ',');

const WARNING_TEXT: Record<FabricationSheetData['plan']['warnings'][number], string> = {
  DENSITY_ASSUMED: 'Densité inconnue : 1,0 g/mL retenu pour le contrôle gravimétrique',
  CONCENTRATION_OUTSIDE_STABILITY_DATA:
    'Concentration finale hors des plages des données de stabilité : durée par défaut appliquée',
  DEFAULT_STABILITY_LIMIT: 'Aucune donnée de stabilité applicable : limite microbiologique par défaut',
};

function section(doc: PDFKit.PDFDocument, title: string): void {
  if (doc.y > PAGE.height - MARGIN - 40 * MM) doc.addPage();
  doc.moveDown(0.6);
  const y = doc.y;
  doc.rect(MARGIN, y, CONTENT_WIDTH, 6 * MM).fill('#e9ecef');
  doc
    .fillColor('black')
    .font('Helvetica-Bold')
    .fontSize(10)
    .text(title, MARGIN + 2 * MM, y + 1.6 * MM);
  doc.y = y + 7.5 * MM;
  doc.font('Helvetica').fontSize(9);
}

/** A simple table: fixed columns, a bold header row, thin rules between rows. */
function table(doc: PDFKit.PDFDocument, columns: { title: string; width: number }[], rows: string[][]): void {
  const total = columns.reduce((s, c) => s + c.width, 0);
  const widths = columns.map((c) => (c.width / total) * CONTENT_WIDTH);
  const drawRow = (cells: string[], bold: boolean): void => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8.5);
    const heights = cells.map((cell, i) => doc.heightOfString(cell, { width: widths[i]! - 2 * MM }));
    const height = Math.max(...heights) + 2 * MM;
    if (doc.y + height > PAGE.height - MARGIN) doc.addPage();
    const y = doc.y;
    let x = MARGIN;
    cells.forEach((cell, i) => {
      doc.text(cell, x + 1 * MM, y + 1 * MM, { width: widths[i]! - 2 * MM });
      x += widths[i]!;
    });
    doc
      .moveTo(MARGIN, y + height)
      .lineTo(MARGIN + CONTENT_WIDTH, y + height)
      .lineWidth(0.4)
      .strokeColor('#adb5bd')
      .stroke();
    doc.y = y + height;
  };
  drawRow(
    columns.map((c) => c.title),
    true,
  );
  for (const row of rows) drawRow(row, false);
  doc.x = MARGIN;
}

function keyValues(doc: PDFKit.PDFDocument, pairs: [string, string][]): void {
  for (const [key, value] of pairs) {
    const y = doc.y;
    doc
      .font('Helvetica-Bold')
      .fontSize(9)
      .text(key, MARGIN, y, { width: 45 * MM });
    doc
      .font('Helvetica')
      .fontSize(9)
      .text(value, MARGIN + 47 * MM, y, { width: CONTENT_WIDTH - 47 * MM });
    doc.y = Math.max(doc.y, y + 4.5 * MM);
  }
  doc.x = MARGIN;
}

function limitText(beyondUse: FabricationSheetData['plan']['beyondUse']): string {
  switch (beyondUse.limitKind) {
    case 'stability':
      return `Stabilité après dilution (${beyondUse.limitRef})`;
    case 'reliquat':
      return `Péremption du reliquat, lot ${beyondUse.limitRef}`;
    case 'lot':
      return `Péremption du lot ${beyondUse.limitRef}`;
    default:
      return 'Limite microbiologique par défaut';
  }
}

function drawSource(draw: PlanDraw): string {
  return draw.source === 'reliquat' ? 'Reliquat (flacon entamé)' : `${draw.vialCount} flacon(s) neuf(s)`;
}

/**
 * The printable fabrication sheet (A4) of one preparation: patient, drug and dose, vials and lots to use (reliquats
 * first), volumes to draw, reconstitutions, container and diluent, final volume, expected mass, beyond-use date
 * and storage, leftovers to keep or discard, warnings, and the checks to sign. Its DataMatrix is the label's
 * (AI 91 = preparation id), so scanning the sheet opens the preparation.
 */
export async function renderFabricationSheetPdf(data: FabricationSheetData): Promise<Buffer> {
  const { plan } = data;
  const tz = data.timeZone ?? 'Europe/Paris';
  const presentation = (id: string) => data.presentationLabels[id] ?? id;
  const diluent = (id: string | null) => (id === null ? 'aucun' : (data.diluentLabels[id] ?? id));
  const png = await labelDataMatrixPng(data.preparationId, 3);
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    info: { Title: 'Fiche de fabrication', Creator: 'Passerelle' },
  });

  doc.image(png, PAGE.width - MARGIN - 22 * MM, MARGIN - 4 * MM, { width: 22 * MM, height: 22 * MM });
  doc.font('Helvetica-Bold').fontSize(16).text('Fiche de fabrication', MARGIN, MARGIN);
  doc.font('Helvetica').fontSize(9).text(data.producer);
  doc.font('Courier').fontSize(8).text(`Préparation ${data.preparationId}`);
  doc
    .font('Helvetica')
    .fontSize(8)
    .text(`Éditée le ${formatDateTime(data.generatedAt, tz)}`);
  doc.y = Math.max(doc.y, MARGIN + 20 * MM);

  section(doc, 'Patient et prescription');
  keyValues(doc, [
    ['Patient', patientLine(data.patient)],
    ['Identité', identityLine(data.patient)],
    ['Médicament', `${data.drug} ${num(plan.dose)} ${plan.doseUnit}`],
    ['Voie', data.route],
    ["Date d'administration", data.administrationDate.split('-').reverse().join('/')],
    ['Destination', `${data.destination.unit} (${data.destination.establishment})`],
  ]);

  section(doc, 'Flacons et lots à utiliser');
  table(
    doc,
    [
      { title: 'Présentation', width: 42 },
      { title: 'Origine', width: 20 },
      { title: 'Lot', width: 16 },
      { title: 'Volume à prélever', width: 14 },
      { title: 'Quantité', width: 12 },
      { title: 'Masse attendue', width: 12 },
    ],
    plan.draws.map((d) => [
      presentation(d.presentationId),
      drawSource(d),
      d.lot ?? 'lot scanné',
      `${num(d.volumeMl)} mL`,
      `${num(d.amount, 3)} ${plan.doseUnit}`,
      `${num(d.volumeMl * (data.densities?.[d.presentationId] ?? 1))} g`,
    ]),
  );
  doc.moveDown(0.3);
  doc
    .font('Helvetica')
    .fontSize(8.5)
    .text(
      `Volume total de médicament : ${num(plan.drugVolumeMl)} mL · coût des flacons neufs : ${num(plan.costEur)} € HT`,
    );

  if (plan.reconstitutions.length > 0) {
    section(doc, 'Reconstitution');
    table(
      doc,
      [
        { title: 'Présentation', width: 50 },
        { title: 'Flacons', width: 12 },
        { title: 'Solvant', width: 24 },
        { title: 'Volume par flacon', width: 18 },
      ],
      plan.reconstitutions.map((r) => [
        presentation(r.presentationId),
        String(r.vialCount),
        diluent(r.diluentId),
        `${num(r.volumeMlPerVial)} mL`,
      ]),
    );
  }

  section(doc, 'Contenant, diluant et volume final');
  const adjustment =
    plan.diluentAdjustmentMl < 0
      ? `Retirer ${num(-plan.diluentAdjustmentMl)} mL du contenant avant l'ajout du médicament`
      : plan.diluentAdjustmentMl > 0
        ? `Ajouter ${num(plan.diluentAdjustmentMl)} mL de ${diluent(plan.diluentId)}`
        : 'Aucun ajustement';
  keyValues(doc, [
    ['Contenant', plan.container.label],
    ['Diluant', diluent(plan.diluentId)],
    ['Ajustement', adjustment],
    ['Volume final', `${num(plan.finalVolumeMl)} mL`],
    ['Concentration finale', `${num(plan.finalConcentrationPerMl, 4)} ${plan.doseUnit}/mL`],
    ['Masse attendue', `${num(plan.expectedFinishedMassG)} g (tare ${num(plan.container.tareMassG)} g incluse)`],
  ]);

  section(doc, 'Péremption et conservation');
  keyValues(doc, [
    ['Date limite', formatDateTime(plan.beyondUse.expiresAt, tz)],
    ['Conservation', storageLine(plan.beyondUse)],
    ['Limitée par', limitText(plan.beyondUse)],
    ['Source', plan.beyondUse.source],
  ]);

  if (plan.leftovers.length > 0) {
    section(doc, 'Reliquats');
    table(
      doc,
      [
        { title: 'Présentation', width: 44 },
        { title: 'Lot', width: 16 },
        { title: 'Volume restant', width: 14 },
        { title: 'Devenir', width: 30 },
      ],
      plan.leftovers.map((l) => [
        presentation(l.presentationId),
        l.lot ?? 'lot scanné',
        `${num(l.remainingVolumeMl)} mL`,
        l.expiresAt ? `À conserver jusqu'au ${formatDateTime(l.expiresAt, tz)}` : 'À éliminer',
      ]),
    );
  }

  if (plan.warnings.length > 0) {
    section(doc, 'Avertissements');
    for (const w of plan.warnings) doc.font('Helvetica').fontSize(9).text(`• ${WARNING_TEXT[w]}`);
  }

  section(doc, 'Contrôles et signatures');
  table(
    doc,
    [
      { title: 'Étape', width: 46 },
      { title: 'Nom', width: 22 },
      { title: 'Date et heure', width: 18 },
      { title: 'Visa', width: 14 },
    ],
    [
      ['Flacons scannés (produit, lot, péremption)', '', '', ''],
      ['Contrôle gravimétrique des prélèvements', '', '', ''],
      ['Préparation (préparateur, isolateur)', '', '', ''],
      ['Double contrôle', '', '', ''],
      ['Libération pharmaceutique', '', '', ''],
    ].map((row) => row.map((cell) => (cell === '' ? '\n ' : cell))),
  );
  return pdfToBuffer(doc);
}
