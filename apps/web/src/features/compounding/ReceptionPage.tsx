import { Anchor, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import type { IncomingItemDto, PreparationDetailDto } from '@passerelle/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCan } from '../../app/session.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { formatDate, formatDateTime } from '../../lib/format.ts';
import { usePatientLabel } from '../patients/components.tsx';
import { useIncoming, usePreparation, useReceive } from './api.ts';
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
        <IncomingList />
      </Stack>
    </>
  );
}

/** What is on its way to the unit (dispatched) and what it holds, not yet administered (received). */
function IncomingList() {
  const { t } = useTranslation();
  const label = usePatientLabel();
  const incoming = useIncoming();
  const items: IncomingItemDto[] = incoming.data?.items ?? [];
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="incoming-title">
      <Title order={2} size="h4" id="incoming-title" mb="sm">
        {t('compounding.reception.incomingTitle')}
      </Title>
      {incoming.isSuccess && items.length === 0 ? (
        <Text c="dimmed">{t('compounding.reception.incomingEmpty')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table striped aria-label={t('compounding.reception.incomingTable')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('compounding.reception.patient')}</Table.Th>
                <Table.Th>{t('compounding.reception.drug')}</Table.Th>
                <Table.Th>{t('compounding.reception.unit')}</Table.Th>
                <Table.Th>{t('compounding.reception.administration')}</Table.Th>
                <Table.Th>{t('compounding.reception.note')}</Table.Th>
                <Table.Th>{t('compounding.reception.status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((item) => (
                <Table.Tr key={item.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/pharmacy/preparations/${item.id}`}>
                      {label(item.patient)}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    {item.molecule.innFr} {formatQuantity(item.dose)} {item.doseUnit} · {item.route}
                  </Table.Td>
                  <Table.Td>{item.destinationUnit?.name ?? '—'}</Table.Td>
                  <Table.Td>
                    {formatDate(item.administrationDate)}
                    <Text size="xs" c="dimmed">
                      {t('compounding.reception.bud')} {formatDateTime(item.beyondUseAt)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {item.deliveryNote ? (
                      <>
                        <Anchor component={Link} to={`/pharmacy/delivery-notes/${item.deliveryNote.id}`}>
                          {item.deliveryNote.number}
                        </Anchor>
                        <Text size="xs" c="dimmed">
                          {t('compounding.reception.departed', { at: formatDateTime(item.deliveryNote.departedAt) })}
                        </Text>
                      </>
                    ) : (
                      '—'
                    )}
                  </Table.Td>
                  <Table.Td>
                    <PreparationStatusBadge status={item.status} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
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
