import PDFDocument from 'pdfkit';
import { calendarMonths, computeIntakeCalendar, countIntakes } from './calendar.ts';
import { FOOD_LABELS_FR, findDrug, findPattern, type FoodInstruction } from './drugs.ts';
import type { InteractionFinding } from './interactions.ts';

/**
 * The documents of the pathway, in French, as PDF (pdfkit, standard Helvetica): the patient's booklet
 * (personal treatment plan, intake calendar, drug sheet, what to do if, contacts) and the transmission
 * documents for the community (letter to the GP, reconciliation and plan for the pharmacist, nursing sheet).
 * Rendering is pure: everything comes in as data.
 */

/** What a plan version's documents are generated from (stored in oral_documents.snapshot). */
export interface PlanSnapshot {
  treatmentId: string;
  planVersion: number;
  patient: { displayName: string; birthDate: string };
  drugCode: string;
  doseMg: number;
  scheduleCode: string;
  startDate: string;
  calendarCycles: number;
  food: FoodInstruction;
  indication: string;
  prescriberName: string;
  establishmentName: string;
  dispensingChannel: 'community_pharmacy' | 'hospital_retrocession';
  generatedAt: string;
}

/** Consultation content the documents quote, when recorded. */
export interface DocumentExtras {
  intakePlan: string | null;
  reconciliation: { name: string; kind: string; dosage?: string | null }[];
  interactions: InteractionFinding[];
  whoToCall: string | null;
  sideEffectsExplained: string[];
  nursingChecklist: string[];
}

// The standard PDF fonts cover WinAnsi only: replace the few characters outside it that our texts use.
function pdfText(text: string): string {
  return text.replaceAll('≥', '>=').replaceAll('≤', '<=').replaceAll('→', '->').replaceAll('\u202f', ' ');
}

const WEEKDAYS = ['dim.', 'lun.', 'mar.', 'mer.', 'jeu.', 'ven.', 'sam.'];
const MONTHS = [
  'janvier',
  'février',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'août',
  'septembre',
  'octobre',
  'novembre',
  'décembre',
];

export function frenchDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

function weekday(iso: string): string {
  return WEEKDAYS[new Date(`${iso}T00:00:00Z`).getUTCDay()]!;
}

const mg = (n: number) => `${Number.isInteger(n) ? n : n.toLocaleString('fr-FR')} mg`;

/** Collects a pdfkit document into one Buffer. */
function render(build: (doc: PDFKit.PDFDocument) => void, title: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margin: 48,
      info: { Title: pdfText(title), Producer: 'Passerelle' },
      lang: 'fr-FR',
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    build(doc);
    doc.end();
  });
}

function heading(doc: PDFKit.PDFDocument, text: string): void {
  doc.moveDown(0.6).font('Helvetica-Bold').fontSize(14).fillColor('#1b3a5c').text(pdfText(text)).moveDown(0.3);
  doc.font('Helvetica').fontSize(10).fillColor('black');
}

function line(doc: PDFKit.PDFDocument, label: string, value: string): void {
  doc
    .font('Helvetica-Bold')
    .text(pdfText(`${label} : `), { continued: true })
    .font('Helvetica')
    .text(pdfText(value));
}

function bullets(doc: PDFKit.PDFDocument, items: string[]): void {
  for (const item of items) doc.text(pdfText(`•  ${item}`), { indent: 8 });
}

function header(doc: PDFKit.PDFDocument, title: string, s: PlanSnapshot): void {
  doc.font('Helvetica-Bold').fontSize(18).fillColor('#1b3a5c').text(pdfText(title));
  doc.font('Helvetica').fontSize(9).fillColor('#555');
  doc.text(
    pdfText(
      `${s.establishmentName} — plan version ${s.planVersion}, édité le ${frenchDate(s.generatedAt.slice(0, 10))}`,
    ),
  );
  doc.fillColor('black').fontSize(10).moveDown(0.5);
  line(doc, 'Patient', `${s.patient.displayName}, né(e) le ${frenchDate(s.patient.birthDate)}`);
}

const INTAKE_LABEL = { morning: 'Matin', evening: 'Soir' } as const;

const WHAT_TO_DO_IF: { title: string; advice: string }[] = [
  {
    title: 'Fièvre (38 °C ou plus) ou frissons',
    advice:
      'Appelez immédiatement l’équipe (numéro ci-dessous) ou le 15 la nuit : une prise de sang peut être nécessaire.',
  },
  {
    title: 'Diarrhée',
    advice:
      'Buvez 2 litres par jour (eau, bouillon). Au-delà de 4 selles de plus que d’habitude par jour, ou en cas de sang, appelez l’équipe le jour même.',
  },
  {
    title: 'Rougeurs, douleurs des mains ou des pieds (syndrome main-pied)',
    advice:
      'Hydratez la peau chaque jour, évitez la chaleur et les frottements. Si la douleur gêne la marche ou les gestes, appelez l’équipe avant la prise suivante.',
  },
  {
    title: 'Nausées, vomissements',
    advice:
      'Prenez le traitement prescrit contre les nausées. Si vous vomissez un comprimé, ne reprenez pas de dose : attendez la prise suivante.',
  },
  {
    title: 'Aphtes, bouche douloureuse',
    advice: 'Bains de bouche au bicarbonate, brosse souple. Si vous ne pouvez plus manger, appelez l’équipe.',
  },
  {
    title: 'Oubli d’une prise',
    advice:
      'Ne doublez jamais la dose suivante. Notez l’oubli dans votre carnet et signalez-le lors de l’appel de suivi.',
  },
];

function calendarSection(doc: PDFKit.PDFDocument, s: PlanSnapshot): void {
  const pattern = findPattern(s.scheduleCode);
  if (!pattern) return;
  const cal = computeIntakeCalendar({
    startDate: s.startDate,
    pattern,
    cycles: s.calendarCycles,
    food: s.food,
    doseMg: s.doseMg,
  });
  heading(doc, 'Calendrier de prises');
  doc.text(
    pdfText(
      `${mg(s.doseMg)} par prise, ${FOOD_LABELS_FR[s.food]}. Cochez chaque prise. ${countIntakes(cal)} prises sur la période ; les jours de pause sont indiqués.`,
    ),
  );
  for (const month of calendarMonths(cal)) {
    if (doc.y > 700) doc.addPage();
    const [y, m] = month.month.split('-').map(Number) as [number, number];
    doc
      .moveDown(0.4)
      .font('Helvetica-Bold')
      .text(pdfText(`${MONTHS[m - 1]} ${y}`));
    doc.font('Helvetica').fontSize(9);
    for (const day of month.days) {
      if (doc.y > 780) doc.addPage();
      const what = day.rest
        ? 'Pause : pas de prise'
        : day.intakes.map((i) => `[  ] ${INTAKE_LABEL[i]} ${mg(s.doseMg)}`).join('      ');
      doc.text(
        pdfText(`${weekday(day.date)} ${frenchDate(day.date)}  (cycle ${day.cycle}, J${day.cycleDay})   ${what}`),
      );
    }
    doc.fontSize(10);
  }
}

/** The patient's booklet for one plan version: plan, calendar, drug sheet, what to do if, contacts. */
export function renderPatientBooklet(s: PlanSnapshot, extras: DocumentExtras): Promise<Buffer> {
  const drug = findDrug(s.drugCode);
  const pattern = findPattern(s.scheduleCode);
  return render((doc) => {
    header(doc, 'Mon traitement anticancéreux par voie orale', s);
    heading(doc, 'Plan de traitement personnalisé');
    line(doc, 'Médicament', drug ? `${drug.innFr} (${drug.form === 'tablet' ? 'comprimés' : 'gélules'})` : s.drugCode);
    line(doc, 'Dose', `${mg(s.doseMg)} par prise`);
    line(doc, 'Rythme', pattern?.labelFr ?? s.scheduleCode);
    line(doc, 'Début', frenchDate(s.startDate));
    line(doc, 'Repas', FOOD_LABELS_FR[s.food]);
    line(doc, 'Prescripteur', s.prescriberName);
    line(
      doc,
      'Délivrance',
      s.dispensingChannel === 'community_pharmacy'
        ? 'en pharmacie de ville'
        : 'à la pharmacie de l’hôpital (rétrocession)',
    );
    if (extras.intakePlan) line(doc, 'Plan de prise', extras.intakePlan);
    calendarSection(doc, s);
    doc.addPage();
    heading(doc, 'Fiche médicament');
    if (drug) {
      doc.text(pdfText(`${drug.innFr} — dose habituelle : ${drug.usualDoseFr}.`));
      doc.text(pdfText('À surveiller :'));
      bullets(doc, drug.watchFr);
      doc.text(
        pdfText(
          'Avalez entier avec un verre d’eau, sans écraser ni ouvrir. Lavez-vous les mains après chaque prise. Conservez hors de portée des enfants.',
        ),
      );
      const food = extras.interactions.filter((f) => f.withKind !== 'drug');
      if (food.length > 0) {
        doc.text(pdfText('À éviter :'));
        bullets(
          doc,
          food.map((f) => `${f.withLabel} : ${f.recommendation}`),
        );
      }
      doc
        .fontSize(8)
        .fillColor('#555')
        .text(pdfText(`Source : ${drug.source}`))
        .fillColor('black')
        .fontSize(10);
    }
    heading(doc, 'Que faire si…');
    for (const item of WHAT_TO_DO_IF) {
      doc.font('Helvetica-Bold').text(pdfText(item.title)).font('Helvetica').text(pdfText(item.advice)).moveDown(0.3);
    }
    heading(doc, 'Contacts');
    line(doc, 'Établissement', s.establishmentName);
    line(doc, 'Médecin', s.prescriberName);
    line(
      doc,
      'Qui appeler',
      extras.whoToCall ?? 'l’infirmière de coordination du service (numéro remis en consultation)',
    );
    line(doc, 'Urgence vitale', '15 (SAMU) ou 112');
  }, `Plan de traitement — ${s.patient.displayName}`);
}

export type PacketKind = 'gp' | 'pharmacist' | 'nurse';

const SEVERITY_FR = {
  contraindicated: 'Contre-indication',
  avoid: 'Association déconseillée',
  caution: 'Précaution d’emploi',
  consider: 'À prendre en compte',
} as const;

/** The transmission document for one community professional, by their kind. */
export function renderTransmission(
  kind: PacketKind,
  s: PlanSnapshot,
  extras: DocumentExtras,
  recipientName: string,
): Promise<Buffer> {
  const drug = findDrug(s.drugCode);
  const pattern = findPattern(s.scheduleCode);
  const titles: Record<PacketKind, string> = {
    gp: 'Courrier au médecin traitant',
    pharmacist: 'Conciliation médicamenteuse et plan de prise',
    nurse: 'Fiche de liaison infirmière',
  };
  return render((doc) => {
    header(doc, titles[kind], s);
    line(doc, 'Destinataire', recipientName);
    heading(doc, 'Traitement instauré');
    line(doc, 'Médicament', drug?.innFr ?? s.drugCode);
    line(doc, 'Indication', s.indication);
    line(doc, 'Dose et rythme', `${mg(s.doseMg)} par prise — ${pattern?.labelFr ?? s.scheduleCode}`);
    line(doc, 'Début', frenchDate(s.startDate));
    line(doc, 'Repas', FOOD_LABELS_FR[s.food]);
    line(doc, 'Prescripteur', s.prescriberName);
    if (kind === 'gp') {
      doc
        .moveDown(0.5)
        .text(
          pdfText(
            `Cher confrère, votre patient(e) débute un traitement par ${drug?.innFr ?? s.drugCode} au sein de ${s.establishmentName}. Il (elle) a bénéficié des consultations médicale, pharmaceutique et infirmière de primo-prescription. Un suivi téléphonique par l’infirmière de coordination est programmé ; vous trouverez ci-dessous les points de vigilance.`,
          ),
        );
      if (drug) bullets(doc, drug.watchFr);
    }
    if (kind === 'gp' || kind === 'pharmacist') {
      heading(doc, 'Interactions relevées');
      if (extras.interactions.length === 0) doc.text('Aucune interaction relevée dans la base de connaissances.');
      for (const f of extras.interactions) {
        doc
          .font('Helvetica-Bold')
          .text(pdfText(`${SEVERITY_FR[f.severity]} — ${f.withLabel}${f.item ? ` (${f.item})` : ''}`))
          .font('Helvetica')
          .text(pdfText(`${f.recommendation} (${f.source})`))
          .moveDown(0.2);
      }
    }
    if (kind === 'pharmacist') {
      heading(doc, 'Conciliation médicamenteuse');
      if (extras.reconciliation.length === 0) doc.text('Non renseignée.');
      bullets(
        doc,
        extras.reconciliation.map((r) => `${r.name}${r.dosage ? ` — ${r.dosage}` : ''} (${r.kind})`),
      );
      heading(doc, 'Plan de prise');
      doc.text(pdfText(extras.intakePlan ?? 'Non renseigné.'));
      line(
        doc,
        'Délivrance',
        s.dispensingChannel === 'community_pharmacy' ? 'pharmacie de ville' : 'rétrocession hospitalière',
      );
    }
    if (kind === 'nurse') {
      heading(doc, 'Éducation réalisée');
      bullets(doc, extras.nursingChecklist.length ? extras.nursingChecklist : ['Non renseignée']);
      heading(doc, 'Effets indésirables expliqués');
      bullets(doc, extras.sideEffectsExplained.length ? extras.sideEffectsExplained : ['Non renseignés']);
    }
    heading(doc, 'Contact à l’hôpital');
    doc.text(pdfText(extras.whoToCall ?? s.establishmentName));
  }, titles[kind]);
}
