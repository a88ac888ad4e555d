/**
 * `npm run bench:recall`: five years of a shared pharmacy making 63,000 preparations a year (≈315,000
 * preparations, their prescriptions, production records and vial scans) built in the database by bulk
 * INSERT … SELECT generate_series, then the lot recall and the patient history timed through the real
 * compounding service and repository (audited, as in production). See bench/README.md. The last line
 * printed is one JSON object.
 *
 *   npm run bench:recall -- [--years 5] [--per-year 63000] [--patients 12000] [--samples 200]
 *
 * PGlite in memory by default; PostgreSQL when DATABASE_URL is set (use a database kept for benchmarks:
 * the run leaves its cooperation there, since audit events cannot be deleted).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { permissionsOf } from '../apps/server/src/core/access.ts';
import { systemClock } from '../apps/server/src/core/clock.ts';
import type { RequestContext } from '../apps/server/src/core/context.ts';
import { openDatabase, sql } from '../apps/server/src/core/db/index.ts';
import { migrate } from '../apps/server/src/core/db/migrator.ts';
import { randomIds } from '../apps/server/src/core/ids.ts';
import {
  DEMO_REFERENTIAL,
  demoPharmacySettings,
  insertPharmacySettingsForSystem,
  loadReferentialForSystem,
} from '../apps/server/src/modules/pharmacy/index.ts';
import { createSimulatedBalance } from '../apps/server/src/modules/pharmacy/compounding/core/index.ts';
import type { CompoundingDeps } from '../apps/server/src/modules/pharmacy/compounding/compounding.service.ts';
import { runInCooperation } from '../apps/server/src/core/db/cooperation-scope.ts';
import { patientHistory, recallLot } from '../apps/server/src/modules/pharmacy/compounding/traceability.service.ts';

const { values: args } = parseArgs({
  options: {
    years: { type: 'string', default: '5' },
    'per-year': { type: 'string', default: '63000' },
    patients: { type: 'string', default: '12000' },
    samples: { type: 'string', default: '200' },
  },
});
const int = (name: string, value: string | undefined, max: number) => {
  const n = Math.round(Number(value));
  if (!Number.isFinite(n) || n <= 0 || n > max) throw new Error(`--${name} must be an integer in [1, ${max}]`);
  return n;
};
const YEARS = int('years', args.years, 20);
const PER_YEAR = int('per-year', args['per-year'], 500_000);
const PATIENTS = int('patients', args.patients, 1_000_000);
const SAMPLES = int('samples', args.samples, 10_000);
const PREPARATIONS = YEARS * PER_YEAR;
/** Lines per prescription (a regimen's drugs on day 1): preparations = prescriptions × 3. */
const LINES = 3;
const PRESCRIPTIONS = Math.ceil(PREPARATIONS / LINES);

const databaseUrl = process.env.DATABASE_URL;
const dbKind = databaseUrl ? 'postgres' : 'pglite';
const database = await openDatabase(databaseUrl ? { databaseUrl, poolSize: 4 } : { dataDir: 'memory://' });
await migrate(database);
const db = database.db;

const started = performance.now();
const salt = randomUUID().slice(0, 8);
const cooperationId = randomUUID();
const pharmacyId = randomUUID();
const clients = [randomUUID(), randomUUID(), randomUUID()];
const pharmacistId = randomUUID();
const isolatorId = randomUUID();
const finess = () => `69${String(Math.floor(Math.random() * 10_000_000)).padStart(7, '0')}`;

// --- organisation, referential -----------------------------------------------------------------------------
await db
  .insertInto('cooperations')
  .values({ id: cooperationId, slug: `bench-recall-${salt}`, name: 'Bench recall' })
  .execute();
await db
  .insertInto('establishments')
  .values(
    [pharmacyId, ...clients].map((id, i) => ({
      id,
      cooperation_id: cooperationId,
      name: i === 0 ? 'GCS pharmacie' : `Client ${i}`,
      short_name: i === 0 ? 'PUI' : `Client ${i}`,
      finess: finess(),
      legal_status: 'public_hospital',
      cooperation_role: 'member',
    })),
  )
  .execute();
const unitIds = clients.map(() => randomUUID());
await db
  .insertInto('units')
  .values(
    clients.map((establishmentId, i) => ({
      id: unitIds[i]!,
      cooperation_id: cooperationId,
      establishment_id: establishmentId,
      name: `Hôpital de jour ${i + 1}`,
      kind: 'day_hospital',
    })),
  )
  .execute();
await db
  .insertInto('users')
  .values({
    id: pharmacistId,
    cooperation_id: cooperationId,
    username: `bench-recall-${salt}`,
    display_name: 'Bench pharmacist',
  })
  .execute();
await db
  .insertInto('memberships')
  .values({
    id: randomUUID(),
    cooperation_id: cooperationId,
    user_id: pharmacistId,
    establishment_id: pharmacyId,
    role: 'pharmacist',
    unit_id: null,
  })
  .execute();
await db.transaction().execute(async (trx) => {
  await loadReferentialForSystem(trx, {
    cooperationId,
    referential: DEMO_REFERENTIAL,
    now: new Date(),
    ids: randomIds,
  });
  await insertPharmacySettingsForSystem(trx, {
    cooperationId,
    settings: demoPharmacySettings(pharmacyId),
    now: new Date(),
  });
});
await db
  .insertInto('isolators')
  .values({
    id: isolatorId,
    cooperation_id: cooperationId,
    establishment_id: pharmacyId,
    code: 'ISO-1',
    label: 'Isolateur 1',
  })
  .execute();

const step = async (label: string, query: ReturnType<typeof sql>) => {
  const t0 = performance.now();
  await query.execute(db);
  console.log(`  ${label}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
};
const id = (kind: string, expr: string) => sql.raw(`md5('${salt}${kind}' || (${expr}))::uuid`);
const days = YEARS * 365;
/** Integers of this script inlined as literals: PostgreSQL must see `date - 1825` as date arithmetic. */
const lit = (n: number) => sql.raw(String(Math.trunc(n)));

console.log(`Building ${PREPARATIONS} preparations (${YEARS} years × ${PER_YEAR}) on ${dbKind}…`);
// The regimen lines of the demo referential whose molecule has a presentation with a CIP13, numbered.
await step(
  'lines',
  sql`create temporary table bench_lines as
      select (row_number() over (order by rl.id) - 1)::int as k, rl.regimen_id, rl.id as regimen_line_id,
             rl.molecule_id, ps.id as presentation_id, '0' || ps.cip13 as gtin, ps.unit_price_eur
        from regimen_lines rl
        join lateral (select * from presentations p where p.molecule_id = rl.molecule_id and p.cip13 is not null
                      order by p.strength limit 1) ps on true
       where rl.cooperation_id = ${cooperationId}`,
);
const nLines = Number((await sql<{ n: string }>`select count(*)::text as n from bench_lines`.execute(db)).rows[0]!.n);
await step(
  'patients',
  sql`insert into patients (id, cooperation_id, birth_name, first_names, birth_date, sex, identity_status, search_text)
      select ${id('pt', 'g')}, ${cooperationId}, 'PATIENT' || g, 'Anne', date '1950-01-01' + (g % 12000),
             case when g % 2 = 0 then 'F' else 'M' end, 'provisional', 'patient' || g || ' anne'
        from generate_series(0, ${lit(PATIENTS - 1)}) g`,
);
await step(
  'care relationships',
  sql`insert into care_relationships (id, cooperation_id, patient_id, establishment_id, starts_on)
      select ${id('cr', 'g')}, ${cooperationId}, ${id('pt', 'g')},
             (array[${sql.join(clients)}]::uuid[])[1 + g % 3], date '2015-01-01'
        from generate_series(0, ${lit(PATIENTS - 1)}) g`,
);
// Day 1 dates spread evenly over the years; each prescription is for one patient at one client.
await step(
  'prescriptions',
  sql`insert into prescriptions (id, cooperation_id, patient_id, establishment_id, pharmacy_establishment_id,
        prescriber_id, regimen_id, cycle_number, day1_date, destination_unit_id, height_cm, weight_kg, computation,
        status, validated_by, validated_at)
      select ${id('rx', 'r')}, ${cooperationId}, ${id('pt', `(r * 7919) % ${PATIENTS}`)},
             (array[${sql.join(clients)}]::uuid[])[1 + ((r * 7919) % ${lit(PATIENTS)}) % 3], ${pharmacyId}, ${pharmacistId},
             (select regimen_id from bench_lines where k = (r * ${lit(LINES)}) % ${lit(nLines)}), 1 + r % 6,
             current_date - ${lit(days)} + (r::bigint * ${lit(days)} / ${lit(PRESCRIPTIONS)})::int,
             (array[${sql.join(unitIds)}]::uuid[])[1 + ((r * 7919) % ${lit(PATIENTS)}) % 3], 170, 70, '{}', 'validated',
             ${pharmacistId}, now()
        from generate_series(0, ${lit(PRESCRIPTIONS - 1)}) r`,
);
await step(
  'prescription lines',
  sql`insert into prescription_lines (id, cooperation_id, prescription_id, regimen_line_id, molecule_id, day_of_cycle,
        administration_date, basis, protocol_dose, calculated_dose, final_dose, dose_unit, trace)
      select ${id('pl', 'i')}, ${cooperationId}, ${id('rx', `i / ${LINES}`)}, l.regimen_line_id, l.molecule_id, 1,
             current_date - ${lit(days)} + ((i / ${lit(LINES)})::bigint * ${lit(days)} / ${lit(PRESCRIPTIONS)})::int, 'flat', 100, 100, 100,
             'mg', '{}'
        from generate_series(0, ${lit(PREPARATIONS - 1)}) i join bench_lines l on l.k = i % ${lit(nLines)}`,
);
await step(
  'preparations',
  sql`insert into preparations (id, cooperation_id, prescription_id, prescription_line_id, patient_id, molecule_id,
        dose, dose_unit, administration_date, destination_unit_id, status, released_to_production_at)
      select ${id('pr', 'i')}, ${cooperationId}, ${id('rx', `i / ${LINES}`)}, ${id('pl', 'i')},
             ${id('pt', `((i / ${LINES}) * 7919) % ${PATIENTS}`)}, l.molecule_id, 100, 'mg',
             current_date - ${lit(days)} + ((i / ${lit(LINES)})::bigint * ${lit(days)} / ${lit(PRESCRIPTIONS)})::int,
             (array[${sql.join(unitIds)}]::uuid[])[1 + (((i / ${lit(LINES)}) * 7919) % ${lit(PATIENTS)}) % 3], 'administered', now()
        from generate_series(0, ${lit(PREPARATIONS - 1)}) i join bench_lines l on l.k = i % ${lit(nLines)}`,
);
// One lot per presentation and month, as a pharmacy receives them.
await step(
  'drug lots',
  sql`insert into drug_lots (id, cooperation_id, establishment_id, presentation_id, gtin, lot, expiry, quantity)
      select distinct on (l.presentation_id, m) ${id('lot', "l.presentation_id || '-' || m")}, ${cooperationId},
             ${pharmacyId}, l.presentation_id, l.gtin, 'L' || substr(md5(l.presentation_id::text), 1, 5) || '-' || m,
             current_date - ${lit(days)} + m * 30 + 540, 0
        from bench_lines l cross join generate_series(0, ${lit(Math.ceil(days / 30))}) m`,
);
await step(
  'compounding records',
  sql`insert into compounding_records (preparation_id, cooperation_id, pharmacy_establishment_id, isolator_id,
        operator_id, started_at, plan, drug_cost_eur, beyond_use_at, final_volume_ml, completed_at, checked_at,
        checked_by, released_at, released_by, administered_at)
      select p.id, ${cooperationId}, ${pharmacyId}, ${isolatorId}, ${pharmacistId},
             p.administration_date + time '09:00', '{}', l.unit_price_eur, p.administration_date + time '21:00', 250,
             p.administration_date + time '09:15', p.administration_date + time '09:20', ${pharmacistId},
             p.administration_date + time '09:30', ${pharmacistId}, p.administration_date + time '13:00'
        from preparations p join prescription_lines pl on pl.id = p.prescription_line_id
        join bench_lines l on l.regimen_line_id = pl.regimen_line_id
       where p.cooperation_id = ${cooperationId}`,
);
// The month's lot for every preparation, and for one in three a second vial from the previous month's lot.
await step(
  'vial scans',
  sql`insert into vial_scans (id, cooperation_id, preparation_id, raw, gtin, lot, expiry, presentation_id, result,
        scanned_by, scanned_at)
      select ${id('vs', "p.id || '-' || v")}, ${cooperationId}, p.id, 'bench', l.gtin,
             'L' || substr(md5(l.presentation_id::text), 1, 5) || '-' ||
               greatest(0, (p.administration_date - (current_date - ${lit(days)})) / 30 - v),
             p.administration_date + 540, l.presentation_id, 'accepted', ${pharmacistId},
             p.administration_date + time '09:05'
        from preparations p join prescription_lines pl on pl.id = p.prescription_line_id
        join bench_lines l on l.regimen_line_id = pl.regimen_line_id
        cross join generate_series(0, 1) v
       where p.cooperation_id = ${cooperationId} and (v = 0 or hashtext(p.id::text) % 3 = 0)`,
);
await step('analyze', sql`analyze`);
const buildSeconds = (performance.now() - started) / 1000;

// --- timings through the service ---------------------------------------------------------------------------
const ctx = (): RequestContext => ({
  actor: {
    kind: 'session',
    userId: pharmacistId,
    username: 'bench-pharmacist',
    cooperationId,
    establishmentId: pharmacyId,
    roles: ['pharmacist'],
    permissions: permissionsOf(['pharmacist']),
    unitIds: null,
    sessionId: null,
    tokenId: null,
  },
  requestId: randomUUID(),
  ip: null,
  now: new Date(),
});
const deps: CompoundingDeps = {
  db,
  ids: randomIds,
  clock: systemClock,
  balanceFor: () => createSimulatedBalance(),
};
const counts = (
  await sql<{ preparations: string; scans: string; lots: string }>`
    select (select count(*) from preparations where cooperation_id = ${cooperationId})::text as preparations,
           (select count(*) from vial_scans where cooperation_id = ${cooperationId})::text as scans,
           (select count(*) from drug_lots where cooperation_id = ${cooperationId})::text as lots`.execute(db)
).rows[0]!;
const lots = (
  await sql<{
    lot: string;
  }>`select lot from drug_lots where cooperation_id = ${cooperationId} order by random() limit ${SAMPLES}`.execute(db)
).rows.map((r) => r.lot);
const patients = (
  await sql<{
    id: string;
  }>`select id from patients where cooperation_id = ${cooperationId} order by random() limit ${SAMPLES}`.execute(db)
).rows.map((r) => r.id);

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
};
const r2 = (n: number) => Math.round(n * 100) / 100;

// Timed inside the cooperation's row-level security scope, as an authenticated request runs them.
const recall = (lot: string) => runInCooperation(cooperationId, () => recallLot(deps, ctx(), { lot }));
const history = (p: string) => runInCooperation(cooperationId, () => patientHistory(deps, ctx(), p));

// Warm-up: a few of each, not counted.
for (const lot of lots.slice(0, 5)) await recall(lot);
for (const p of patients.slice(0, 5)) await history(p);

const recallMs: number[] = [];
const recallRows: number[] = [];
for (const lot of lots) {
  const t0 = performance.now();
  const result = await recall(lot);
  recallMs.push(performance.now() - t0);
  recallRows.push(result.preparations);
}
const historyMs: number[] = [];
const historyRows: number[] = [];
for (const p of patients) {
  const t0 = performance.now();
  const result = await history(p);
  historyMs.push(performance.now() - t0);
  historyRows.push(result.items.length);
}
await database.close();

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
console.log(
  `Recall of one lot (${SAMPLES} lots, ${r2(mean(recallRows))} preparations each on average): ` +
    `p50 ${r2(percentile(recallMs, 0.5))} ms, p99 ${r2(percentile(recallMs, 0.99))} ms`,
);
console.log(
  `Patient history (${SAMPLES} patients, ${r2(mean(historyRows))} preparations each): ` +
    `p50 ${r2(percentile(historyMs, 0.5))} ms, p99 ${r2(percentile(historyMs, 0.99))} ms`,
);
console.log(
  JSON.stringify({
    preparations: Number(counts.preparations),
    vial_scans: Number(counts.scans),
    drug_lots: Number(counts.lots),
    patients: PATIENTS,
    years: YEARS,
    samples: SAMPLES,
    recall_p50_ms: r2(percentile(recallMs, 0.5)),
    recall_p99_ms: r2(percentile(recallMs, 0.99)),
    recall_max_ms: r2(Math.max(...recallMs)),
    recall_mean_preparations: r2(mean(recallRows)),
    history_p50_ms: r2(percentile(historyMs, 0.5)),
    history_p99_ms: r2(percentile(historyMs, 0.99)),
    history_mean_preparations: r2(mean(historyRows)),
    build_s: r2(buildSeconds),
    db: dbKind,
  }),
);
