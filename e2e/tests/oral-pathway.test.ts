import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { readMails } from '../support/mail-sink.ts';
import { logIn, useE2E } from '../support/browser.ts';

const e2e = useE2E();

const SURNAMES = ['Moreau', 'Laurent', 'Simon', 'Michel', 'Lefebvre', 'Leroy', 'Roux', 'David', 'Bertrand', 'Morel'];

interface PatientRow {
  id: string;
  birthName: string;
  usedName: string | null;
  firstNames: string;
  birthDate: string;
}

const todayIso = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
const todayFr = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris' }).format(new Date());
const frDate = (iso: string) => iso.split('-').reverse().join('/');

async function signedIn(username: string): Promise<Page> {
  const { page } = await e2e.newPage();
  await logIn(page, username);
  await page.getByRole('heading', { name: /^Bonjour, /, level: 1 }).waitFor();
  return page;
}

/** An adult the prescriber's hospital and the shared pharmacy both care for, not yet on the oral pathway. */
async function freshPatient(prescriber: Page, pharmacist: Page): Promise<PatientRow> {
  const board = (await (await prescriber.request.get('/api/v1/oral/treatments')).json()) as {
    items: { patient: { id: string } }[];
  };
  const taken = new Set(board.items.map((i) => i.patient.id));
  for (const surname of SURNAMES) {
    const response = await prescriber.request.get(`/api/v1/patients?q=${encodeURIComponent(surname)}&limit=25`);
    const { items } = (await response.json()) as { items: PatientRow[] };
    for (const p of items) {
      if (taken.has(p.id) || p.birthDate > '1990-01-01') continue;
      if ((await pharmacist.request.get(`/api/v1/patients/${p.id}`)).status() === 200) return p;
    }
  }
  assert.fail('no demo patient shared by the hospital and the shared pharmacy');
}

/** Waits for the mail the job queue delivers to the local SMTP sink. */
async function waitForMail(match: (text: string, to: string) => boolean) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const found = readMails(e2e.mailDir).find((m) => match(m.text, m.to));
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  assert.fail('the packet never reached the SMTP sink');
}

async function pickOption(page: Page, label: RegExp, option: string | RegExp) {
  await page.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option }).first().click();
}

test('oral pathway: three consultations on capecitabine with warfarin flagged, calendar PDF, packet mailed and acknowledged, patient-reported grade 3 diarrhoea handled', async () => {
  const prescriber = await signedIn('prescripteur');
  const pharmacist = await signedIn('pharmacien');
  const patient = await freshPatient(prescriber, pharmacist);
  const name = `${patient.usedName ?? patient.birthName} ${patient.firstNames}`;

  // Primo-prescription by the oncologist.
  await prescriber.goto('/oral');
  await prescriber.getByRole('link', { name: 'Nouvelle primo-prescription' }).click();
  await prescriber.getByLabel(/^Rechercher le patient/).fill(patient.birthName);
  await prescriber
    .getByText(`${patient.birthName} ${patient.firstNames} — ${frDate(patient.birthDate)}`)
    .locator('..')
    .getByRole('button', { name: 'Choisir ce patient' })
    .click();
  await prescriber.getByRole('combobox', { name: /^Médicament/ }).fill('capé');
  await prescriber.getByRole('option', { name: /capécitabine/ }).click();
  await prescriber.getByLabel(/^Dose par prise/).fill('1500');
  await prescriber.getByLabel(/^Début/).fill(todayFr);
  await prescriber.getByLabel(/^Indication/).fill('Adénocarcinome colique stade III, adjuvant');
  await prescriber.getByRole('button', { name: 'Enregistrer la prescription' }).click();
  await prescriber.waitForURL(/\/oral\/treatments\/[0-9a-f-]{36}$/);
  const treatmentUrl = new URL(prescriber.url()).pathname;
  await prescriber.getByRole('heading', { name: `capécitabine — ${name}` }).waitFor();
  await prescriber.getByRole('button', { name: 'Enregistrer la consultation médicale' }).click();
  await prescriber.getByText(/^Enregistrée par /).waitFor();

  // Pharmaceutical consultation: reconciliation with warfarin, flagged live and stored with its source.
  await pharmacist.goto(treatmentUrl);
  await pharmacist.getByLabel(/^Médicament, plante ou aliment/).fill('Warfarine 5 mg');
  await pharmacist.getByRole('button', { name: 'Ajouter à la liste' }).click();
  await pharmacist.getByText('Antivitamines K (warfarine, fluindione, acénocoumarol)').waitFor();
  await pharmacist.getByText('Précaution d’emploi').first().waitFor();
  await pharmacist
    .getByLabel(/^Plan de prise/)
    .fill('1 500 mg à 8 h et 20 h, dans les 30 minutes après le repas, J1 à J14');
  await pharmacist.getByRole('button', { name: 'Enregistrer la consultation pharmaceutique' }).click();
  const pharmaCard = pharmacist.getByLabel('Pharmaceutique', { exact: true });
  await pharmaCard.getByText(/^Enregistrée par /).waitFor();
  await pharmaCard.getByText(/Source : Xeloda SmPC/).waitFor();

  // Nursing consultation.
  const nurse = await signedIn('infirmiere');
  await nurse.goto(treatmentUrl);
  await nurse.getByLabel(/^Qui appeler/).fill('Infirmière de coordination, 8 h–18 h ; la nuit, le 15');
  await nurse.getByRole('button', { name: 'Enregistrer la consultation infirmière' }).click();
  await nurse
    .getByLabel('Infirmière', { exact: true })
    .getByText(/^Enregistrée par /)
    .waitFor();

  // The nurse coordinator: the board shows the three consultations; the calendar PDF downloads.
  const coordinator = await signedIn('ide-coordinatrice');
  await coordinator.goto(treatmentUrl);
  const [download] = await Promise.all([
    coordinator.waitForEvent('download'),
    coordinator.getByRole('link', { name: /^Plan et calendrier \(PDF\), version 1/ }).click(),
  ]);
  const pdf = fs.readFileSync((await download.path())!);
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  assert.ok(pdf.length > 2000);

  // The packet to the GP: queued, sent by the job worker to the local SMTP server, acknowledged by its link.
  await pickOption(coordinator, /^Destinataires/, /Yannick Bigot — Médecin généraliste/);
  await coordinator.keyboard.press('Escape');
  await coordinator.getByRole('button', { name: 'Envoyer par messagerie sécurisée' }).click();
  await coordinator.getByTestId('packet').filter({ hasText: 'Yannick Bigot' }).waitFor();
  const mail = await waitForMail(
    (text, to) =>
      to === 'yannick.bigot@medecin.mssante.fr' &&
      text.includes(`à partir du ${todayIso}`) &&
      text.includes('capécitabine'),
  );
  assert.equal(mail.pdfAttachments, 2);
  const ackPath = /\/accuse-reception#[A-Za-z0-9_-]+/.exec(mail.text)?.[0];
  assert.ok(ackPath, 'the mail carries an acknowledgement link');
  const { context: gpContext, page: gp } = await e2e.newPage();
  await gp.goto(ackPath);
  await gp.getByRole('button', { name: 'Confirmer la réception' }).click();
  await gp.getByText(/^Réception confirmée le /).waitFor();
  await gpContext.close();
  await coordinator.reload();
  await coordinator.getByTestId('packet').filter({ hasText: 'Accusé de réception' }).waitFor();

  // The patient's self-report link, opened without an account: grade 3 diarrhoea.
  await coordinator.getByRole('button', { name: 'Créer un lien (usage unique)' }).click();
  const link = (await coordinator.getByTestId('patient-link').textContent())!;
  const { context: patientContext, page: home } = await e2e.newPage();
  await home.goto(new URL(link).pathname + new URL(link).hash);
  await home.getByText('Traitement : capécitabine.', { exact: false }).waitFor();
  await pickOption(home, /^Diarrhée/, '7 selles ou plus de plus que d’habitude par jour, ou je ne peux pas me retenir');
  await home.getByRole('button', { name: 'Envoyer à l’équipe soignante' }).click();
  await home.getByText('Merci, vos réponses ont été transmises à l’équipe soignante.').waitFor();
  await home.getByText(/l’équipe va vous rappeler/).waitFor();
  await patientContext.close();

  // The alert reaches the follow-up worklist; the nurse coordinator handles it.
  await coordinator.goto('/oral/follow-up');
  const alert = coordinator.getByTestId('alert').filter({ hasText: name }).filter({ hasText: 'diarrhea G3' });
  await alert.waitFor();
  await alert
    .getByLabel(/^Conduite tenue/)
    .fill('Patiente rappelée : lopéramide, réhydratation, avis oncologue, suspension 48 h');
  await alert.getByRole('button', { name: 'Traiter' }).click();
  await alert.waitFor({ state: 'detached' });
  await coordinator.goto(treatmentUrl);
  await coordinator.getByText(/^Traitée par /).waitFor();

  // The oncologist holds the treatment for the toxicity, with the reason; the decision shows on the record.
  await prescriber.goto(treatmentUrl);
  await prescriber.getByLabel(/^Motif de la décision/).fill('Diarrhée grade 3 : suspension jusqu’à grade 1');
  await prescriber.getByRole('button', { name: 'Suspendre', exact: true }).click();
  await prescriber.getByText(/^Suspendu depuis le .* : Diarrhée grade 3 : suspension jusqu’à grade 1$/).waitFor();
  await prescriber.getByRole('button', { name: 'Reprendre', exact: true }).waitFor();

  for (const page of [prescriber, pharmacist, nurse, coordinator]) await page.context().close();
});
