import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './index.ts';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations');

// Arbitrary constant: every Passerelle process migrating the same database takes this lock, so two
// app servers starting together apply each migration exactly once.
const MIGRATION_LOCK_KEY = 7_204_117_301;

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

function readMigrations(dir: string): MigrationFile[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((name) => {
      const text = fs.readFileSync(path.join(dir, name), 'utf8');
      return { name, sql: text, checksum: createHash('sha256').update(text).digest('hex') };
    });
}

/**
 * Applies pending forward-only migrations, each in its own transaction, under a session-level
 * advisory lock. A migration already applied whose file has changed is an error: landed migrations
 * are never edited, a new one is added instead.
 */
export async function migrate(database: Database, dir = MIGRATIONS_DIR): Promise<MigrationResult> {
  const files = readMigrations(dir);
  const session = await database.rawSession();
  try {
    await session.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await session.exec(`create table if not exists schema_migrations (
        name text primary key,
        checksum text not null,
        applied_at timestamptz not null default now()
      )`);
      const done = await session.query<{ name: string; checksum: string }>(
        'select name, checksum from schema_migrations',
      );
      const known = new Map(done.map((r) => [r.name, r.checksum]));
      const applied: string[] = [];
      for (const file of files) {
        const checksum = known.get(file.name);
        if (checksum !== undefined) {
          if (checksum !== file.checksum) throw new Error(`Migration ${file.name} was modified after it was applied`);
          continue;
        }
        await session.exec('begin');
        try {
          await session.exec(file.sql);
          await session.query('insert into schema_migrations (name, checksum) values ($1, $2)', [
            file.name,
            file.checksum,
          ]);
          await session.exec('commit');
        } catch (error) {
          await session.exec('rollback');
          throw new Error(`Migration ${file.name} failed: ${(error as Error).message}`, { cause: error });
        }
        applied.push(file.name);
      }
      if (applied.length > 0) {
        // Tables added by these migrations come under row-level security too (migration 0011).
        const [scope] = await session.query<{ present: boolean }>(
          "select to_regproc('apply_cooperation_scope') is not null as present",
        );
        if (scope?.present) await session.query('select apply_cooperation_scope()');
      }
      return { applied, alreadyApplied: known.size };
    } finally {
      await session.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await session.release();
  }
}
