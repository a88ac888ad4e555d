import { Anchor, Card, Group, Stack, Text, Title } from '@mantine/core';
import type { PreparationDetailDto } from '@passerelle/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCan } from '../../app/session.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { formatDate, formatDateTime } from '../../lib/format.ts';
import { usePatientLabel } from '../patients/components.tsx';
import { usePreparation, useReceive } from './api.ts';
import { BlockedAlert, formatQuantity, PreparationStatusBadge } from './components.tsx';
import { AdministerForm } from './PreparationPage.tsx';
import { ScanField } from './ScanField.tsx';

/**
 * The unit's side: scan the label of each preparation that arrives (reception), then confirm the administration
 * at the bedside. A preparation for another unit is refused with the reason.
 */
export function ReceptionPage() {
  const { t } = useTranslation();
  const receive = useReceive();
  const [received, setReceived] = useState<string[]>([]);
  return (
    <>
      <PageHeader title={t('compounding.reception.title')} subtitle={t('compounding.reception.subtitle')} />
      <Stack>
        <Card withBorder padding="lg">
          <ScanField
            label={t('compounding.reception.field')}
            description={t('compounding.reception.help')}
            submitLabel={t('compounding.reception.submit')}
            busy={receive.isPending}
            onScan={(payload) =>
              receive.mutate(payload, {
                onSuccess: (p) => setReceived((list) => [p.id, ...list.filter((x) => x !== p.id)]),
              })
            }
          />
          <div style={{ marginTop: 12 }}>
            <BlockedAlert error={receive.error} recorded />
          </div>
        </Card>
        {received.map((id) => (
          <ReceivedCard key={id} id={id} />
        ))}
      </Stack>
    </>
  );
}

function ReceivedCard({ id }: { id: string }) {
  const detail = usePreparation(id);
  if (!detail.data) return null;
  return <PreparationSummaryCard preparation={detail.data} />;
}

function PreparationSummaryCard({ preparation: p }: { preparation: PreparationDetailDto }) {
  const { t } = useTranslation();
  const label = usePatientLabel();
  const canAdminister = useCan('preparation:administer');
  return (
    <Card withBorder padding="lg" component="section" aria-label={label(p.patient)}>
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2} size="h4">
            <Anchor component={Link} to={`/pharmacy/preparations/${p.id}`}>
              {label(p.patient)}
            </Anchor>
          </Title>
          <Text>
            {p.molecule.innFr} {formatQuantity(p.dose)} {p.doseUnit} · {p.route} ·{' '}
            {t('compounding.reception.for', { date: formatDate(p.administrationDate) })}
          </Text>
          <Text size="sm" c="dimmed">
            {p.destinationUnit?.name ?? '—'} · {t('compounding.reception.bud')}{' '}
            {formatDateTime(p.compounding?.beyondUseAt)}
          </Text>
        </div>
        <PreparationStatusBadge status={p.status} size="lg" />
      </Group>
      {p.status === 'received' && canAdminister && (
        <div style={{ marginTop: 12 }}>
          <AdministerForm preparation={p} />
        </div>
      )}
    </Card>
  );
}
