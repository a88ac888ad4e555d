import { Anchor, Button, Group, Stack, Table, Text } from '@mantine/core';
import { IconPrinter } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { usePatientLabel } from '../patients/components.tsx';
import { useDeliveryNote } from './api.ts';
import { formatQuantity, PreparationStatusBadge } from './components.tsx';

/** A delivery note: destination, transport and the preparations it carries; printable from the browser. */
export function DeliveryNotePage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const label = usePatientLabel();
  const note = useDeliveryNote(id);
  if (note.isPending) return <Loading />;
  if (note.isError) return <ErrorAlert error={note.error} />;
  const n = note.data;
  return (
    <>
      <PageHeader
        title={t('compounding.deliveryNote.title', { number: n.number })}
        subtitle={`${t(`compounding.dispatch.kinds.${n.destinationKind}`)} — ${n.destinationLabel}`}
        actions={
          <Button variant="default" leftSection={<IconPrinter size={18} aria-hidden />} onClick={() => window.print()}>
            {t('compounding.deliveryNote.print')}
          </Button>
        }
      />
      <Stack>
        <Group gap="xl">
          <Text>
            <b>{t('compounding.deliveryNote.carrier')}</b> {n.carrier}
          </Text>
          <Text>
            <b>{t('compounding.deliveryNote.departed')}</b> {formatDateTime(n.departedAt)}
          </Text>
          <Text>
            <b>{t('compounding.deliveryNote.received')}</b> {n.receivedAt ? formatDateTime(n.receivedAt) : '—'}
          </Text>
        </Group>
        <Table aria-label={t('compounding.deliveryNote.items')} striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('compounding.board.patient')}</Table.Th>
              <Table.Th scope="col">{t('compounding.board.drug')}</Table.Th>
              <Table.Th scope="col">{t('compounding.board.status')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {n.items.map((i) => (
              <Table.Tr key={i.preparationId}>
                <Table.Td>
                  <Anchor component={Link} to={`/pharmacy/preparations/${i.preparationId}`}>
                    {label(i.patient)}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  {i.moleculeInnFr} {formatQuantity(i.dose)} {i.doseUnit}
                </Table.Td>
                <Table.Td>
                  <PreparationStatusBadge status={i.status} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </>
  );
}
