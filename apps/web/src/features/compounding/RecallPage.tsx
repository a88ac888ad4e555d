import { Anchor, Button, Card, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import type { PatientBriefDto } from '@passerelle/contracts';
import { IconDownload, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { formatDate, formatDateTime } from '../../lib/format.ts';
import { usePatientLabel } from '../patients/components.tsx';
import { recallCsvUrl, usePatientTraceability, useRecall } from './api.ts';
import { formatQuantity, PreparationStatusBadge } from './components.tsx';

/** Lot recall: every preparation, patient and destination that received a drug lot; then a patient's history. */
export function RecallPage() {
  const { t } = useTranslation();
  const label = usePatientLabel();
  const [lotText, setLotText] = useState('');
  const [gtinText, setGtinText] = useState('');
  const [query, setQuery] = useState<{ lot: string; gtin: string | null } | null>(null);
  const recall = useRecall(query?.lot ?? '', query?.gtin ?? null);
  const [patient, setPatient] = useState<PatientBriefDto | null>(null);
  const gtinValid = gtinText.trim() === '' || /^[0-9]{14}$/.test(gtinText.trim());
  return (
    <>
      <PageHeader title={t('compounding.recall.title')} subtitle={t('compounding.recall.subtitle')} />
      <Stack>
        <form
          noValidate
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            if (!lotText.trim() || !gtinValid) return;
            setPatient(null);
            setQuery({ lot: lotText.trim(), gtin: gtinText.trim() || null });
          }}
        >
          <Group align="flex-end">
            <TextInput
              label={t('compounding.recall.lot')}
              value={lotText}
              onChange={(e) => setLotText(e.currentTarget.value)}
              required
              maxLength={20}
              size="md"
            />
            <TextInput
              label={t('compounding.recall.gtin')}
              value={gtinText}
              onChange={(e) => setGtinText(e.currentTarget.value)}
              error={gtinValid ? undefined : t('compounding.recall.gtinInvalid')}
              maxLength={14}
              inputMode="numeric"
              size="md"
            />
            <Button type="submit" size="md" leftSection={<IconSearch size={18} aria-hidden />}>
              {t('compounding.recall.search')}
            </Button>
          </Group>
        </form>
        {query &&
          (recall.isPending ? (
            <Loading />
          ) : recall.isError ? (
            <ErrorAlert error={recall.error} />
          ) : (
            <Stack>
              <Group justify="space-between">
                <Text fw={600} role="status">
                  {t('compounding.recall.summary', {
                    lot: recall.data.lot,
                    preparations: recall.data.preparations,
                    patients: recall.data.patients,
                  })}
                </Text>
                <Button
                  component="a"
                  href={recallCsvUrl(query.lot, query.gtin)}
                  download
                  variant="default"
                  leftSection={<IconDownload size={18} aria-hidden />}
                >
                  {t('compounding.recall.csv')}
                </Button>
              </Group>
              {recall.data.items.length > 0 && (
                <Table.ScrollContainer minWidth={900}>
                  <Table aria-label={t('compounding.recall.tableLabel')} striped>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th scope="col">{t('compounding.board.patient')}</Table.Th>
                        <Table.Th scope="col">{t('compounding.board.drug')}</Table.Th>
                        <Table.Th scope="col">{t('compounding.recall.date')}</Table.Th>
                        <Table.Th scope="col">{t('compounding.board.client')}</Table.Th>
                        <Table.Th scope="col">{t('compounding.board.destination')}</Table.Th>
                        <Table.Th scope="col">{t('compounding.board.status')}</Table.Th>
                        <Table.Th scope="col">{t('compounding.recall.administered')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {recall.data.items.map((i) => (
                        <Table.Tr key={`${i.preparationId}-${i.lot}`}>
                          <Table.Td>
                            <Anchor component="button" type="button" onClick={() => setPatient(i.patient)}>
                              {label(i.patient)}
                            </Anchor>
                          </Table.Td>
                          <Table.Td>
                            <Anchor component={Link} to={`/pharmacy/preparations/${i.preparationId}`}>
                              {i.moleculeInnFr} {formatQuantity(i.dose)} {i.doseUnit}
                            </Anchor>
                          </Table.Td>
                          <Table.Td>{formatDate(i.administrationDate)}</Table.Td>
                          <Table.Td>{i.establishment.shortName}</Table.Td>
                          <Table.Td>{i.destinationUnit?.name ?? '—'}</Table.Td>
                          <Table.Td>
                            <PreparationStatusBadge status={i.status} />
                          </Table.Td>
                          <Table.Td>{i.administeredAt ? formatDateTime(i.administeredAt) : '—'}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              )}
            </Stack>
          ))}
        {patient && <PatientHistory patient={patient} />}
      </Stack>
    </>
  );
}

function PatientHistory({ patient }: { patient: PatientBriefDto }) {
  const { t } = useTranslation();
  const label = usePatientLabel();
  const history = usePatientTraceability(patient.id);
  return (
    <Card withBorder padding="lg">
      <Title order={2} size="h4" mb="sm">
        {t('compounding.recall.historyTitle', { name: label(patient) })}
      </Title>
      {history.isPending ? (
        <Loading />
      ) : history.isError ? (
        <ErrorAlert error={history.error} />
      ) : history.data.items.length === 0 ? (
        <Text c="dimmed">{t('compounding.recall.historyEmpty')}</Text>
      ) : (
        <Table aria-label={t('compounding.recall.historyTitle', { name: label(patient) })} striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('compounding.recall.date')}</Table.Th>
              <Table.Th scope="col">{t('compounding.board.drug')}</Table.Th>
              <Table.Th scope="col">{t('compounding.recall.lots')}</Table.Th>
              <Table.Th scope="col">{t('compounding.board.status')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {history.data.items.map((i) => (
              <Table.Tr key={i.preparationId}>
                <Table.Td>{formatDate(i.administrationDate)}</Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={`/pharmacy/preparations/${i.preparationId}`}>
                    {i.moleculeInnFr} {formatQuantity(i.dose)} {i.doseUnit}
                  </Anchor>
                </Table.Td>
                <Table.Td>{i.lots.map((l) => l.lot).join(', ') || '—'}</Table.Td>
                <Table.Td>
                  <PreparationStatusBadge status={i.status} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}
