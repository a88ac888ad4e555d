import { Anchor, Badge, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { formatDate, formatDateTime } from '../../lib/format.ts';
import { useAlerts, useWorklist } from './api.ts';
import { CallForm, HandleAlertForm } from './forms.tsx';

/** The nurse coordinator's worklist: calls due or overdue, and the open alerts to handle. */
export function OralFollowUpPage() {
  const { t } = useTranslation();
  const worklist = useWorklist();
  const alerts = useAlerts('open');
  const [open, setOpen] = useState<string | null>(null);
  const calls = worklist.data?.items ?? [];
  return (
    <>
      <PageHeader title={t('oral.followUp.worklistTitle')} subtitle={t('oral.followUp.worklistSubtitle')} />
      <Stack>
        <Card withBorder>
          <Title order={2} size="h3" mb="xs">
            {t('oral.followUp.alertsTitle')}
          </Title>
          {alerts.isPending ? (
            <Loading />
          ) : alerts.isError ? (
            <ErrorAlert error={alerts.error} />
          ) : (alerts.data.items ?? []).length === 0 ? (
            <Text c="dimmed" size="sm">
              {t('oral.followUp.noAlert')}
            </Text>
          ) : (
            <Stack>
              {alerts.data.items.map((a) => (
                <Stack key={a.id} gap={4} data-testid="alert">
                  <Group gap="xs">
                    <Badge color="red">{a.rule}</Badge>
                    <Anchor component={Link} to={`/oral/treatments/${a.treatmentId}`}>
                      {a.patient.displayName}
                    </Anchor>
                    <Text size="sm">
                      {a.drugName} · {t(`oral.followUp.sources.${a.source}`)} · {a.term ?? ''}{' '}
                      {a.grade ? `G${a.grade}` : ''} · {formatDateTime(a.raisedAt)}
                    </Text>
                  </Group>
                  <HandleAlertForm alert={a} />
                </Stack>
              ))}
            </Stack>
          )}
        </Card>
        <Card withBorder>
          <Title order={2} size="h3" mb="xs">
            {t('oral.followUp.worklistTitle')}
          </Title>
          {worklist.isPending ? (
            <Loading />
          ) : worklist.isError ? (
            <ErrorAlert error={worklist.error} />
          ) : calls.length === 0 ? (
            <Text c="dimmed" size="sm">
              {t('oral.followUp.noCall')}
            </Text>
          ) : (
            <Table aria-label={t('oral.followUp.worklistTitle')}>
              <Table.Tbody>
                {calls.map((c) => (
                  <Table.Tr key={c.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/oral/treatments/${c.treatmentId}`}>
                        {c.patient.displayName}
                      </Anchor>
                      <Text size="xs" c="dimmed">
                        {c.drugName}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {c.label} · {formatDate(c.dueDate)}
                    </Table.Td>
                    <Table.Td>
                      <Badge color={c.overdue ? 'red' : 'gray'} variant="light">
                        {c.overdue ? t('oral.followUp.overdue') : t('oral.followUp.due')}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Button size="xs" variant="light" onClick={() => setOpen(c.id)}>
                        {t('oral.followUp.record')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {open && <CallForm callId={open} onDone={() => setOpen(null)} />}
        </Card>
      </Stack>
    </>
  );
}
