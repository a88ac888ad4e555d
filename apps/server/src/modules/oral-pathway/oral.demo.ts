import { sql } from 'kysely';
import { parisDate } from '../../core/clock.ts';
import type { Tx } from '../../core/db/index.ts';
import { randomSecret, type IdGenerator } from '../../core/ids.ts';
import { sha256 } from '../../core/http/auth-plugin.ts';
import { enqueue } from '../../core/jobs.ts';
import { addDays, planFollowUpCalls } from './calendar.ts';
import { DEFAULT_ALERT_RULES } from './ctcae.ts';
import { findDrug, findPattern } from './drugs.ts';
import { checkInteractions } from './interactions.ts';
import type { PlanSnapshot } from './oral.documents.ts';
import { PACKET_MAX_ATTEMPTS, PACKET_QUEUE } from './community.service.ts';

/**
 * The oral pathway part of the demo cooperation: community professionals in the directory (the demo
 * community account linked to a GP entry) and patients of the general hospital at every stage — just
 * prescribed, consultations under way, packets sent and acknowledged or waiting in the queue (the demo has
 * no mail server), calls done and due, alerts open and handled. Patients are chosen among those the
 * hospital and the shared pharmacy both care for, so the demo prescriber, pharmacist and nurse coordinator
 * all see them.
 */

interface DemoCase {
  drug: string;
  schedule: string;
  doseMg: number;
  /** Start relative to today, in days. */
  startOffset: number;
  indication: string;
  consultations: ('medical' | 'pharmaceutical' | 'nursing')[];
  reconciliation: { name: string; kind: string; dosage?: string }[];
  packets: { to: 'gp' | 'pharmacist' | 'nurse'; status: 'sent' | 'acknowledged' | 'queued' }[];
  /** Calls before today: recorded, with these symptoms. */
  callSymptoms: { term: string; grade: number }[];
  alert: 'open' | 'handled' | null;
}

const CASES: DemoCase[] = [
  {
    drug: 'capecitabine',
    schedule: 'd1_14_q21_twice_daily',
    doseMg: 1500,
    startOffset: -10,
    indication: 'Adénocarcinome colique stade III, traitement adjuvant',
    consultations: ['medical', 'pharmaceutical', 'nursing'],
    reconciliation: [
      { name: 'Warfarine 5 mg', kind: 'prescription', dosage: '1 cp le soir' },
      { name: 'Amlodipine 5 mg', kind: 'prescription', dosage: '1 cp le matin' },
      { name: 'Paracétamol 1 g', kind: 'self_medication' },
    ],
    packets: [
      { to: 'gp', status: 'acknowledged' },
      { to: 'pharmacist', status: 'sent' },
    ],
    callSymptoms: [{ term: 'palmar_plantar_erythrodysesthesia', grade: 1 }],
    alert: null,
  },
  {
    drug: 'palbociclib',
    schedule: 'd1_21_q28_once_daily',
    doseMg: 125,
    startOffset: 3,
    indication: 'Cancer du sein RH+ HER2− métastatique, avec létrozole',
    consultations: ['medical', 'pharmaceutical'],
    reconciliation: [
      { name: 'Létrozole 2,5 mg', kind: 'prescription' },
      { name: 'Oméprazole 20 mg', kind: 'self_medication' },
    ],
    packets: [],
    callSymptoms: [],
    alert: null,
  },
  {
    drug: 'imatinib',
    schedule: 'continuous_once_daily',
    doseMg: 400,
    startOffset: -20,
    indication: 'Tumeur stromale gastro-intestinale, traitement adjuvant',
    consultations: ['medical', 'pharmaceutical', 'nursing'],
    reconciliation: [
      { name: 'Clarithromycine 500 mg', kind: 'prescription', dosage: 'jusqu’à J7' },
      { name: 'Jus de pamplemousse', kind: 'food' },
    ],
    packets: [
      { to: 'gp', status: 'sent' },
      { to: 'pharmacist', status: 'queued' },
    ],
    callSymptoms: [{ term: 'nausea', grade: 2 }],
    alert: null,
  },
  {
    drug: 'osimertinib',
    schedule: 'continuous_once_daily',
    doseMg: 80,
    startOffset: -16,
    indication: 'Cancer bronchique non à petites cellules EGFR muté',
    consultations: ['medical', 'pharmaceutical', 'nursing'],
    reconciliation: [{ name: 'Millepertuis', kind: 'herbal' }],
    packets: [{ to: 'gp', status: 'acknowledged' }],
    callSymptoms: [
      { term: 'diarrhea', grade: 3 },
      { term: 'rash_maculo_papular', grade: 1 },
    ],
    alert: 'open',
  },
  {
    drug: 'abiraterone',
    schedule: 'continuous_once_daily',
    doseMg: 1000,
    startOffset: -40,
    indication: 'Cancer de la prostate métastatique résistant à la castration',
    consultations: ['medical', 'pharmaceutical', 'nursing'],
    reconciliation: [{ name: 'Prednisone 5 mg', kind: 'prescription', dosage: '2 fois par jour' }],
    packets: [
      { to: 'gp', status: 'acknowledged' },
      { to: 'nurse', status: 'acknowledged' },
    ],
    callSymptoms: [{ term: 'fatigue', grade: 3 }],
    alert: 'handled',
  },
  {
    drug: 'temozolomide',
    schedule: 'd1_5_q28_once_daily',
    doseMg: 300,
    startOffset: 7,
    indication: 'Glioblastome, phase d’entretien',
    consultations: ['medical'],
    reconciliation: [],
    packets: [],
    callSymptoms: [],
    alert: null,
  },
];

const DIRECTORY = [
  { kind: 'gp', rpps: '10003461033', title: 'Dr', first: 'Yannick', last: 'Bigot', city: 'Montrivière', linked: true },
  {
    kind: 'gp',
    rpps: '10101519466',
    title: 'Dr',
    first: 'Claire',
    last: 'Lemoine',
    city: 'Beaulieu-les-Prés',
    linked: false,
  },
  {
    kind: 'pharmacist',
    rpps: '10002930103',
    title: null,
    first: 'Sophie',
    last: 'Marchand',
    city: 'Montrivière',
    linked: false,
  },
  {
    kind: 'nurse',
    rpps: '10100345178',
    title: null,
    first: 'Julien',
    last: 'Renaud',
    city: 'Montrivière',
    linked: false,
  },
] as const;

async function userWithRole(trx: Tx, cooperationId: string, role: string) {
  return (
    trx
      .selectFrom('memberships as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .innerJoin('establishments as e', 'e.id', 'm.establishment_id')
      .select(['u.id', 'u.display_name', 'm.establishment_id'])
      .where('m.cooperation_id', '=', cooperationId)
      .where('m.role', '=', role)
      // Users land at the establishment whose name sorts first (see the demo accounts).
      .orderBy('e.name')
      .orderBy('m.id')
      .executeTakeFirst()
  );
}

/** Seeds the oral pathway demo inside the demo's transaction. Returns how many treatments it created. */
export async function seedOralPathwayDemoForSystem(
  trx: Tx,
  options: { cooperationId: string; now: Date; ids: IdGenerator },
): Promise<number> {
  const { cooperationId, now, ids } = options;
  const today = parisDate(now);
  const prescriber = await userWithRole(trx, cooperationId, 'prescriber');
  const pharmacist = await userWithRole(trx, cooperationId, 'pharmacist');
  const nurse = await userWithRole(trx, cooperationId, 'nurse');
  const coordinator = await userWithRole(trx, cooperationId, 'nurse_coordinator');
  const community = await userWithRole(trx, cooperationId, 'community_professional');
  if (!prescriber || !pharmacist || !nurse || !coordinator) return 0;

  await trx
    .insertInto('oral_settings')
    .values({ cooperation_id: cooperationId, alert_rules: JSON.stringify(DEFAULT_ALERT_RULES), updated_at: now })
    .execute();

  const directory = new Map<string, string>();
  for (const p of DIRECTORY) {
    const id = ids.uuid();
    directory.set(p.kind, directory.get(p.kind) ?? id);
    await trx
      .insertInto('oral_community_professionals')
      .values({
        id,
        cooperation_id: cooperationId,
        kind: p.kind,
        rpps: p.rpps,
        title: p.title,
        first_name: p.first,
        last_name: p.last,
        city: p.city,
        phone: null,
        secure_email:
          `${p.first}.${p.last}`
            .toLowerCase()
            .normalize('NFD')
            .replace(/\p{Diacritic}/gu, '') +
          (p.kind === 'gp'
            ? '@medecin.mssante.fr'
            : p.kind === 'pharmacist'
              ? '@pharmacien.mssante.fr'
              : '@infirmier.mssante.fr'),
        user_id: p.linked && community ? community.id : null,
        created_at: now,
      })
      .execute();
  }

  const establishment = prescriber.establishment_id;
  const patients = await trx
    .selectFrom('patients as p')
    .select([
      'p.id',
      'p.birth_date',
      sql<string>`coalesce(p.used_name, p.birth_name) || ' ' || p.first_names`.as('name'),
    ])
    .where('p.cooperation_id', '=', cooperationId)
    .where('p.merged_into_id', 'is', null)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('care_relationships as a')
          .select('a.id')
          .whereRef('a.patient_id', '=', 'p.id')
          .where('a.establishment_id', '=', establishment)
          .where('a.starts_on', '<=', today)
          .where('a.ends_on', 'is', null),
      ),
    )
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('care_relationships as b')
          .select('b.id')
          .whereRef('b.patient_id', '=', 'p.id')
          .where('b.establishment_id', '=', pharmacist.establishment_id)
          .where('b.starts_on', '<=', today)
          .where('b.ends_on', 'is', null),
      ),
    )
    .where('p.birth_date', '<=', '1975-01-01')
    .orderBy('p.birth_name')
    .orderBy('p.id')
    .limit(CASES.length)
    .execute();
  const establishmentName =
    (await trx.selectFrom('establishments').select('name').where('id', '=', establishment).executeTakeFirst())?.name ??
    '';

  let created = 0;
  for (const [index, c] of CASES.entries()) {
    const patient = patients[index];
    if (!patient) break;
    const drug = findDrug(c.drug)!;
    const pattern = findPattern(c.schedule)!;
    const startDate = addDays(today, c.startOffset);
    const createdAt = new Date(now.getTime() + Math.min(0, c.startOffset - 2) * 86_400_000);
    const treatmentId = ids.uuid();
    await trx
      .insertInto('oral_treatments')
      .values({
        id: treatmentId,
        cooperation_id: cooperationId,
        patient_id: patient.id,
        establishment_id: establishment,
        drug_code: drug.code,
        dose_mg: c.doseMg,
        schedule_code: c.schedule,
        start_date: startDate,
        calendar_cycles: 2,
        prescriber_id: prescriber.id,
        dispensing_channel: c.drug === 'temozolomide' ? 'hospital_retrocession' : 'community_pharmacy',
        indication: c.indication,
        created_by: prescriber.id,
        created_at: createdAt,
        updated_at: createdAt,
      })
      .execute();
    const snapshot: PlanSnapshot = {
      treatmentId,
      planVersion: 1,
      patient: { displayName: patient.name, birthDate: patient.birth_date },
      drugCode: drug.code,
      doseMg: c.doseMg,
      scheduleCode: c.schedule,
      startDate,
      calendarCycles: 2,
      food: drug.food,
      indication: c.indication,
      prescriberName: prescriber.display_name,
      establishmentName,
      dispensingChannel: c.drug === 'temozolomide' ? 'hospital_retrocession' : 'community_pharmacy',
      generatedAt: createdAt.toISOString(),
    };
    await trx
      .insertInto('oral_documents')
      .values({
        id: ids.uuid(),
        cooperation_id: cooperationId,
        treatment_id: treatmentId,
        plan_version: 1,
        snapshot: JSON.stringify(snapshot),
        reason: 'Primo-prescription',
        created_by: prescriber.id,
        created_at: createdAt,
      })
      .execute();
    for (const kind of c.consultations) {
      const author = kind === 'medical' ? prescriber : kind === 'pharmaceutical' ? pharmacist : nurse;
      const content =
        kind === 'medical'
          ? {
              indication: c.indication,
              doseConfirmed: true,
              scheduleConfirmed: true,
              informationGiven: ['treatment_schedule', 'side_effects', 'drug_sheet'],
            }
          : kind === 'pharmaceutical'
            ? {
                reconciliation: c.reconciliation,
                intakePlan: `${drug.innFr} ${c.doseMg} mg, ${pattern.labelFr.toLowerCase()}.`,
                interactions: checkInteractions(drug.code, c.reconciliation as never),
              }
            : {
                checklist: ['intake_times', 'missed_dose', 'hand_washing', 'calendar_explained'],
                sideEffectsExplained: drug.watchFr,
                whoToCall: `Infirmière de coordination, ${establishmentName} : du lundi au vendredi 8 h–18 h ; la nuit et le week-end, le 15`,
              };
      await trx
        .insertInto('oral_consultations')
        .values({
          id: ids.uuid(),
          cooperation_id: cooperationId,
          treatment_id: treatmentId,
          kind,
          author_id: author.id,
          recorded_at: createdAt,
          content: JSON.stringify(content),
        })
        .execute();
    }
    for (const p of c.packets) {
      const id = ids.uuid();
      const sent = p.status !== 'queued';
      await trx
        .insertInto('oral_packets')
        .values({
          id,
          cooperation_id: cooperationId,
          treatment_id: treatmentId,
          recipient_id: directory.get(p.to)!,
          plan_version: 1,
          status: p.status,
          attempts: sent ? 1 : 0,
          sent_at: sent ? createdAt : null,
          message_id: sent ? `<demo-${id}@passerelle>` : null,
          ack_token_hash: sha256(randomSecret(32)),
          acknowledged_at: p.status === 'acknowledged' ? new Date(createdAt.getTime() + 26 * 3_600_000) : null,
          acknowledged_via: p.status === 'acknowledged' ? 'link' : null,
          created_by: coordinator.id,
          created_at: createdAt,
        })
        .execute();
      if (!sent) {
        await enqueue(
          trx,
          {
            queue: PACKET_QUEUE,
            payload: { packetId: id },
            cooperationId,
            idempotencyKey: `${PACKET_QUEUE}:${id}:1`,
            maxAttempts: PACKET_MAX_ATTEMPTS,
          },
          { clock: { now: () => now }, ids },
        );
      }
    }
    const calls = planFollowUpCalls({ startDate, pattern, cycles: 3, schedule: drug.followUp });
    let lastDoneCallId: string | null = null;
    for (const call of calls) {
      const id = ids.uuid();
      // Past calls were made, except the imatinib patient's, left overdue for the worklist.
      const done = call.dueDate < today && c.drug !== 'imatinib';
      const doneAt = new Date(`${call.dueDate}T09:30:00Z`);
      await trx
        .insertInto('oral_followup_calls')
        .values({
          id,
          cooperation_id: cooperationId,
          treatment_id: treatmentId,
          due_date: call.dueDate,
          label: call.label,
          status: done ? 'done' : 'planned',
          done_at: done ? doneAt : null,
          done_by: done ? coordinator.id : null,
          reached: done ? true : null,
          symptoms: done ? JSON.stringify(c.callSymptoms) : null,
          adherence: done ? 'full' : null,
          action: done ? (c.alert ? 'physician_referral' : 'advice') : null,
          notes: null,
        })
        .execute();
      if (done) lastDoneCallId = id;
    }
    if (c.alert && lastDoneCallId) {
      const worst = c.callSymptoms.reduce((a, b) => (b.grade > a.grade ? b : a));
      const raisedAt = new Date(now.getTime() - 2 * 86_400_000);
      await trx
        .insertInto('oral_alerts')
        .values({
          id: ids.uuid(),
          cooperation_id: cooperationId,
          treatment_id: treatmentId,
          source: 'call',
          source_id: lastDoneCallId,
          term: worst.term,
          grade: worst.grade,
          rule: 'grade>=3',
          raised_at: raisedAt,
          status: c.alert,
          handled_at: c.alert === 'handled' ? new Date(raisedAt.getTime() + 3 * 3_600_000) : null,
          handled_by: c.alert === 'handled' ? prescriber.id : null,
          handling_note: c.alert === 'handled' ? 'Consultation avancée, bilan biologique prescrit' : null,
        })
        .execute();
    }
    created++;
  }
  return created;
}
