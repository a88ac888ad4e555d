import { Card, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { formatDate, formatDateTime } from '../../lib/format.ts';
import { useReceived } from './api.ts';
import { InteractionList } from './components.tsx';

/** Community professionals: the patients whose packets were sent to them, and nothing else. */
export function OralReceivedPage() {
  const { t } = useTranslation();
  const received = useReceived();
  return (
    <>
      <PageHeader title={t('oral.received.title')} subtitle={t('oral.received.subtitle')} />
      {received.isPending ? (
        <Loading />
      ) : received.isError ? (
        <ErrorAlert error={received.error} />
      ) : received.data.items.length === 0 ? (
        <Text c="dimmed">{t('oral.received.empty')}</Text>
      ) : (
        <Stack>
          {received.data.items.map((r) => (
            <Card key={r.packetId} withBorder>
              <Title order={2} size="h4">
                {r.patient.displayName} — {formatDate(r.patient.birthDate)}
              </Title>
              <Text size="sm">
                {r.drugName} {r.doseMg} mg · {r.scheduleLabel} · {t('oral.startDate')} {formatDate(r.startDate)}
              </Text>
              <Text size="xs" c="dimmed">
                {formatDateTime(r.sentAt)}
              </Text>
              {r.intakePlan && (
                <Text size="sm" mt="xs">
                  {t('oral.received.intakePlan')} : {r.intakePlan}
                </Text>
              )}
              <Stack mt="xs">
                <InteractionList items={r.interactions} />
              </Stack>
            </Card>
          ))}
        </Stack>
      )}
    </>
  );
}
