import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { logIn, useE2E } from '../support/browser.ts';

const e2e = useE2E();

const nav = (page: Page) => page.getByRole('navigation', { name: 'Navigation principale' });

interface PlanDraw {
  source: 'reliquat' | 'new_vial';
  presentationId: string;
  lot: string | null;
  vialCount: number;
}

interface SheetDto {
  plan: { draws: PlanDraw[] };
  presentationGtins: Record<string, string>;
}

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

/** YYMMDD a year from now: an unexpired vial. */
function futureExpiry(): string {
  const d = new Date(Date.now() + 365 * 86_400_000);
  return `${String(d.getUTCFullYear()).slice(2)}${String(d.getUTCMonth() + 1).padStart(2, '0')}28`;
}

/**
 * What a keyboard-wedge scanner sends for a vial's GS1 DataMatrix: the symbology identifier, the fixed-length
 * GTIN and expiry, the lot, FNC1 as GS (the scanner's Ctrl+]), the serial, then Enter.
 */
async function scanVial(page: Page, gtin: string, lot: string, serial: string): Promise<void> {
  const field = page.getByLabel('Code DataMatrix du flacon');
  await field.click();
  await field.pressSequentially(`]d201${gtin}17${futureExpiry()}10${lot}`);
  await field.press('Control+BracketRight');
  await field.pressSequentially(`21${serial}`);
  await field.press('Enter');
}

test('a day of the shared pharmacy: compound, weigh, label, release, dispatch, receive, administer, then recall', async () => {
  // The production board stays open in its own browser for the whole test: it must follow every change live.
  const board = await e2e.newPage();
  await logIn(board.page, 'preparateur');
  await board.page.getByRole('heading', { name: /^Bonjour, /, level: 1 }).waitFor();
  await nav(board.page).getByRole('link', { name: 'Production', exact: true }).click();
  await board.page.getByRole('heading', { name: 'Production du jour', level: 1 }).waitFor();
  await board.page.getByRole('status').filter({ hasText: 'En direct' }).waitFor();
  const boardTable = board.page.getByRole('table', { name: 'Préparations du jour' });

  // A preparation of today for the day hospital of the CH (where the demo nurse works), ready to compound.
  const candidate = boardTable
    .getByRole('row')
    .filter({ hasText: 'CH Montrivière' })
    .filter({ hasText: 'Prête à préparer' })
    .first();
  await candidate.waitFor();
  const link = candidate.getByRole('link').first();
  const patientName = (await link.textContent())!.trim();
  const href = (await link.getAttribute('href'))!;
  const preparationId = href.split('/').at(-1)!;
  // The row of that preparation (the patient may have several today).
  const patientRow = boardTable.getByRole('row').filter({ has: board.page.locator(`a[href="${href}"]`) });

  const lot = await withUser('preparateur', async (page) => {
    await nav(page).getByRole('link', { name: 'Production', exact: true }).click();
    await page.locator(`a[href="${href}"]`).click();
    await page.waitForURL(new RegExp(`/pharmacy/preparations/${preparationId}$`));
    const id = preparationId;

    // Fabrication sheet, previewed before the start, printable as a PDF.
    await page.getByRole('heading', { name: 'Fiche de fabrication' }).waitFor();
    await page.getByRole('table', { name: 'Prélèvements prévus' }).getByRole('row').nth(1).waitFor();
    const pdfHref = await page.getByRole('link', { name: 'Fiche PDF' }).getAttribute('href');
    const pdf = await page.request.get(pdfHref!);
    assert.equal(pdf.status(), 200);
    assert.match(pdf.headers()['content-type'] ?? '', /application\/pdf/);
    assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-');

    // Start in an isolator.
    await page.getByRole('heading', { name: 'Démarrer la préparation' }).waitFor();
    await page.getByRole('radio', { name: /^ISO-1/ }).click();
    await page.getByRole('button', { name: 'Démarrer dans cet isolateur' }).click();
    await page.getByRole('heading', { name: 'Scanner chaque flacon' }).waitFor();
    await patientRow.getByText('En préparation').waitFor(); // live on the board, never reloaded

    // The vials the plan needs, as their DataMatrix codes carry them (GTIN = 0 + CIP13).
    const sheet = (await (
      await page.request.get(`/api/v1/pharmacy/compounding/preparations/${id}/fabrication-sheet`)
    ).json()) as SheetDto;
    const draws = sheet.plan.draws;
    assert.ok(draws.length > 0, 'the plan has draws');
    const firstGtin = sheet.presentationGtins[draws[0]!.presentationId]!;
    const usedLot = draws[0]!.lot ?? 'DEMO-LOT-1';

    // A mistyped code (check digit wrong) is blocked with its reason, and recorded.
    const wrongGtin = firstGtin.slice(0, 13) + String((Number(firstGtin.at(-1)) + 1) % 10);
    await scanVial(page, wrongGtin, usedLot, 'BAD0001');
    await page.getByRole('alert').filter({ hasText: 'la clé de contrôle ne correspond pas' }).waitFor();
    await page.getByRole('table', { name: 'Flacons scannés' }).getByText('Bloqué', { exact: true }).waitFor();

    // The vials still to scan, as the server counts them; each carries the lot of the draw it serves (an opened
    // vial keeps its own lot), so that the recall of the first draw's lot finds this preparation.
    const detail = (await (await page.request.get(`/api/v1/pharmacy/compounding/preparations/${id}`)).json()) as {
      progress: { scansMissing: { presentationId: string; count: number }[] };
    };
    const lotsToScan = draws.flatMap((d) => Array.from({ length: d.vialCount }, () => d.lot ?? usedLot));
    const lotFor = (presentationId: string, nth: number) =>
      draws
        .filter((d) => d.presentationId === presentationId)
        .flatMap((d) => Array.from({ length: d.vialCount }, () => d.lot ?? usedLot))[nth] ?? usedLot;
    const accepted = page.getByRole('table', { name: 'Flacons scannés' }).getByText('Accepté', { exact: true });
    const toScan = detail.progress.scansMissing.flatMap((m) =>
      Array.from({ length: m.count }, (_, nth) => ({
        presentationId: m.presentationId,
        lot: lotFor(m.presentationId, nth),
      })),
    );
    assert.ok(toScan.length > 0, 'vials to scan');
    assert.equal(toScan.length, lotsToScan.length, 'one scan per vial of the plan');
    for (const [i, { presentationId, lot }] of toScan.entries()) {
      await scanVial(page, sheet.presentationGtins[presentationId]!, lot, `SN${Date.now()}${i}`);
      // One more accepted row (rows only get added); after the last vial the weighing step opens.
      if (i < toScan.length - 1) await accepted.nth(i).waitFor();
    }
    await page.getByRole('heading', { name: 'Contrôle gravimétrique' }).waitFor();

    // The first draw is weighed far off: blocked until weighed again; then the connected (simulated) balance.
    const first = page.getByRole('region', { name: /^Prélèvement 1 / });
    await first.getByLabel('Masse mesurée (g)').fill('0,5');
    await first.getByRole('button', { name: 'Enregistrer la masse' }).click();
    await first.getByText('Hors tolérance', { exact: true }).waitFor();
    await first.getByText('Pesée hors tolérance : l’étape est bloquée').waitFor();
    await first.getByRole('button', { name: 'Lire la balance' }).click();
    await first.getByText('Conforme', { exact: true }).waitFor();
    for (let i = 2; i <= draws.length; i++) {
      const region = page.getByRole('region', { name: new RegExp(`^Prélèvement ${i} `) });
      await region.getByRole('button', { name: 'Lire la balance' }).click();
      await region.getByText('Conforme', { exact: true }).waitFor();
    }
    const finished = page.getByRole('region', { name: /^Produit fini/ });
    await finished.getByRole('button', { name: 'Lire la balance' }).click();
    // Accepted: every check is done, the screen moves on to the completion step.
    await page.getByRole('heading', { name: 'Terminer la préparation' }).waitFor();

    await page.getByRole('button', { name: 'Terminer la préparation' }).click();
    await page.getByRole('heading', { name: 'Double contrôle' }).waitFor();
    await patientRow.getByText('Préparée', { exact: true }).waitFor();
    return usedLot;
  });

  await withUser('pharmacien', async (page) => {
    await page.goto(`/pharmacy/preparations/${preparationId}`);
    await page.getByRole('button', { name: 'Valider le double contrôle' }).click();
    await page.getByRole('heading', { name: 'Étiquette', exact: true }).waitFor();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Étiquette PDF' }).click();
    const file = await (await download).createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of file) chunks.push(chunk as Buffer);
    assert.equal(Buffer.concat(chunks).subarray(0, 5).toString(), '%PDF-');
    await page.getByRole('heading', { name: 'Libération pharmaceutique' }).waitFor();
    await page.getByRole('button', { name: 'Libérer la préparation' }).click();
    await page.getByRole('heading', { name: 'Acheminement et administration' }).waitFor();
  });
  await patientRow.getByText('Libérée', { exact: true }).waitFor();

  await withUser('preparateur', async (page) => {
    await nav(page).getByRole('link', { name: 'Expédition' }).click();
    const group = page.getByRole('region', { name: /^Expédition vers .*CH Montrivière/ }).filter({
      has: page.getByText(patientName),
    });
    await group.getByLabel(/^Transporteur/).fill('Navette interne');
    await group.getByRole('button', { name: 'Expédier' }).click();
    await page.getByText(/^Bon de livraison BL-\d{8}-\d+ émis\.$/).waitFor();
  });
  await patientRow.getByText('Expédiée', { exact: true }).waitFor();

  await withUser('infirmiere', async (page) => {
    await nav(page).getByRole('link', { name: 'Réception des préparations' }).click();
    // The unit sees the preparation coming, with its delivery note, before the box arrives.
    const expected = page
      .getByRole('table', { name: 'Préparations attendues ou reçues, non administrées' })
      .getByRole('row')
      .filter({ hasText: patientName });
    await expected.getByText('Expédiée', { exact: true }).waitFor();
    await expected.getByText(/^BL-\d{8}-\d+$/).waitFor();
    // The label's DataMatrix as a scanner sends it: FNC1 (GS1), AI 91, the preparation id.
    const field = page.getByLabel('Étiquette de la préparation');
    await field.fill(`]d291${preparationId}`);
    await field.press('Enter');
    const card = page.getByRole('region', { name: patientName });
    await card.getByText('Reçue', { exact: true }).waitFor();
    await card.getByRole('button', { name: 'Confirmer l’administration' }).click();
    await card.getByText('Administrée', { exact: true }).waitFor();
    // Administered: no longer expected nor held by the unit.
    await expected.waitFor({ state: 'detached' });
  });
  await patientRow.getByText('Administrée', { exact: true }).waitFor();
  await board.context.close();

  // Recall of the lot used: the patient is found.
  await withUser('pharmacien', async (page) => {
    await nav(page).getByRole('link', { name: 'Traçabilité et rappels' }).click();
    await page.getByLabel(/^Numéro de lot/).fill(lot);
    await page.getByRole('button', { name: 'Rechercher' }).click();
    const results = page.getByRole('table', { name: 'Préparations ayant reçu le lot' });
    await results.getByRole('row').filter({ hasText: patientName }).waitFor();
    const csvHref = await page.getByRole('link', { name: 'Exporter (CSV)' }).getAttribute('href');
    const csv = await page.request.get(csvHref!);
    assert.equal(csv.status(), 200);
    assert.match(await csv.text(), new RegExp(lot));
  });
});

test('the cooperation manager reads the activity per month and client, and exports it', async () => {
  await withUser('manager', async (page) => {
    await nav(page).getByRole('link', { name: 'Activité pharmacie' }).click();
    await page.getByRole('heading', { name: 'Activité de la pharmacie', level: 1 }).waitFor();
    const table = page.getByRole('table', { name: 'Activité par mois et par client' });
    // Two months of demo history: rows per month and client, and a total.
    await table.getByRole('row').nth(1).waitFor();
    await table.getByRole('rowheader', { name: 'Total' }).waitFor();
    const href = await page.getByRole('link', { name: 'Exporter (CSV)' }).getAttribute('href');
    const csv = await page.request.get(href!);
    assert.equal(csv.status(), 200);
    assert.match(csv.headers()['content-type'] ?? '', /text\/csv/);
    assert.ok((await csv.text()).split('\n').length > 2, 'a header and rows');
  });
});
