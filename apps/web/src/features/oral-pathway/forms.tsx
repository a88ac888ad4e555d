import {
  Button,
  Checkbox,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import {
  ADHERENCE_VALUES,
  CALL_ACTION_VALUES,
  INFORMATION_GIVEN_VALUES,
  NURSING_CHECKLIST_VALUES,
  RECONCILED_KIND_VALUES,
  type AdherenceValue,
  type CallActionValue,
  type InteractionFindingDto,
  type OralAlertDto,
  type OralStatusChangeBody,
  type OralTreatmentDto,
} from '@passerelle/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import {
  useChangePlan,
  useChangeStatus,
  useHandleAlert,
  useInteractionCheck,
  useOralReferential,
  useRecordCall,
  useRecordConsultation,
} from './api.ts';
import { CtcaeGradeSelect, InteractionList } from './components.tsx';

type ReconciledKind = (typeof RECONCILED_KIND_VALUES)[number];

export function MedicalForm({ treatment }: { treatment: OralTreatmentDto }) {
  const { t } = useTranslation();
  const record = useRecordConsultation(treatment.id);
  const [indication, setIndication] = useState(treatment.indication);
  const [doseConfirmed, setDoseConfirmed] = useState(true);
  const [scheduleConfirmed, setScheduleConfirmed] = useState(true);
  const [info, setInfo] = useState<string[]>(['treatment_schedule', 'side_effects', 'drug_sheet']);
  return (
    <Stack gap="xs">
      <Textarea
        label={t('oral.medical.indication')}
        value={indication}
        onChange={(e) => setIndication(e.currentTarget.value)}
      />
      <Group>
        <Switch
          label={t('oral.medical.doseConfirmed')}
          checked={doseConfirmed}
          onChange={(e) => setDoseConfirmed(e.currentTarget.checked)}
        />
        <Switch
          label={t('oral.medical.scheduleConfirmed')}
          checked={scheduleConfirmed}
          onChange={(e) => setScheduleConfirmed(e.currentTarget.checked)}
        />
      </Group>
      <Checkbox.Group label={t('oral.medical.informationGiven')} value={info} onChange={setInfo}>
        <SimpleGrid cols={2} mt={4}>
          {INFORMATION_GIVEN_VALUES.map((v) => (
            <Checkbox key={v} value={v} label={t(`oral.medical.info.${v}`)} />
          ))}
        </SimpleGrid>
      </Checkbox.Group>
      <ErrorAlert error={record.error} />
      <Group>
        <Button
          loading={record.isPending}
          onClick={() =>
            record.mutate({
              kind: 'medical',
              body: {
                indication,
                doseConfirmed,
                scheduleConfirmed,
                informationGiven: info as (typeof INFORMATION_GIVEN_VALUES)[number][],
              },
            })
          }
        >
          {t('oral.medical.submit')}
        </Button>
      </Group>
    </Stack>
  );
}

export function PharmaceuticalForm({ treatment }: { treatment: OralTreatmentDto }) {
  const { t } = useTranslation();
  const record = useRecordConsultation(treatment.id);
  const check = useInteractionCheck();
  const [items, setItems] = useState<{ name: string; kind: ReconciledKind; dosage: string }[]>([]);
  const [name, setName] = useState('');
  const [kind, setKind] = useState<ReconciledKind>('prescription');
  const [dosage, setDosage] = useState('');
  const [intakePlan, setIntakePlan] = useState('');
  const [decisions, setDecisions] = useState('');
  const [findings, setFindings] = useState<InteractionFindingDto[] | null>(null);
  const reconciliation = items.map((i) => ({ name: i.name, kind: i.kind, dosage: i.dosage || null }));
  const runCheck = (list = reconciliation) =>
    check.mutate({ drugCode: treatment.drugCode, reconciliation: list }, { onSuccess: (r) => setFindings(r.items) });
  const add = () => {
    if (name.trim().length === 0) return;
    const next = [...items, { name: name.trim(), kind, dosage: dosage.trim() }];
    setItems(next);
    setName('');
    setDosage('');
    runCheck(next.map((i) => ({ name: i.name, kind: i.kind, dosage: i.dosage || null })));
  };
  return (
    <Stack gap="xs">
      <Text fw={600} size="sm">
        {t('oral.pharma.reconciliation')}
      </Text>
      {items.length > 0 && (
        <Table>
          <Table.Tbody>
            {items.map((i, index) => (
              <Table.Tr key={`${i.name}-${index}`}>
                <Table.Td>{i.name}</Table.Td>
                <Table.Td>{t(`oral.pharma.kinds.${i.kind}`)}</Table.Td>
                <Table.Td>{i.dosage}</Table.Td>
                <Table.Td>
                  <Button size="xs" variant="subtle" onClick={() => setItems(items.filter((_, j) => j !== index))}>
                    {t('oral.pharma.removeItem')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Group align="flex-end" grow>
        <TextInput
          label={t('oral.pharma.itemName')}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') add();
          }}
        />
        <Select
          label={t('oral.pharma.itemKind')}
          data={RECONCILED_KIND_VALUES.map((k) => ({ value: k, label: t(`oral.pharma.kinds.${k}`) }))}
          value={kind}
          onChange={(v) => v && setKind(v as ReconciledKind)}
          allowDeselect={false}
        />
        <TextInput
          label={t('oral.pharma.itemDosage')}
          value={dosage}
          onChange={(e) => setDosage(e.currentTarget.value)}
        />
        <Button variant="light" onClick={add}>
          {t('oral.pharma.addItem')}
        </Button>
      </Group>
      <Group>
        <Button variant="default" size="xs" onClick={() => runCheck()} loading={check.isPending}>
          {t('oral.pharma.check')}
        </Button>
      </Group>
      {findings && <InteractionList items={findings} />}
      <Textarea
        label={t('oral.pharma.intakePlan')}
        value={intakePlan}
        onChange={(e) => setIntakePlan(e.currentTarget.value)}
        required
      />
      <Textarea
        label={t('oral.pharma.decisions')}
        value={decisions}
        onChange={(e) => setDecisions(e.currentTarget.value)}
      />
      <ErrorAlert error={record.error ?? check.error} />
      <Group>
        <Button
          loading={record.isPending}
          onClick={() =>
            record.mutate({
              kind: 'pharmaceutical',
              body: { reconciliation, intakePlan, interactionDecisions: decisions || null },
            })
          }
        >
          {t('oral.pharma.submit')}
        </Button>
      </Group>
    </Stack>
  );
}

export function NursingForm({ treatment }: { treatment: OralTreatmentDto }) {
  const { t } = useTranslation();
  const record = useRecordConsultation(treatment.id);
  const [checklist, setChecklist] = useState<string[]>([
    'intake_times',
    'missed_dose',
    'hand_washing',
    'calendar_explained',
  ]);
  const [sideEffects, setSideEffects] = useState('');
  const [whoToCall, setWhoToCall] = useState('');
  return (
    <Stack gap="xs">
      <Checkbox.Group label={t('oral.nursing.checklist')} value={checklist} onChange={setChecklist}>
        <SimpleGrid cols={2} mt={4}>
          {NURSING_CHECKLIST_VALUES.map((v) => (
            <Checkbox key={v} value={v} label={t(`oral.nursing.items.${v}`)} />
          ))}
        </SimpleGrid>
      </Checkbox.Group>
      <TextInput
        label={t('oral.nursing.sideEffects')}
        value={sideEffects}
        onChange={(e) => setSideEffects(e.currentTarget.value)}
      />
      <TextInput
        label={t('oral.nursing.whoToCall')}
        value={whoToCall}
        onChange={(e) => setWhoToCall(e.currentTarget.value)}
        required
      />
      <ErrorAlert error={record.error} />
      <Group>
        <Button
          loading={record.isPending}
          onClick={() =>
            record.mutate({
              kind: 'nursing',
              body: {
                checklist: checklist as (typeof NURSING_CHECKLIST_VALUES)[number][],
                sideEffectsExplained: sideEffects
                  .split(',')
                  .map((s) => s.trim())
                  .filter((s) => s.length >= 2),
                whoToCall,
              },
            })
          }
        >
          {t('oral.nursing.submit')}
        </Button>
      </Group>
    </Stack>
  );
}

/** The nurse coordinator's call record: every CTCAE term of the subset with its grade definitions. */
export function CallForm({
  callId,
  treatmentId,
  onDone,
}: {
  callId: string;
  treatmentId?: string;
  onDone?: () => void;
}) {
  const { t } = useTranslation();
  const referential = useOralReferential();
  const record = useRecordCall(treatmentId);
  const [reached, setReached] = useState(true);
  const [grades, setGrades] = useState<Record<string, number | null>>({});
  const [adherence, setAdherence] = useState<AdherenceValue>('full');
  const [action, setAction] = useState<CallActionValue>('advice');
  const [notes, setNotes] = useState('');
  const terms = referential.data?.ctcae.terms ?? [];
  return (
    <Stack gap="xs">
      <Switch
        label={t('oral.followUp.reached')}
        checked={reached}
        onChange={(e) => setReached(e.currentTarget.checked)}
      />
      {reached && (
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          {terms.map((term) => (
            <CtcaeGradeSelect
              key={term.code}
              term={term}
              value={grades[term.code] ?? null}
              onChange={(g) => setGrades({ ...grades, [term.code]: g })}
            />
          ))}
        </SimpleGrid>
      )}
      <Group grow>
        <Select
          label={t('oral.followUp.adherence')}
          data={ADHERENCE_VALUES.map((v) => ({ value: v, label: t(`oral.followUp.adherenceValues.${v}`) }))}
          value={adherence}
          onChange={(v) => v && setAdherence(v as AdherenceValue)}
          allowDeselect={false}
        />
        <Select
          label={t('oral.followUp.action')}
          data={CALL_ACTION_VALUES.map((v) => ({ value: v, label: t(`oral.followUp.actions.${v}`) }))}
          value={action}
          onChange={(v) => v && setAction(v as CallActionValue)}
          allowDeselect={false}
        />
      </Group>
      <Textarea label={t('oral.followUp.notes')} value={notes} onChange={(e) => setNotes(e.currentTarget.value)} />
      <ErrorAlert error={record.error} />
      {record.data && <Text size="sm">{t('oral.followUp.alertsRaised', { n: record.data.alertsRaised })}</Text>}
      <Group>
        <Button
          loading={record.isPending}
          onClick={() =>
            record.mutate(
              {
                callId,
                body: {
                  reached,
                  symptoms: reached
                    ? Object.entries(grades)
                        .filter(([, g]) => g !== null)
                        .map(([term, grade]) => ({ term, grade: grade! }))
                    : [],
                  adherence: reached ? adherence : null,
                  action,
                  notes: notes || null,
                },
              },
              { onSuccess: () => onDone?.() },
            )
          }
        >
          {t('oral.followUp.submitCall')}
        </Button>
      </Group>
    </Stack>
  );
}

export function HandleAlertForm({ alert }: { alert: OralAlertDto }) {
  const { t } = useTranslation();
  const handle = useHandleAlert();
  const [note, setNote] = useState('');
  return (
    <Group align="flex-end">
      <TextInput
        label={t('oral.followUp.handlingNote')}
        value={note}
        onChange={(e) => setNote(e.currentTarget.value)}
        style={{ flex: 1 }}
        aria-label={`${t('oral.followUp.handlingNote')} ${alert.patient.displayName}`}
      />
      <Button loading={handle.isPending} onClick={() => handle.mutate({ alertId: alert.id, note })}>
        {t('oral.followUp.handle')}
      </Button>
      <ErrorAlert error={handle.error} />
    </Group>
  );
}

/** A change of dose or schedule by the physician: the next plan version and new patient documents. */
export function PlanChangeForm({ treatment }: { treatment: OralTreatmentDto }) {
  const { t } = useTranslation();
  const referential = useOralReferential();
  const change = useChangePlan(treatment.id);
  const [doseMg, setDoseMg] = useState<string>(String(treatment.doseMg));
  const [scheduleCode, setScheduleCode] = useState<string>(treatment.scheduleCode);
  const [reason, setReason] = useState('');
  const schedules = referential.data?.drugs.find((d) => d.code === treatment.drugCode)?.schedules ?? [];
  return (
    <Stack gap="xs" mt="sm">
      <Text fw={600} size="sm">
        {t('oral.treatment.changePlan')}
      </Text>
      <Group grow align="flex-end">
        <TextInput label={t('oral.dose')} value={doseMg} onChange={(e) => setDoseMg(e.currentTarget.value)} />
        <Select
          label={t('oral.schedule')}
          data={schedules.map((s) => ({ value: s.code, label: s.labelFr }))}
          value={scheduleCode}
          onChange={(v) => v && setScheduleCode(v)}
          allowDeselect={false}
        />
        <TextInput
          label={t('oral.treatment.changeReason')}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
        />
      </Group>
      <ErrorAlert error={change.error} />
      <Group>
        <Button
          variant="default"
          loading={change.isPending}
          onClick={() =>
            change.mutate(
              {
                doseMg: Number(doseMg.replace(',', '.')),
                scheduleCode,
                reason,
                version: treatment.version,
              },
              { onSuccess: () => setReason('') },
            )
          }
        >
          {t('oral.treatment.changePlanSubmit')}
        </Button>
      </Group>
    </Stack>
  );
}

/**
 * The prescriber's decision on the treatment: hold it (toxicity, surgery…), resume it, or stop it for good
 * (progression, intolerance…), always with the reason. Stopping cancels the follow-up calls still planned.
 */
export function StatusChangeForm({ treatment }: { treatment: OralTreatmentDto }) {
  const { t } = useTranslation();
  const change = useChangeStatus(treatment.id);
  const [reason, setReason] = useState('');
  const decide = (status: OralStatusChangeBody['status']) =>
    change.mutate({ status, reason }, { onSuccess: () => setReason('') });
  return (
    <Stack gap="xs" mt="sm">
      <Text fw={600} size="sm">
        {t('oral.treatment.statusDecision')}
      </Text>
      <TextInput
        label={t('oral.treatment.statusReason')}
        description={t('oral.treatment.statusHelp')}
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
      />
      <ErrorAlert error={change.error} />
      <Group>
        {treatment.status === 'active' && (
          <Button variant="default" loading={change.isPending} onClick={() => decide('held')}>
            {t('oral.treatment.hold')}
          </Button>
        )}
        {treatment.status === 'held' && (
          <Button variant="default" loading={change.isPending} onClick={() => decide('active')}>
            {t('oral.treatment.resume')}
          </Button>
        )}
        <Button color="red" variant="light" loading={change.isPending} onClick={() => decide('stopped')}>
          {t('oral.treatment.stop')}
        </Button>
      </Group>
    </Stack>
  );
}
