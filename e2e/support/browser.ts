import { after, before } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startServer, type RunningServer } from './server.ts';

/** Debian's Chromium; no browser is ever downloaded. */
const CHROMIUM = process.env.PASSERELLE_E2E_CHROMIUM ?? '/usr/bin/chromium';

export const DEMO_PASSWORD = 'Passerelle-Demo-2026!';

/** Generous: the machine is small and shared, but every wait ends as soon as its condition holds. */
export const TIMEOUT_MS = 30_000;

export interface E2E {
  baseUrl: string;
  /** Where the server's outgoing mail lands (local SMTP sink). */
  mailDir: string;
  browser: Browser;
  /** A fresh browser context (own cookies and storage) with one page. */
  newPage(): Promise<{ context: BrowserContext; page: Page }>;
}

/**
 * Per test file: the server the runner started (PASSERELLE_E2E_BASE_URL), or one of its own when the
 * file runs alone, and a headless Chromium.
 */
export function useE2E(): E2E {
  let server: RunningServer | null = null;
  const state: E2E = {
    baseUrl: '',
    mailDir: '',
    browser: undefined as unknown as Browser,
    async newPage() {
      const context = await state.browser.newContext({
        baseURL: state.baseUrl,
        locale: 'fr-FR',
        timezoneId: 'Europe/Paris',
      });
      context.setDefaultTimeout(TIMEOUT_MS);
      const page = await context.newPage();
      return { context, page };
    },
  };
  before(async () => {
    if (process.env.PASSERELLE_E2E_BASE_URL) {
      state.baseUrl = process.env.PASSERELLE_E2E_BASE_URL;
      state.mailDir = process.env.PASSERELLE_E2E_MAIL_DIR ?? '';
    } else {
      server = await startServer();
      state.baseUrl = server.baseUrl;
      state.mailDir = server.mailDir;
    }
    state.browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });
  after(async () => {
    await state.browser?.close();
    await server?.stop();
  });
  return state;
}

/** Signs in through the login form and waits for the application shell. */
export async function logIn(page: Page, username: string, password: string = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByLabel(/^Identifiant/).fill(username);
  await page.getByLabel(/^Mot de passe/).fill(password);
  await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
}

/** Signs out through the user menu and waits for the login form. */
export async function logOut(page: Page, displayName: string | RegExp): Promise<void> {
  await page
    .getByRole('button', { name: typeof displayName === 'string' ? `Menu de ${displayName}` : displayName })
    .click();
  await page.getByRole('menuitem', { name: 'Se déconnecter' }).click();
  await page.getByRole('heading', { name: 'Connexion', level: 1 }).waitFor();
}
