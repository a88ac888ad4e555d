import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { logIn, useE2E } from '../support/browser.ts';

const e2e = useE2E();

const nav = (page: Page) => page.getByRole('navigation', { name: 'Navigation principale' });
const TITLE = 'Configuration de la médecine nucléaire';

async function pick(page: Page, field: ReturnType<Page['getByLabel']>, option: string) {
  await field.click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

test('the cooperation manager sees the department and adds a machine, a team member linked to an account and an exam type', async () => {
  const { context, page } = await e2e.newPage();
  const stamp = Date.now().toString(36);
  try {
    await logIn(page, 'manager');
    await page.getByRole('heading', { name: /^Bonjour, /, level: 1 }).waitFor();
    await nav(page).getByRole('link', { name: TITLE }).click();
    await page.getByRole('heading', { name: TITLE, level: 1 }).waitFor();

    // The demo's two partner sectors.
    const sectors = page.getByRole('table', { name: 'Secteurs partenaires du service' });
    await sectors.getByRole('cell', { name: 'Secteur hospitalier', exact: true }).waitFor();
    await sectors.getByRole('cell', { name: 'Secteur libéral', exact: true }).waitFor();

    // The demo's machines, then a new PET-CT.
    await page.getByRole('tab', { name: 'Machines' }).click();
    const machines = page.getByRole('table', { name: 'Machines du service' });
    await machines.getByRole('cell', { name: 'Gamma-caméra 1', exact: true }).waitFor();
    await machines.getByRole('cell', { name: 'TEP-TDM 2', exact: true }).waitFor();
    const machineName = `TEP-TDM essai ${stamp}`;
    const machineForm = page.getByRole('form', { name: 'Ajouter une machine' });
    await machineForm.getByLabel(/^Code/).fill(`T${stamp}`.slice(0, 20));
    await machineForm.getByLabel(/^Nom/).fill(machineName);
    await pick(page, machineForm.getByLabel(/^Type/).first(), 'TEP-TDM');
    await machineForm.getByLabel(/^Samedi/).check();
    await machineForm.getByRole('button', { name: 'Ajouter' }).click();
    await page.getByText(`« ${machineName} » ajouté.`).waitFor();
    const machineRow = machines.getByRole('row').filter({ hasText: machineName });
    await machineRow.waitFor();
    assert.match((await machineRow.textContent()) ?? '', /lun\. – sam\. · matin 08:00–13:00 · après-midi 13:30–18:30/);
    assert.equal(await machineForm.getByLabel(/^Nom/).inputValue(), '', 'the form is ready for the next machine');

    // A radiographer, linked to the account they sign in with (chosen among the cooperation's accounts).
    await page.getByRole('tab', { name: 'Équipe' }).click();
    const team = page.getByRole('table', { name: 'Membres de l’équipe du service' });
    const memberName = `Manipulateur essai ${stamp}`;
    const staffForm = page.getByRole('form', { name: 'Ajouter un membre de l’équipe' });
    await staffForm.getByLabel(/^Nom affiché/).fill(memberName);
    await pick(page, staffForm.getByLabel(/^Fonction/).first(), 'Manipulateur·rice');
    const account = staffForm.getByLabel(/^Compte utilisateur/).first();
    await account.click();
    await account.fill('arc');
    await page.getByRole('option', { name: /\(arc\)$/ }).click();
    await staffForm.getByRole('button', { name: 'Ajouter' }).click();
    await page.getByText(`« ${memberName} » ajouté.`).waitFor();
    await team.getByRole('row').filter({ hasText: memberName }).filter({ hasText: '(arc)' }).waitFor();

    // An exam type whose minimum exceeds its maximum is refused, and what was typed stays.
    await page.getByRole('tab', { name: 'Types d’examen' }).click();
    const exams = page.getByRole('table', { name: 'Types d’examen du service' });
    await exams.getByRole('cell', { name: 'TEP au ¹⁸F-FDG', exact: true }).waitFor();
    const examName = `TEP essai ${stamp}`;
    const examForm = page.getByRole('form', { name: 'Ajouter un type d’examen' });
    await examForm.getByLabel(/^Code(\s*\*)?$/).fill(`essai_${stamp}`);
    await examForm.getByLabel(/^Nom en français/).fill(examName);
    await examForm.getByLabel(/^Nom en anglais/).fill(`Test PET ${stamp}`);
    await examForm.getByLabel(/^Radiopharmaceutique/).fill('¹⁸F-choline');
    await examForm.getByLabel(/^Activité par kilo/).fill('3');
    await examForm.getByLabel(/^Activité minimale/).fill('500');
    await examForm.getByLabel(/^Activité maximale/).fill('200');
    await examForm.getByLabel(/^Code CCAM/).fill('zzql016');
    await examForm.getByRole('button', { name: 'Ajouter' }).click();
    await examForm
      .getByRole('alert')
      .filter({ hasText: 'Certaines informations sont invalides ou manquantes.' })
      .waitFor();
    await examForm.getByRole('alert').filter({ hasText: 'maxMBq' }).waitFor();
    assert.equal(await examForm.getByLabel(/^Nom en français/).inputValue(), examName);
    assert.equal(await examForm.getByLabel(/^Activité minimale/).inputValue(), '500');
    assert.equal(await examForm.getByLabel(/^Activité maximale/).inputValue(), '200');
    assert.equal(await examForm.getByLabel(/^Code CCAM/).inputValue(), 'ZZQL016');
    assert.equal(await exams.getByRole('row').filter({ hasText: examName }).count(), 0);

    // Corrected, it is added.
    await examForm.getByLabel(/^Activité maximale/).fill('600');
    await examForm.getByRole('button', { name: 'Ajouter' }).click();
    await page.getByText(`« ${examName} » ajouté.`).waitFor();
    const examRow = exams.getByRole('row').filter({ hasText: examName });
    await examRow.waitFor();
    assert.match((await examRow.textContent()) ?? '', /3 MBq\/kg/);
    assert.match((await examRow.textContent()) ?? '', /500 – 600 MBq/);
    assert.equal(await examForm.getByRole('alert').count(), 0);

    // What the API now lists, as the booking page will read it.
    const department = (await (await page.request.get('/api/v1/nuclear-medicine/department')).json()) as {
      equipment: { name: string; type: string; opening: { weekdays: number[] } }[];
      examTypes: { nameFr: string; minMBq: number; maxMBq: number }[];
    };
    const machine = department.equipment.find((e) => e.name === machineName);
    assert.equal(machine?.type, 'pet_ct');
    assert.deepEqual(machine?.opening.weekdays, [1, 2, 3, 4, 5, 6]);
    const exam = department.examTypes.find((x) => x.nameFr === examName);
    assert.deepEqual([exam?.minMBq, exam?.maxMBq], [500, 600]);
  } finally {
    await context.close();
  }
});

test('a role without nm:configure has no entry and is refused the page', async () => {
  const { context, page } = await e2e.newPage();
  try {
    await logIn(page, 'medecin-nucleaire');
    await page.getByRole('heading', { name: /^Bonjour, /, level: 1 }).waitFor();
    await nav(page).getByRole('link', { name: 'Vacations de médecine nucléaire' }).waitFor();
    assert.equal(await nav(page).getByRole('link', { name: TITLE }).count(), 0);
    await page.goto('/nuclear-medicine/configuration');
    await page.getByRole('alert').filter({ hasText: 'Accès non autorisé' }).waitFor();
    assert.equal(await page.getByRole('heading', { name: TITLE, level: 1 }).count(), 0);
  } finally {
    await context.close();
  }
});
