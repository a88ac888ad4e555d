import { Anchor, Badge, Button, Card, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCan } from '../../app/session.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { formatDate } from '../../lib/format.ts';
import { useOralBoard, useOralIndicators } from './api.ts';
import { ConsultationBadges } from './components.tsx';

function Indicators() {
  const { t } = useTranslation();
  const q = useOralIndicators();
  if (!q.data) return null;
  const d = q.data;
  const pct = (v: number | null) => (v === null ? t('oral.indicators.none') : `${v} %`);
  const cards = [
    [
      t('oral.indicators.complete'),
      `${pct(d.shareWithAllThreeConsultations)} (${d.withAllThreeConsultations}/${d.treatments})`,
    ],
    [
      t('oral.indicators.firstCall'),
      d.medianDaysToFirstCall === null
        ? t('oral.indicators.none')
        : t('oral.indicators.days', { n: d.medianDaysToFirstCall }),
    ],
    [t('oral.indicators.acknowledged'), `${pct(d.shareAcknowledged)} (${d.packetsAcknowledged}/${d.packetsSent})`],
    [t('oral.indicators.alerts'), `${d.alertsHandled}/${d.alerts}`],
    [
      t('oral.indicators.handling'),
      d.medianAlertHandlingHours === null
        ? t('oral.indicators.none')
        : t('oral.indicators.hours', { n: d.medianAlertHandlingHours }),
    ],
  ];
  return (
    <SimpleGrid cols={{ base: 1, sm: 3, lg: 5 }} aria-label={t('oral.indicators.title')}>
      {cards.map(([label, value]) => (
        <Card key={label} withBorder padding="sm">
          <Text size="xs" c="dimmed">
            {label}
          </Text>
          <Text fw={700}>{value}</Text>
        </Card>
      ))}
    </SimpleGrid>
  );
}

/** The pathway board: each patient's progress through the consultations, transmissions, calls and alerts. */
export function OralBoardPage() {
  const { t } = useTranslation();
  const board = useOralBoard();
  const canPrescribe = useCan('oral:consult_medical');
  const items = board.data?.items ?? [];
  return (
    <>
      <PageHeader
        title={t('oral.boardTitle')}
        subtitle={t('oral.boardSubtitle')}
        actions={
          canPrescribe && (
            <Button component={Link} to="/oral/new">
              {t('oral.newTreatment')}
            </Button>
          )
        }
      />
      <Stack>
        <Indicators />
        {board.isPending ? (
          <Loading />
        ) : board.isError ? (
          <ErrorAlert error={board.error} />
        ) : items.length === 0 ? (
          <Text c="dimmed">{t('oral.empty')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={900}>
            <Table striped aria-label={t('oral.boardTitle')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('oral.patient')}</Table.Th>
                  <Table.Th scope="col">{t('oral.drug')}</Table.Th>
                  <Table.Th scope="col">{t('oral.startDate')}</Table.Th>
                  <Table.Th scope="col">{t('oral.consultations')}</Table.Th>
                  <Table.Th scope="col">{t('oral.packets')}</Table.Th>
                  <Table.Th scope="col">{t('oral.alerts')}</Table.Th>
                  <Table.Th scope="col">{t('oral.nextCall')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((i) => (
                  <Table.Tr key={i.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/oral/treatments/${i.id}`}>
                        {i.patient.displayName}
                      </Anchor>
                      <Text size="xs" c="dimmed">
                        {formatDate(i.patient.birthDate)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {i.drugName} {i.doseMg} mg
                      <Text size="xs" c="dimmed">
                        {t(`oral.treatmentStatus.${i.status}`)}
                      </Text>
                    </Table.Td>
                    <Table.Td>{formatDate(i.startDate)}</Table.Td>
                    <Table.Td>
                      <ConsultationBadges consultations={i.consultations} />
                    </Table.Td>
                    <Table.Td>{i.packets.total > 0 && t('oral.packetsCount', i.packets)}</Table.Td>
                    <Table.Td>
                      {i.openAlerts > 0 && (
                        <Badge color="red" variant="filled">
                          {i.openAlerts}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>{formatDate(i.nextCallDate)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </>
  );
}
