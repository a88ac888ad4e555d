import { Anchor, Badge, Card, Group, Select, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import type { BoardItemDto, PreparationStatusValue } from '@passerelle/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCan } from '../../app/session.tsx';
import { DateField } from '../../components/DateField.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { formatDate, formatDateTime, parseDate, todayIso } from '../../lib/format.ts';
import { useOrganisationTree } from '../organisation/api.ts';
import { usePatientLabel } from '../patients/components.tsx';
import { useBoard, useBoardEvents } from './api.ts';
import { formatQuantity, LateBadge, LiveIndicator, PreparationStatusBadge } from './components.tsx';

/** The production path, in order: the board lists the day's preparations along it. */
const BOARD_STATUSES: PreparationStatusValue[] = [
  'awaiting_green_light',
  'anticipated',
  'ready_to_compound',
  'in_compounding',
  'compounded',
  'released',
  'dispatched',
  'received',
  'administered',
  'returned',
  'destroyed',
];

/** The day's production, live: every state change made anywhere arrives as an event and refreshes the board. */
export function BoardPage() {
  const { t } = useTranslation();
  const canSeePlan = useCan('planner:read');
  const label = usePatientLabel();
  const [dateText, setDateText] = useState(formatDate(todayIso()));
  const date = parseDate(dateText) ?? todayIso();
  const [establishmentId, setEstablishmentId] = useState<string | null>(null);
  const [destinationUnitId, setDestinationUnitId] = useState<string | null>(null);
  const board = useBoard({
    date,
    ...(establishmentId ? { establishmentId } : {}),
    ...(destinationUnitId ? { destinationUnitId } : {}),
  });
  const tree = useOrganisationTree();
  const [lastEvent, setLastEvent] = useState<string | null>(null);
  const live = useBoardEvents((event) => setLastEvent(event.at));

  const establishments = tree.data?.establishments ?? [];
  const units = establishments
    .filter((e) => !establishmentId || e.id === establishmentId)
    .flatMap((e) => [...e.sites.flatMap((s) => s.units), ...e.unitsWithoutSite].map((u) => ({ u, e })));

  const order = (item: BoardItemDto) => BOARD_STATUSES.indexOf(item.status);
  const items = [...(board.data?.items ?? [])].sort(
    (a, b) =>
      Number(b.late) - Number(a.late) || order(a) - order(b) || a.patient.birthName.localeCompare(b.patient.birthName),
  );
  const isolators = new Map<string, BoardItemDto[]>();
  for (const item of items) {
    if (!item.isolator || !['in_compounding', 'compounded'].includes(item.status)) continue;
    isolators.set(item.isolator.code, [...(isolators.get(item.isolator.code) ?? []), item]);
  }

  return (
    <>
      <PageHeader
        title={t('compounding.board.title')}
        subtitle={t('compounding.board.subtitle')}
        actions={
          <Group gap="xs">
            <LiveIndicator state={live} />
            {canSeePlan && (
              <Anchor component={Link} to="/pharmacy/planning" size="sm">
                {t('production.openPlan')}
              </Anchor>
            )}
            {lastEvent && (
              <Text size="xs" c="dimmed">
                {t('compounding.board.lastEvent', { at: formatDateTime(lastEvent) })}
              </Text>
            )}
          </Group>
        }
      />
      <Stack>
        <Group align="flex-end">
          <DateField label={t('compounding.board.date')} value={dateText} onChange={setDateText} />
          <Select
            label={t('compounding.board.establishment')}
            placeholder={t('compounding.board.all')}
            data={establishments.map((e) => ({ value: e.id, label: e.shortName }))}
            value={establishmentId}
            onChange={(v) => {
              setEstablishmentId(v);
              setDestinationUnitId(null);
            }}
            clearable
            searchable
          />
          <Select
            label={t('compounding.board.destination')}
            placeholder={t('compounding.board.all')}
            data={units.map(({ u, e }) => ({ value: u.id, label: `${u.name} (${e.shortName})` }))}
            value={destinationUnitId}
            onChange={setDestinationUnitId}
            clearable
            searchable
          />
        </Group>
        {board.isPending ? (
          <Loading />
        ) : board.isError ? (
          <ErrorAlert error={board.error} />
        ) : (
          <>
            <Group gap="xs" aria-label={t('compounding.board.counts')} role="list">
              {BOARD_STATUSES.filter((s) => (board.data.counts[s] ?? 0) > 0).map((s) => (
                <Badge key={s} size="lg" variant="outline" role="listitem">
                  {t(`pharmacy.preparationStatus.${s}`)} : {board.data.counts[s]}
                </Badge>
              ))}
            </Group>
            {isolators.size > 0 && (
              <SimpleGrid cols={{ base: 1, sm: 3 }}>
                {[...isolators.entries()].map(([code, list]) => (
                  <Card key={code} withBorder padding="sm">
                    <Text fw={700}>{code}</Text>
                    {list.map((i) => (
                      <Text key={i.id} size="sm">
                        {i.molecule.innFr} — {t(`pharmacy.preparationStatus.${i.status}`)}
                      </Text>
                    ))}
                  </Card>
                ))}
              </SimpleGrid>
            )}
            {items.length === 0 ? (
              <Text c="dimmed">{t('compounding.board.empty')}</Text>
            ) : (
              <Table.ScrollContainer minWidth={900}>
                <Table aria-label={t('compounding.board.tableLabel')} striped highlightOnHover>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{t('compounding.board.patient')}</Table.Th>
                      <Table.Th scope="col">{t('compounding.board.drug')}</Table.Th>
                      <Table.Th scope="col">{t('compounding.board.client')}</Table.Th>
                      <Table.Th scope="col">{t('compounding.board.destination')}</Table.Th>
                      <Table.Th scope="col">{t('compounding.board.isolator')}</Table.Th>
                      <Table.Th scope="col">{t('compounding.board.status')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {items.map((item) => (
                      <Table.Tr key={item.id} bg={item.late ? 'var(--mantine-color-red-light)' : undefined}>
                        <Table.Td>
                          <Anchor component={Link} to={`/pharmacy/preparations/${item.id}`}>
                            {label(item.patient)}
                          </Anchor>
                        </Table.Td>
                        <Table.Td>
                          {item.molecule.innFr} {formatQuantity(item.dose)} {item.doseUnit}
                        </Table.Td>
                        <Table.Td>{item.establishment.shortName}</Table.Td>
                        <Table.Td>{item.destinationUnit?.name ?? '—'}</Table.Td>
                        <Table.Td>{item.isolator?.code ?? '—'}</Table.Td>
                        <Table.Td>
                          <Group gap={4}>
                            <PreparationStatusBadge status={item.status} />
                            {item.checked && item.status === 'compounded' && (
                              <Badge color="teal" variant="dot">
                                {t('compounding.board.checked')}
                              </Badge>
                            )}
                            {item.late && <LateBadge />}
                          </Group>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </>
        )}
      </Stack>
    </>
  );
}
