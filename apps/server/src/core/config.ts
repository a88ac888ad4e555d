import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().url().optional(),
  /** PostgreSQL connections per pool (two pools: system work and requests under row-level security). */
  PASSERELLE_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  PASSERELLE_DATA_DIR: z.string().default('./data'),
  PASSERELLE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Load the demo cooperation into an empty database at start. */
  PASSERELLE_DEMO: bool.default(true),
  /** Public URL of the app, used for OIDC redirects and links in mails. */
  PASSERELLE_PUBLIC_URL: z.string().url().optional(),
  /** Mark cookies Secure; on by default when the public URL is https. */
  PASSERELLE_SECURE_COOKIES: bool.optional(),
  PASSERELLE_SESSION_TTL_MINUTES: z.coerce
    .number()
    .int()
    .positive()
    .default(12 * 60),
  PASSERELLE_SESSION_IDLE_MINUTES: z.coerce.number().int().positive().default(60),
  /** How long a server reuses a session it resolved (kept right by database announcements); 0 turns it off. */
  PASSERELLE_SESSION_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
  PASSERELLE_SMTP_URL: z.string().optional(),
  PASSERELLE_MAIL_FROM: z.string().default('passerelle@localhost'),
  PASSERELLE_OIDC_ISSUER: z.string().url().optional(),
  PASSERELLE_OIDC_CLIENT_ID: z.string().optional(),
  PASSERELLE_OIDC_CLIENT_SECRET: z.string().optional(),
  PASSERELLE_OIDC_SCOPE: z.string().default('openid profile'),
  PASSERELLE_OIDC_LABEL: z.string().default('Pro Santé Connect'),
  PASSERELLE_WEB_DIST: z.string().optional(),
  PASSERELLE_JOBS: bool.default(true),
});

export type Config = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dbPoolSize: number;
  dataDir: string;
  logLevel: z.infer<typeof ConfigSchema>['PASSERELLE_LOG_LEVEL'];
  demo: boolean;
  publicUrl: string;
  secureCookies: boolean;
  sessionTtlMinutes: number;
  sessionIdleMinutes: number;
  sessionCacheSeconds: number;
  smtpUrl: string | undefined;
  mailFrom: string;
  oidc:
    { issuer: string; clientId: string; clientSecret: string | undefined; scope: string; label: string } | undefined;
  webDist: string | undefined;
  jobs: boolean;
};

/** Parses the environment once at boot; nothing else in the server reads `process.env`. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${issues}`);
  }
  const e = parsed.data;
  const publicUrl = e.PASSERELLE_PUBLIC_URL ?? `http://localhost:${e.PORT}`;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dbPoolSize: e.PASSERELLE_DB_POOL_SIZE,
    dataDir: path.resolve(e.PASSERELLE_DATA_DIR),
    logLevel: e.PASSERELLE_LOG_LEVEL,
    demo: e.PASSERELLE_DEMO,
    publicUrl,
    secureCookies: e.PASSERELLE_SECURE_COOKIES ?? publicUrl.startsWith('https:'),
    sessionTtlMinutes: e.PASSERELLE_SESSION_TTL_MINUTES,
    sessionIdleMinutes: e.PASSERELLE_SESSION_IDLE_MINUTES,
    sessionCacheSeconds: e.PASSERELLE_SESSION_CACHE_SECONDS,
    smtpUrl: e.PASSERELLE_SMTP_URL,
    mailFrom: e.PASSERELLE_MAIL_FROM,
    oidc:
      e.PASSERELLE_OIDC_ISSUER && e.PASSERELLE_OIDC_CLIENT_ID
        ? {
            issuer: e.PASSERELLE_OIDC_ISSUER,
            clientId: e.PASSERELLE_OIDC_CLIENT_ID,
            clientSecret: e.PASSERELLE_OIDC_CLIENT_SECRET,
            scope: e.PASSERELLE_OIDC_SCOPE,
            label: e.PASSERELLE_OIDC_LABEL,
          }
        : undefined,
    webDist: e.PASSERELLE_WEB_DIST,
    jobs: e.PASSERELLE_JOBS,
  };
}
