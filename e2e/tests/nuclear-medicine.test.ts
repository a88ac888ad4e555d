import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { logIn, useE2E } from '../support/browser.ts';

const e2e = useE2E();

/** Common French surnames: the demo's patients are drawn from them. */
const SURNAMES = ['Martin', 'Bernard', 'Thomas', 'Petit', 'Robert', 'Richard', 'Durand', 'Dubois', 'Moreau', 'Laurent'];

interface PatientRow {
  id: string;
  birthName: string;
  firstNames: string;
  birthDate: string;
}
interface Department {
  mySectorId: string | null;
  equipment: { id: string; name: string; type: string }[];
}
interface Planning {
  sessions: { id: string; equipmentId: string; date: string; halfDay: string; sectorId: string }[];
}

const nav = (page: Page) => page.getByRole('navigation', { name: 'Navigation principale' });
const frDate = (iso: string) => iso.split('-').reverse().join('/');

/** Patients in the department's care (the physician acts for the shared centre), distinct by name. */
async function patientsInCare(page: Page, wanted: number): Promise<PatientRow[]> {
  const found: PatientRow[] = [];
  for (const surname of SURNAMES) {
    const response = await page.request.get(`/api/v1/patients?q=${encodeURIComponent(surname)}&limit=25`);
    const { items } = (await response.json()) as { items: PatientRow[] };
    for (const p of items) {
      if (!found.some((f) => f.birthName === p.birthName && f.firstNames === p.firstNames)) found.push(p);
      if (found.length >= wanted) return found;
    }
  }
  assert.fail('not enough demo patients in the department’s care');
}

async function pick(page: Page, label: RegExp, option: RegExp | string) {
  await page.getByLabel(label).first().click();
  await page.getByRole('option', { name: option }).first().click();
}

test('plan next month, book a PET day, print its FDG order, record an act and see the counter move', async () => {
  const { context, page } = await e2e.newPage();
  try {
    await page.addInitScript(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => {
        (window as unknown as { printed: number }).printed += 1;
      };
    });
    await logIn(page, 'medecin-nucleaire');
    await page.getByRole('heading', { name: /^Bonjour, /, level: 1 }).waitFor();

    // 1. Next month's sessions: the fair-share proposal, accepted.
    await nav(page).getByRole('link', { name: 'Vacations de médecine nucléaire' }).click();
    await page.getByRole('heading', { name: 'Vacations de médecine nucléaire', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Calculer la proposition' }).click();
    const proposal = page.getByRole('table', { name: /^Proposition pour / });
    await proposal.getByRole('cell', { name: 'TEP-TDM', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Accepter la proposition' }).click();
    await page.getByText(/^\d+ vacations enregistrées\.$/).waitFor();
    const grid = page.getByRole('table', { name: 'Grille des vacations' });
    await grid.getByRole('button').first().waitFor();

    // A PET-CT morning of next month in the physician's own sector.
    const department = (await (await page.request.get('/api/v1/nuclear-medicine/department')).json()) as Department;
    const now = new Date();
    const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString().slice(0, 7);
    const planning = (await (
      await page.request.get(`/api/v1/nuclear-medicine/planning?from=${next}-01&to=${next}-28`)
    ).json()) as Planning;
    const pet = new Set(department.equipment.filter((e) => e.type === 'pet_ct').map((e) => e.id));
    const session = planning.sessions.find(
      (s) => pet.has(s.equipmentId) && s.halfDay === 'am' && s.sectorId === department.mySectorId,
    );
    assert.ok(session, 'the proposal gives the hospital sector PET-CT mornings');
    const machine = department.equipment.find((e) => e.id === session.equipmentId)!.name;

    // 2. Book two FDG PET patients that morning, the second diabetic.
    const [first, second] = await patientsInCare(page, 2);
    await nav(page).getByRole('link', { name: 'Rendez-vous de médecine nucléaire' }).click();
    await page.getByRole('heading', { name: 'Rendez-vous de médecine nucléaire', level: 1 }).waitFor();
    await page.getByLabel(/^Date/).first().fill(frDate(session.date));
    for (const [patient, time, diabetic] of [
      [first!, '08:00', false],
      [second!, '08:25', true],
    ] as const) {
      await pick(page, /^Vacation/, new RegExp(`^${machine} · Matin`));
      await page.getByLabel(/^Rechercher le patient/).fill(`${patient.birthName} ${patient.firstNames}`);
      await pick(page, /^Patient/, new RegExp(`${patient.birthName}.*\\(${frDate(patient.birthDate)}\\)`, 'i'));
      await pick(page, /^Examen/, 'TEP au ¹⁸F-FDG');
      await page.getByLabel(/^Heure d’injection/).fill(time);
      await page.getByLabel(/^Poids/).fill(diabetic ? '92' : '71');
      const box = page.getByRole('checkbox', { name: 'Diabétique' });
      if ((await box.isChecked()) !== diabetic) await box.click();
      await page.getByRole('button', { name: 'Réserver', exact: true }).click();
      await page.getByText(`Examen réservé à ${time}`, { exact: false }).waitFor();
    }
    const bookings = page.getByRole('table', { name: `${machine} Matin` });
    await bookings.getByRole('row').filter({ hasText: second!.birthName }).getByText('Diabétique').waitFor();

    // 3. The FDG ordering sheet: a delivery before the first injection, ordered, and printed.
    await nav(page).getByRole('link', { name: 'Commande de FDG' }).click();
    await page.getByLabel(/^Date/).first().fill(frDate(session.date));
    await page.getByRole('heading', { name: `Feuille de commande de ¹⁸F-FDG du ${frDate(session.date)}` }).waitFor();
    await page.getByLabel(/^Heures de calibration/).fill('08:15');
    await page.getByRole('button', { name: 'Commander' }).click();
    await page.getByText(/calibrée après une injection/).waitFor();
    await page.getByLabel(/^Heures de calibration/).fill('07:30');
    await page.getByRole('button', { name: 'Commander' }).click();
    await page.getByText('Livraisons commandées.').waitFor();
    const total = await page.getByTestId('pet-total').textContent();
    assert.match(total ?? '', /^Total à commander : [\d  ]+ MBq$/);
    // The delivery as received, and what was left at the end of the day.
    await page.getByLabel('Reçu (07:30)').fill('1500');
    await page.getByLabel('Déchet (MBq)').fill('40');
    await page.getByRole('table', { name: 'Livraisons' }).getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('1 500 MBq · déchet 40 MBq').waitFor();
    await page.getByRole('button', { name: 'Imprimer la feuille' }).click();
    assert.equal(await page.evaluate(() => (window as unknown as { printed: number }).printed), 1);
    await page.emulateMedia({ media: 'print' });
    assert.equal(await nav(page).isVisible(), false, 'the printed sheet leaves the navigation out');
    await page.getByRole('table', { name: 'Doses de la journée' }).waitFor();
    await page.emulateMedia({ media: 'screen' });

    // 4. The counter before, the act recorded, the counter after.
    await nav(page).getByRole('link', { name: 'Compteur d’activité' }).click();
    const acts = page.getByTestId('acts-public');
    await acts.waitFor();
    const before = Number(await acts.textContent());

    await nav(page).getByRole('link', { name: 'Rendez-vous de médecine nucléaire' }).click();
    await page.getByLabel(/^Date/).first().fill(frDate(session.date));
    await bookings.getByRole('button', { name: 'Enregistrer l’examen de 08:00 (', exact: false }).click();
    const dialog = page.getByRole('dialog', { name: 'Enregistrer l’examen réalisé' });
    await dialog.getByLabel(/^Activité injectée/).fill('9999');
    await dialog.getByRole('button', { name: 'Enregistrer l’acte' }).click();
    await dialog.getByText('Activité en dehors des limites de l’examen', { exact: false }).waitFor();
    await dialog.getByLabel(/^Activité injectée/).fill('212');
    await dialog.getByRole('button', { name: 'Enregistrer l’acte' }).click();
    await page.getByText(/^Examen enregistré ; acte valorisé 400 €\.$/).waitFor();

    await nav(page).getByRole('link', { name: 'Compteur d’activité' }).click();
    await page
      .getByTestId('acts-public')
      .filter({ hasText: String(before + 1) })
      .waitFor();
  } finally {
    await context.close();
  }
});
