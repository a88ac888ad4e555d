import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { logIn, useE2E } from '../support/browser.ts';

const e2e = useE2E();

const nav = (page: Page) => page.getByRole('navigation', { name: 'Navigation principale' });

async function withUser<T>(username: string, run: (page: Page) => Promise<T>): Promise<T> {
  const { context, page } = await e2e.newPage();
  try {
    await logIn(page, username);
    await page.getByRole('heading', { name: /^Bonjour, /, level: 1 }).waitFor();
    return await run(page);
  } finally {
    await context.close();
  }
}

test('the pharmacist reads the day’s plan per isolator, places a preparation by hand after seeing its cost, and sees the next-day proposal', async () => {
  await withUser('pharmacien', async (page) => {
    await nav(page).getByRole('link', { name: 'Planification de la production' }).click();
    await page.getByRole('heading', { name: 'Planification de la production', level: 1 }).waitFor();

    // The demo's isolators, each with its sequence: start, ready time, predicted lateness.
    const sequence = page.getByRole('table', { name: /^Séquence de ISO-/ }).first();
    await sequence.waitFor();
    const rows = sequence.getByRole('row');
    assert.ok((await rows.count()) > 1, 'the first isolator has preparations planned');
    const first = rows.nth(1);
    assert.match((await first.textContent()) ?? '', /\d{2}:\d{2}/);
    assert.match((await first.textContent()) ?? '', /À l’heure|\+\d+ min/);

    // Place it by hand: the cost is shown before anything is saved.
    await first.getByRole('button', { name: 'Placer' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Motif').fill('Patiente déjà installée en fauteuil');
    await dialog.getByRole('button', { name: 'Voir ce que cela coûte' }).click();
    await dialog.getByText('Effet sur le plan').waitFor();
    await dialog.getByRole('button', { name: 'Confirmer' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Placée à la main').first().waitFor();

    // The shifts of the day, as the demo posted them.
    await page.getByRole('tab', { name: 'Préparateurs postés' }).click();
    const shifts = page.getByRole('table', { name: 'Préparateurs postés' });
    await shifts.waitFor();
    assert.ok((await shifts.getByRole('row').count()) > 1);

    // Tomorrow's anticipation proposal, computed on demand.
    await page.getByRole('tab', { name: 'Anticipation du lendemain' }).click();
    await page.getByRole('button', { name: 'Calculer maintenant' }).click();
    await page.getByText(/à anticiper sur \d+ possibles/).waitFor();
  });
});

test('a technician reads the plan but cannot change it', async () => {
  await withUser('preparateur', async (page) => {
    await page.goto('/pharmacy/planning');
    await page
      .getByRole('table', { name: /^Séquence de ISO-/ })
      .first()
      .waitFor();
    assert.equal(await page.getByRole('button', { name: 'Placer' }).count(), 0);
  });
});
