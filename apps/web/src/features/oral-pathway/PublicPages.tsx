import { Alert, Button, Container, Paper, Select, Stack, Text, Textarea, Title } from '@mantine/core';
import { ADHERENCE_VALUES, type AdherenceValue } from '@passerelle/contracts';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { useAcknowledge, usePatientForm, useSubmitPatientReport } from './api.ts';

/** The token travels in the URL fragment, which browsers never send to servers or in Referer headers. */
function useFragmentToken(): string {
  const [token] = useState(() => window.location.hash.replace(/^#/, ''));
  return token;
}

/** The patient-reported form, reached without an account by a single-use expiring link. */
export function PatientFormPage() {
  const { t } = useTranslation();
  const token = useFragmentToken();
  const form = usePatientForm(token);
  const submit = useSubmitPatientReport(token);
  const [grades, setGrades] = useState<Record<string, number | null>>({});
  const [adherence, setAdherence] = useState<AdherenceValue>('full');
  const [comment, setComment] = useState('');
  useEffect(() => {
    document.title = `${t('oral.patientForm.title')} · Passerelle`;
  }, [t]);
  return (
    <Container size="sm" py="xl">
      <Paper withBorder p="lg">
        <Title order={1} size="h2" mb="sm">
          {t('oral.patientForm.title')}
        </Title>
        {token.length < 20 ? (
          <Alert color="red">{t('oral.patientForm.noToken')}</Alert>
        ) : form.isPending ? (
          <Loading />
        ) : form.isError ? (
          <ErrorAlert error={form.error} />
        ) : submit.isSuccess ? (
          <Stack>
            <Alert color="green" role="status">
              {t('oral.patientForm.thanks')}
            </Alert>
            {submit.data.alertsRaised > 0 && <Alert color="orange">{t('oral.patientForm.urgent')}</Alert>}
          </Stack>
        ) : (
          <Stack>
            <Text>{t('oral.patientForm.intro', { drug: form.data.drugName })}</Text>
            {form.data.terms.map((term) => (
              <Select
                key={term.code}
                label={term.termFr}
                data={[
                  { value: '0', label: t('oral.patientForm.none') },
                  ...term.options.map((o) => ({ value: String(o.grade), label: o.labelFr })),
                ]}
                value={String(grades[term.code] ?? 0)}
                onChange={(v) => setGrades({ ...grades, [term.code]: !v || v === '0' ? null : Number(v) })}
                allowDeselect={false}
              />
            ))}
            <Select
              label={t('oral.patientForm.adherence')}
              data={ADHERENCE_VALUES.map((v) => ({ value: v, label: t(`oral.followUp.adherenceValues.${v}`) }))}
              value={adherence}
              onChange={(v) => v && setAdherence(v as AdherenceValue)}
              allowDeselect={false}
            />
            <Textarea
              label={t('oral.patientForm.comment')}
              value={comment}
              onChange={(e) => setComment(e.currentTarget.value)}
            />
            <ErrorAlert error={submit.error} />
            <Button
              loading={submit.isPending}
              onClick={() =>
                submit.mutate({
                  symptoms: Object.entries(grades)
                    .filter(([, g]) => g !== null)
                    .map(([term, grade]) => ({ term, grade: grade! })),
                  adherence,
                  comment: comment || null,
                })
              }
            >
              {t('oral.patientForm.submit')}
            </Button>
          </Stack>
        )}
      </Paper>
    </Container>
  );
}

/** The acknowledgement link of a transmission mail: one click to confirm, no account needed. */
export function AcknowledgePage() {
  const { t } = useTranslation();
  const token = useFragmentToken();
  const ack = useAcknowledge();
  useEffect(() => {
    document.title = `${t('oral.ack.title')} · Passerelle`;
  }, [t]);
  return (
    <Container size="sm" py="xl">
      <Paper withBorder p="lg">
        <Title order={1} size="h2" mb="sm">
          {t('oral.ack.title')}
        </Title>
        {ack.isSuccess ? (
          <Alert color="green" role="status">
            {t('oral.ack.done', { date: formatDateTime(ack.data.acknowledgedAt) })}
          </Alert>
        ) : (
          <Stack>
            <Text>{t('oral.ack.intro')}</Text>
            <ErrorAlert error={ack.error} />
            <Button onClick={() => ack.mutate(token)} loading={ack.isPending} disabled={token.length < 20}>
              {t('oral.ack.confirm')}
            </Button>
          </Stack>
        )}
      </Paper>
    </Container>
  );
}
