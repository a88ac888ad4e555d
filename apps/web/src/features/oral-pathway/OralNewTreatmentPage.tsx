import { Button, Group, NumberInput, Paper, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import type { OralTreatmentCreateBody } from '@passerelle/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { DateField } from '../../components/DateField.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { formatDate, parseDate } from '../../lib/format.ts';
import { usePatientSearch } from '../patients/api.ts';
import { useCreateTreatment, useOralReferential } from './api.ts';

/** Primo-prescription: the patient, the drug from the referential, dose, schedule, start, dispensing. */
export function OralNewTreatmentPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const referential = useOralReferential();
  const create = useCreateTreatment();
  const [q, setQ] = useState('');
  const search = usePatientSearch(q, null);
  const [patient, setPatient] = useState<{ id: string; name: string } | null>(null);
  const [drugCode, setDrugCode] = useState<string | null>(null);
  const [scheduleCode, setScheduleCode] = useState<string | null>(null);
  const [doseMg, setDoseMg] = useState<number | string>('');
  const [start, setStart] = useState('');
  const [cycles, setCycles] = useState<number | string>(1);
  const [channel, setChannel] = useState<OralTreatmentCreateBody['dispensingChannel']>('community_pharmacy');
  const [indication, setIndication] = useState('');
  const drug = referential.data?.drugs.find((d) => d.code === drugCode);

  const submit = () => {
    if (!patient || !drugCode || !scheduleCode) return;
    create.mutate(
      {
        patientId: patient.id,
        drugCode,
        scheduleCode,
        doseMg: Number(doseMg),
        startDate: parseDate(start) ?? start,
        calendarCycles: Number(cycles),
        dispensingChannel: channel,
        indication,
      },
      { onSuccess: (dto) => void navigate(`/oral/treatments/${dto.id}`) },
    );
  };

  return (
    <>
      <PageHeader title={t('oral.create.title')} />
      <Stack maw={720}>
        {patient ? (
          <Group>
            <Text fw={600}>{t('oral.create.chosen', { name: patient.name })}</Text>
            <Button variant="subtle" size="xs" onClick={() => setPatient(null)}>
              {t('common.edit')}
            </Button>
          </Group>
        ) : (
          <Paper withBorder p="sm">
            <TextInput label={t('oral.create.searchPatient')} value={q} onChange={(e) => setQ(e.currentTarget.value)} />
            <Stack gap={4} mt="xs">
              {(search.data?.items ?? []).slice(0, 8).map((p) => (
                <Group key={p.id} justify="space-between">
                  <Text size="sm">
                    {p.birthName} {p.firstNames} — {formatDate(p.birthDate)}
                  </Text>
                  <Button
                    size="xs"
                    variant="light"
                    onClick={() => setPatient({ id: p.id, name: `${p.birthName} ${p.firstNames}` })}
                  >
                    {t('oral.create.pickPatient')}
                  </Button>
                </Group>
              ))}
            </Stack>
          </Paper>
        )}
        <Select
          label={t('oral.drug')}
          searchable
          data={(referential.data?.drugs ?? []).map((d) => ({
            value: d.code,
            label: `${d.innFr} (${d.strengthsMg.join(', ')} mg)`,
          }))}
          value={drugCode}
          onChange={(v) => {
            setDrugCode(v);
            const d = referential.data?.drugs.find((x) => x.code === v);
            setScheduleCode(d?.schedules[0]?.code ?? null);
          }}
          required
        />
        {drug && (
          <Text size="sm" c="dimmed">
            {t('oral.create.usualDose', { text: drug.usualDoseFr })} · {t(`oral.foods.${drug.food}`)} ·{' '}
            {t('oral.create.source', { source: drug.source })}
          </Text>
        )}
        <Select
          label={t('oral.schedule')}
          data={(drug?.schedules ?? []).map((s) => ({ value: s.code, label: s.labelFr }))}
          value={scheduleCode}
          onChange={setScheduleCode}
          required
        />
        <Group grow>
          <NumberInput label={t('oral.dose')} value={doseMg} onChange={setDoseMg} min={0} required />
          <DateField label={t('oral.startDate')} value={start} onChange={setStart} required />
          <NumberInput label={t('oral.calendarCycles')} value={cycles} onChange={setCycles} min={1} max={12} />
        </Group>
        <Select
          label={t('oral.dispensingChannel')}
          data={(['community_pharmacy', 'hospital_retrocession'] as const).map((c) => ({
            value: c,
            label: t(`oral.channels.${c}`),
          }))}
          value={channel}
          onChange={(v) => v && setChannel(v as typeof channel)}
          allowDeselect={false}
        />
        <Textarea
          label={t('oral.indication')}
          value={indication}
          onChange={(e) => setIndication(e.currentTarget.value)}
          required
        />
        <ErrorAlert error={create.error} />
        <Group>
          <Button onClick={submit} loading={create.isPending} disabled={!patient || !drugCode || !scheduleCode}>
            {t('oral.create.submit')}
          </Button>
        </Group>
      </Stack>
    </>
  );
}
