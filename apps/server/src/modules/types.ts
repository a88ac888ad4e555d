import type { Kysely } from 'kysely';
import type { AuditBatcher } from '../core/audit-batch.ts';
import type { Clock } from '../core/clock.ts';
import type { Config } from '../core/config.ts';
import type { Database, DB } from '../core/db/index.ts';
import type { IdGenerator } from '../core/ids.ts';
import type { Mailer } from '../core/mailer.ts';

/**
 * Driver for an OpenID Connect provider (Pro Santé Connect in production, a local provider in tests).
 * `start` returns the provider URL to redirect to; `finish` exchanges the callback for verified claims.
 */
export interface OidcDriver {
  label: string;
  start(input: { redirectUri: string }): Promise<{ url: string; state: string; nonce: string; codeVerifier: string }>;
  finish(input: {
    callbackUrl: URL;
    redirectUri: string;
    state: string;
    nonce: string;
    codeVerifier: string;
  }): Promise<{ subject: string; claims: Record<string, unknown> }>;
}

/** What each feature module receives: a small explicit set, no service locator. */
export interface ModuleDeps {
  config: Config;
  database: Database;
  db: Kysely<DB>;
  /** Group commit of the audit events of reads (one per process). */
  auditBatcher: AuditBatcher;
  clock: Clock;
  ids: IdGenerator;
  mailer: Mailer | undefined;
  oidc: OidcDriver | undefined;
}
