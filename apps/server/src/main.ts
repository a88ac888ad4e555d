import { buildApp } from './app.ts';
import { loadConfig } from './core/config.ts';
import { openDatabase } from './core/db/index.ts';
import { migrate } from './core/db/migrator.ts';
import { createLogger } from './core/logger.ts';
import { smtpMailer } from './core/mailer.ts';
import { startRuntime } from './runtime.ts';

const config = loadConfig();
const log = createLogger(config.logLevel);
const database = await openDatabase({
  databaseUrl: config.databaseUrl,
  dataDir: config.dataDir,
  poolSize: config.dbPoolSize,
});
const migrations = await migrate(database);
log.info({ db: database.kind, applied: migrations.applied }, 'database ready');
const mailer = config.smtpUrl ? smtpMailer(config.smtpUrl, config.mailFrom) : undefined;
const runtime = await startRuntime({ config, database, mailer, log });
const app = await buildApp({ config, database, mailer, oidc: runtime.oidc });
await app.listen({ port: config.port, host: config.host });

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  // Stop accepting requests, let in-flight ones finish, then stop jobs and close the database.
  await app.close();
  await runtime.stop();
  await database.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
