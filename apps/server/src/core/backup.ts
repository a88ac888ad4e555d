import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { sql, type Kysely } from 'kysely';
import { verifyAuditChain, type VerifyReport } from './audit.ts';
import type { Database, DB, Executor } from './db/index.ts';

/**
 * Portable logical backup: a gzip of JSON lines that restores into PGlite or PostgreSQL alike.
 *
 *   {"format":"passerelle-backup","version":1,"migrations":[…],"tables":[…],…}   header
 *   {"table":"cooperations","columns":["id",…]}                                 one per table,
 *   {"row":{…}}                                                                 then its rows
 *   {"end":true,"counts":{"cooperations":3,…}}                                  trailer
 *
 * Rows are PostgreSQL's own `to_jsonb(row)` text, written and read back without going through
 * JavaScript numbers or dates, and restored with `jsonb_populate_recordset`, so every value (bigint
 * sequence numbers, microsecond timestamps, numerics, arrays, jsonb) comes back exactly. The audit
 * chain's hashes therefore still verify after a restore, which is how a restore proves itself.
 */

export const BACKUP_FORMAT = 'passerelle-backup';
export const BACKUP_VERSION = 1;

export interface BackupTable {
  name: keyof DB & string;
  /** A column referencing the same table: rows are written parents first. */
  parentColumn?: string;
}

/**
 * Every table that holds data, in foreign-key order (a table after those it references). A
 * migration that adds a table adds it here too: backup and restore refuse to run while the database
 * has a table this list (or TRANSIENT_TABLES) does not name, so nothing is silently left out.
 */
export const BACKUP_TABLES: readonly BackupTable[] = [
  { name: 'cooperations' },
  { name: 'establishments', parentColumn: 'parent_establishment_id' },
  { name: 'sites' },
  { name: 'units' },
  { name: 'professionals' },
  { name: 'users' },
  { name: 'memberships' },
  { name: 'role_policies' },
  { name: 'api_tokens' },
  { name: 'patients', parentColumn: 'merged_into_id' },
  { name: 'patient_identifiers' },
  { name: 'care_relationships' },
  { name: 'identity_alerts' },
  { name: 'emergency_accesses' },
  // Shared pharmacy (0004, 0005).
  { name: 'pharmacy_settings' },
  { name: 'molecules' },
  { name: 'presentations' },
  { name: 'containers' },
  { name: 'diluents' },
  { name: 'stability_entries' },
  { name: 'regimens' },
  { name: 'regimen_lines' },
  { name: 'patient_allergies' },
  { name: 'prescriptions', parentColumn: 'replaces_id' },
  { name: 'prescription_lines' },
  { name: 'fit_to_treat_decisions' },
  { name: 'preparations' },
  // Oral anticancer pathway (0009).
  { name: 'oral_settings' },
  { name: 'oral_treatments' },
  { name: 'oral_consultations' },
  { name: 'oral_documents' },
  { name: 'oral_community_professionals' },
  { name: 'oral_packets' },
  { name: 'oral_followup_calls' },
  { name: 'oral_patient_links' },
  { name: 'oral_patient_reports' },
  { name: 'oral_alerts' },
  // Shared nuclear medicine (0008).
  { name: 'nm_sectors' },
  { name: 'nm_equipment' },
  { name: 'nm_closures' },
  { name: 'nm_staff' },
  { name: 'nm_absences' },
  { name: 'nm_share_agreements' },
  { name: 'nm_tariffs' },
  { name: 'nm_exam_types' },
  { name: 'nm_sessions' },
  { name: 'nm_bookings' },
  { name: 'nm_acts' },
  { name: 'nm_deliveries' },
  // Compounding, dispatch and traceability (0007).
  { name: 'isolators' },
  { name: 'drug_lots' },
  { name: 'reliquats' },
  { name: 'delivery_notes' },
  { name: 'compounding_records' },
  { name: 'vial_scans' },
  { name: 'weighings' },
  { name: 'preparation_labels' },
  { name: 'preparation_disposals' },
  { name: 'preparation_transitions' },
  // Production planning (0010).
  { name: 'planner_settings' },
  { name: 'technician_shifts' },
  { name: 'planner_pins' },
  { name: 'production_plans' },
  { name: 'anticipation_proposals' },
  { name: 'audit_heads' },
  { name: 'audit_events' },
  { name: 'jobs' },
  { name: 'job_schedules' },
];

/** Not backed up: sign-ins in progress, worthless after a restore (everyone signs in again). */
export const TRANSIENT_TABLES: readonly string[] = ['sessions', 'oidc_states'];

/** Bookkeeping carried in the header instead of as rows. */
const MIGRATIONS_TABLE = 'schema_migrations';

const INSERT_BATCH_ROWS = 500;
const INSERT_BATCH_BYTES = 4 * 1024 * 1024;
const FETCH_ROWS = 1000;

/** A backup or restore refused for a reason the operator can act on. */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

interface Header {
  format: string;
  version: number;
  createdAt: string;
  database: string;
  migrations: { name: string; checksum: string }[];
  tables: string[];
}

export interface BackupSummary {
  file: string;
  migrations: string[];
  counts: Record<string, number>;
}

export interface RestoreSummary {
  migrations: string[];
  counts: Record<string, number>;
  audit: VerifyReport;
}

/** True once the database holds a cooperation (demo seeding and restore want an empty one). */
export async function hasCooperation(db: Executor): Promise<boolean> {
  const row = await db.selectFrom('cooperations').select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}

async function listTables(db: Executor): Promise<string[]> {
  const rows = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'
    order by table_name`.execute(db);
  return rows.rows.map((r) => r.table_name);
}

async function listColumns(db: Executor, table: string): Promise<string[]> {
  const rows = await sql<{ column_name: string }>`
    select column_name from information_schema.columns
    where table_schema = current_schema() and table_name = ${table}
    order by ordinal_position`.execute(db);
  return rows.rows.map((r) => r.column_name);
}

/**
 * Refuses to go on when the schema and BACKUP_TABLES disagree: a table nobody listed would be
 * missing from every backup, and sequences would need their positions restored.
 */
export async function assertKnownTables(db: Executor): Promise<void> {
  const known = new Set([...BACKUP_TABLES.map((t) => t.name), ...TRANSIENT_TABLES, MIGRATIONS_TABLE]);
  const present = await listTables(db);
  const unknown = present.filter((t) => !known.has(t));
  if (unknown.length > 0) {
    throw new BackupError(
      `The database has tables the backup does not know: ${unknown.join(', ')}. ` +
        'Add them to BACKUP_TABLES (or TRANSIENT_TABLES) in core/backup.ts, in foreign-key order.',
    );
  }
  const missing = BACKUP_TABLES.map((t) => t.name).filter((t) => !present.includes(t));
  if (missing.length > 0) {
    throw new BackupError(
      `Tables listed for backup are missing from the database: ${missing.join(', ')}. Migrate first.`,
    );
  }
  await assertForeignKeyOrder(db);
  const sequences = await sql<{ sequence_name: string }>`
    select sequence_name from information_schema.sequences where sequence_schema = current_schema()`.execute(db);
  if (sequences.rows.length > 0) {
    throw new BackupError(
      `Sequences are not carried by backups yet: ${sequences.rows.map((r) => r.sequence_name).join(', ')}`,
    );
  }
}

/** Each table must come after the tables it references, and a self-reference must be declared. */
async function assertForeignKeyOrder(db: Executor): Promise<void> {
  const refs = await sql<{ child: string; parent: string; column: string }>`
    select child.relname as child, parent.relname as parent, a.attname as column
    from pg_constraint c
    join pg_class child on child.oid = c.conrelid
    join pg_class parent on parent.oid = c.confrelid
    join pg_namespace n on n.oid = child.relnamespace
    join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
    where c.contype = 'f' and n.nspname = current_schema()`.execute(db);
  const position = new Map(BACKUP_TABLES.map((t, i) => [t.name as string, i]));
  for (const { child, parent, column } of refs.rows) {
    const at = position.get(child);
    if (at === undefined) continue;
    if (child === parent) {
      if (BACKUP_TABLES[at]!.parentColumn !== column) {
        throw new BackupError(`BACKUP_TABLES: declare parentColumn '${column}' for ${child}, which references itself`);
      }
      continue;
    }
    const parentAt = position.get(parent);
    if (parentAt === undefined || parentAt > at) {
      throw new BackupError(`BACKUP_TABLES: ${parent} must be listed before ${child}, which references it`);
    }
  }
}

async function appliedMigrations(db: Executor): Promise<{ name: string; checksum: string }[]> {
  const rows = await sql<{ name: string; checksum: string }>`
    select name, checksum from schema_migrations order by name`.execute(db);
  return rows.rows;
}

function rowsQuery(table: BackupTable) {
  const t = sql.table(table.name);
  if (!table.parentColumn) return sql`select to_jsonb(t)::text as r from ${t} t`;
  const parent = sql.ref(table.parentColumn);
  // Parents before children, so each batch only references rows already inserted.
  return sql`
    with recursive tree (id, depth) as (
      select id, 0 from ${t} where ${parent} is null
      union all
      select c.id, tree.depth + 1 from ${t} c join tree on c.${parent} = tree.id
    )
    select to_jsonb(t)::text as r from ${t} t join tree using (id) order by tree.depth, t.id`;
}

/**
 * Writes a backup of the whole database to `file` from one consistent snapshot (a read-only
 * repeatable-read transaction). The file appears only once complete.
 */
export async function writeBackup(database: Database, file: string, now = new Date()): Promise<BackupSummary> {
  const db = database.db;
  const tmp = path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.${process.pid}.partial`);
  let summary: BackupSummary | undefined;
  try {
    await db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        await sql`set transaction read only`.execute(trx);
        await assertKnownTables(trx);
        const migrations = await appliedMigrations(trx);
        const header: Header = {
          format: BACKUP_FORMAT,
          version: BACKUP_VERSION,
          createdAt: now.toISOString(),
          database: database.kind,
          migrations,
          tables: BACKUP_TABLES.map((t) => t.name),
        };
        const counts: Record<string, number> = {};
        async function* lines(): AsyncGenerator<string> {
          yield `${JSON.stringify(header)}\n`;
          for (const table of BACKUP_TABLES) {
            const columns = await listColumns(trx, table.name);
            yield `${JSON.stringify({ table: table.name, columns })}\n`;
            await sql`declare backup_rows no scroll cursor for ${rowsQuery(table)}`.execute(trx);
            let count = 0;
            for (;;) {
              const batch = await sql<{ r: string }>`fetch forward ${sql.lit(FETCH_ROWS)} from backup_rows`.execute(
                trx,
              );
              if (batch.rows.length === 0) break;
              count += batch.rows.length;
              yield batch.rows.map((row) => `{"row":${row.r}}\n`).join('');
            }
            await sql`close backup_rows`.execute(trx);
            const total = await sql<{ n: string }>`select count(*)::text as n from ${sql.table(table.name)}`.execute(
              trx,
            );
            if (Number(total.rows[0]!.n) !== count) {
              throw new BackupError(
                `Table ${table.name}: ${total.rows[0]!.n} rows but ${count} written (a cycle of ${table.parentColumn}?)`,
              );
            }
            counts[table.name] = count;
          }
          yield `${JSON.stringify({ end: true, counts })}\n`;
        }
        await pipeline(Readable.from(lines()), createGzip(), fs.createWriteStream(tmp, { mode: 0o600 }));
        summary = { file, migrations: migrations.map((m) => m.name), counts };
      });
    fs.renameSync(tmp, file);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  return summary!;
}

async function* readLines(file: string): AsyncGenerator<string> {
  if (!fs.existsSync(file)) throw new BackupError(`No such backup file: ${file}`);
  const input = fs.createReadStream(file).pipe(createGunzip());
  const reader = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of reader) if (line.length > 0) yield line;
  } catch (error) {
    throw new BackupError(`Cannot read ${file} as a gzip backup: ${(error as Error).message}`);
  }
}

function parseLine<T>(line: string, what: string): T {
  try {
    return JSON.parse(line) as T;
  } catch {
    throw new BackupError(`The backup is damaged: unreadable ${what}`);
  }
}

async function readHeader(lines: AsyncGenerator<string>): Promise<Header> {
  const first = await lines.next();
  if (first.done) throw new BackupError('The backup is empty');
  const header = parseLine<Partial<Header>>(first.value, 'header');
  if (header.format !== BACKUP_FORMAT) throw new BackupError('This file is not a Passerelle backup');
  if (header.version !== BACKUP_VERSION) {
    throw new BackupError(
      `Backup format version ${header.version} is not supported (this version reads ${BACKUP_VERSION})`,
    );
  }
  return header as Header;
}

function describeMigrations(list: { name: string }[]): string {
  return list.length === 0 ? 'none' : `${list.length}, last ${list[list.length - 1]!.name}`;
}

/**
 * Restores `file` into an empty, migrated database at the same migration level as the backup, in one
 * transaction, then verifies the audit chain before committing. A chain with problems aborts the
 * restore unless `acceptAuditProblems` (the backup itself may be what was tampered with).
 */
export async function restoreBackup(
  database: Database,
  file: string,
  options: { acceptAuditProblems?: boolean } = {},
): Promise<RestoreSummary> {
  const db: Kysely<DB> = database.db;
  const lines = readLines(file);
  try {
    const header = await readHeader(lines);
    await assertKnownTables(db);
    const applied = await appliedMigrations(db);
    const key = (list: { name: string; checksum: string }[]) => list.map((m) => `${m.name}:${m.checksum}`).join('\n');
    if (key(applied) !== key(header.migrations)) {
      throw new BackupError(
        `The backup was taken at migrations ${describeMigrations(header.migrations)} but this database is at ` +
          `${describeMigrations(applied)}. Restore with the Passerelle version that made the backup, then upgrade.`,
      );
    }
    const expected = BACKUP_TABLES.map((t) => t.name);
    if ([...header.tables].sort().join() !== [...expected].sort().join()) {
      throw new BackupError('The backup lists different tables than this version expects');
    }
    for (const table of [...expected, ...TRANSIENT_TABLES]) {
      const row = await sql<{ x: number }>`select 1 as x from ${sql.table(table)} limit 1`.execute(db);
      if (row.rows.length > 0) {
        throw new BackupError(
          `Restore needs an empty database, but table ${table} has rows. Use a new data folder or database.`,
        );
      }
    }

    return await db.transaction().execute(async (trx) => {
      const counts: Record<string, number> = {};
      const columnsOf = new Map<string, string[]>();
      let current: { table: string; columns: string[] } | undefined;
      let batch: string[] = [];
      let batchBytes = 0;
      let trailer: { end: true; counts: Record<string, number> } | undefined;

      const flush = async () => {
        if (!current || batch.length === 0) return;
        const table = sql.table(current.table);
        const cols = sql.join(current.columns.map((c) => sql.ref(c)));
        await sql`insert into ${table} (${cols})
          select ${cols} from jsonb_populate_recordset(null::${table}, ${`[${batch.join(',')}]`}::jsonb)`.execute(trx);
        counts[current.table] = (counts[current.table] ?? 0) + batch.length;
        batch = [];
        batchBytes = 0;
      };

      for await (const line of lines) {
        if (trailer) throw new BackupError('The backup is damaged: data after its end marker');
        if (line.startsWith('{"row":')) {
          if (!current || !line.endsWith('}')) throw new BackupError('The backup is damaged: a row outside any table');
          const row = line.slice(7, -1);
          batch.push(row);
          batchBytes += row.length;
          if (batch.length >= INSERT_BATCH_ROWS || batchBytes >= INSERT_BATCH_BYTES) await flush();
          continue;
        }
        await flush();
        const section = parseLine<{ table?: string; columns?: string[]; end?: true; counts?: Record<string, number> }>(
          line,
          'section',
        );
        if (section.end) {
          trailer = { end: true, counts: section.counts ?? {} };
          current = undefined;
          continue;
        }
        if (
          !section.table ||
          !expected.includes(section.table as BackupTable['name']) ||
          !Array.isArray(section.columns)
        ) {
          throw new BackupError(
            `The backup is damaged or foreign: unexpected section ${JSON.stringify(section.table)}`,
          );
        }
        if (counts[section.table] !== undefined || columnsOf.has(section.table)) {
          throw new BackupError(`The backup is damaged: table ${section.table} appears twice`);
        }
        const target = await listColumns(trx, section.table);
        const extra = section.columns.filter((c) => !target.includes(c));
        const absent = target.filter((c) => !section.columns!.includes(c));
        if (extra.length > 0 || absent.length > 0) {
          throw new BackupError(`Table ${section.table} does not have the same columns as in the backup`);
        }
        columnsOf.set(section.table, section.columns);
        current = { table: section.table, columns: section.columns };
      }
      await flush();
      if (!trailer) throw new BackupError('The backup is truncated: its end marker is missing');
      for (const table of expected) {
        if ((trailer.counts[table] ?? 0) !== (counts[table] ?? 0)) {
          throw new BackupError(
            `The backup is damaged: table ${table} should have ${trailer.counts[table] ?? 0} rows, found ${counts[table] ?? 0}`,
          );
        }
      }

      const audit = await verifyAuditChain(trx);
      if (!audit.ok && !options.acceptAuditProblems) {
        const first = audit.problems
          .slice(0, 5)
          .map((p) => `  ${p.cooperationId} #${p.seq} ${p.kind}: ${p.message}`)
          .join('\n');
        throw new BackupError(
          `Nothing was restored: the audit chain in the backup has ${audit.problems.length} problem(s):\n${first}\n` +
            'Restore anyway with --accept-audit-problems to investigate.',
        );
      }
      return { migrations: header.migrations.map((m) => m.name), counts, audit };
    });
  } finally {
    await lines.return(undefined);
  }
}
