import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './support/server.ts';

/**
 * Global set-up of the browser tests: one server (fresh data folder, demo loaded) for every test file,
 * then node:test runs the files one after the other against it, and the server stops.
 * Extra arguments select files: `npm run test:e2e -- tests/login.test.ts`.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const selected = process.argv.slice(2);
const files =
  selected.length > 0
    ? selected
    : fs
        .readdirSync(path.join(here, 'tests'))
        .filter((f) => f.endsWith('.test.ts'))
        .sort()
        .map((f) => path.join('tests', f));

const server = await startServer();
let code = 1;
try {
  code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], {
      cwd: here,
      env: { ...process.env, PASSERELLE_E2E_BASE_URL: server.baseUrl, PASSERELLE_E2E_MAIL_DIR: server.mailDir },
      stdio: 'inherit',
    });
    child.on('exit', (status, signal) => resolve(status ?? (signal ? 1 : 0)));
  });
} finally {
  await server.stop();
}
process.exit(code);
