import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMailSink } from './mail-sink.ts';

/** The repository root: the server is started from there, as `npm start` does. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WEB_DIR = path.join(REPO_ROOT, 'apps/web');
const WEB_INDEX = path.join(WEB_DIR, 'dist/index.html');

/** Loading the demo (about 2,000 patients) on an empty embedded database takes a while on 2 cores. */
const READY_TIMEOUT_MS = 10 * 60_000;
const STOP_TIMEOUT_MS = 20_000;

export interface RunningServer {
  baseUrl: string;
  /** Folder where the local SMTP sink writes every mail the server sends (see mail-sink.ts). */
  mailDir: string;
  stop(): Promise<void>;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Builds the web app when `dist` is missing or older than its sources (or the shared contracts), so the
 * browser never tests a stale bundle.
 */
export function ensureWebBuild(): void {
  const sources = Math.max(
    newestMtime(path.join(WEB_DIR, 'src')),
    newestMtime(path.join(REPO_ROOT, 'packages/contracts/src')),
    fs.statSync(path.join(WEB_DIR, 'index.html')).mtimeMs,
  );
  if (fs.existsSync(WEB_INDEX) && fs.statSync(WEB_INDEX).mtimeMs >= sources) return;
  const result = spawnSync('npm', ['run', 'build', '-w', '@passerelle/web'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('Building the web app failed');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/**
 * Polls `/readyz` until the server answers 200. Each poll is a real request that either succeeds or
 * fails fast; the wait ends on readiness, on the process exiting, or at the overall timeout.
 */
async function waitUntilReady(baseUrl: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let gone = false;
  void exited(child).then(() => (gone = true));
  while (Date.now() < deadline) {
    if (gone) throw new Error(`The server exited before being ready:\n${output()}`);
    try {
      const response = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`The server was not ready after ${READY_TIMEOUT_MS / 1000} s:\n${output()}`);
}

/**
 * Starts the real server (`apps/server/src/main.ts`) on a free port with a fresh embedded database in a
 * temporary folder: the demo cooperation loads on the empty database; background jobs run, and outgoing
 * mail goes to a local SMTP sink whose folder is returned as `mailDir`.
 */
export async function startServer(): Promise<RunningServer> {
  ensureWebBuild();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'passerelle-e2e-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  // Outgoing mail (oral pathway packets) goes to a local SMTP sink the tests read.
  const mail = await startMailSink();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    PASSERELLE_DATA_DIR: dataDir,
    // The job worker runs so that queued mail (oral pathway packets) reaches the sink.
    PASSERELLE_JOBS: 'true',
    PASSERELLE_DEMO: 'true',
    PASSERELLE_PUBLIC_URL: baseUrl,
    PASSERELLE_LOG_LEVEL: 'warn',
    PASSERELLE_SMTP_URL: mail.url,
    PASSERELLE_MAIL_FROM: 'passerelle@e2e.test',
  };
  // The browser tests always run on the embedded database, whatever the shell points at.
  delete env.DATABASE_URL;
  delete env.PASSERELLE_WEB_DIST;
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited(child);
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
    await mail.stop();
  };

  try {
    await waitUntilReady(baseUrl, child, () => log);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, mailDir: mail.dir, stop };
}
