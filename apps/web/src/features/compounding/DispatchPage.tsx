import { Anchor, Button, Card, Checkbox, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { BoardItemDto, DeliveryNoteDto, DestinationKindValue } from '@passerelle/contracts';
import { DESTINATION_KIND_VALUES } from '@passerelle/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { formatDate, formatDateTime, todayIso } from '../../lib/format.ts';
import { useOrganisationTree } from '../organisation/api.ts';
import { usePatientLabel } from '../patients/components.tsx';
import { useBoard, useBoardEvents, useDispatch } from './api.ts';
import { BlockedAlert, formatQuantity, LiveIndicator } from './components.tsx';

interface DestinationGroup {
  key: string;
  establishment: BoardItemDto['establishment'];
  unit: BoardItemDto['destinationUnit'];
  items: BoardItemDto[];
}

/** Released preparations, grouped by destination: one delivery note per destination, transport recorded. */
export function DispatchPage() {
  const { t } = useTranslation();
  const board = useBoard({ date: todayIso() });
  const live = useBoardEvents();
  const [notes, setNotes] = useState<DeliveryNoteDto[]>([]);
  const released = (board.data?.items ?? []).filter((i) => i.status === 'released');
  const groups = new Map<string, DestinationGroup>();
  for (const item of released) {
    const key = `${item.establishment.id}|${item.destinationUnit?.id ?? ''}`;
    const group = groups.get(key) ?? { key, establishment: item.establishment, unit: item.destinationUnit, items: [] };
    group.items.push(item);
    groups.set(key, group);
  }
  return (
    <>
      <PageHeader
        title={t('compounding.dispatch.title')}
        subtitle={t('compounding.dispatch.subtitle', { date: formatDate(todayIso()) })}
        actions={<LiveIndicator state={live} />}
      />
      <Stack>
        {notes.length > 0 && (
          <Card withBorder padding="md">
            <Title order={2} size="h4" mb="xs">
              {t('compounding.dispatch.notesCreated')}
            </Title>
            {notes.map((n) => (
              <Text key={n.id}>
                <Anchor component={Link} to={`/pharmacy/delivery-notes/${n.id}`}>
                  {n.number}
                </Anchor>{' '}
                — {n.destinationLabel} · {n.carrier} · {formatDateTime(n.departedAt)} ·{' '}
                {t('compounding.dispatch.itemCount', { count: n.items.length })}
              </Text>
            ))}
          </Card>
        )}
        {board.isPending ? (
          <Loading />
        ) : board.isError ? (
          <ErrorAlert error={board.error} />
        ) : groups.size === 0 ? (
          <Text c="dimmed">{t('compounding.dispatch.empty')}</Text>
        ) : (
          [...groups.values()].map((g) => (
            <DispatchGroup
              key={g.key}
              group={g}
              onDispatched={(note) => {
                notifications.show({ color: 'teal', message: t('compounding.dispatch.done', { number: note.number }) });
                setNotes((list) => [note, ...list]);
              }}
            />
          ))
        )}
      </Stack>
    </>
  );
}

function DispatchGroup({
  group,
  onDispatched,
}: {
  group: DestinationGroup;
  onDispatched: (note: DeliveryNoteDto) => void;
}) {
  const { t } = useTranslation();
  const label = usePatientLabel();
  const dispatch = useDispatch(onDispatched);
  const tree = useOrganisationTree();
  const [selected, setSelected] = useState<Set<string>>(new Set(group.items.map((i) => i.id)));
  const [kind, setKind] = useState<DestinationKindValue>(group.unit ? 'unit' : 'partner_establishment');
  const [siteId, setSiteId] = useState<string | null>(null);
  const [carrier, setCarrier] = useState('');
  const sites = tree.data?.establishments.find((e) => e.id === group.establishment.id)?.sites ?? [];
  const needsSite = kind === 'site' || kind === 'home_hospitalisation';
  const title = group.unit ? `${group.unit.name} (${group.establishment.shortName})` : group.establishment.shortName;
  const valid =
    selected.size > 0 && carrier.trim().length >= 2 && (!needsSite || !!siteId) && (kind !== 'unit' || !!group.unit);
  return (
    <Card
      withBorder
      padding="lg"
      component="section"
      aria-label={t('compounding.dispatch.groupLabel', { destination: title })}
    >
      <Title order={2} size="h4" mb="sm">
        {title}
      </Title>
      <Table aria-label={t('compounding.dispatch.itemsLabel', { destination: title })}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col" w={40} />
            <Table.Th scope="col">{t('compounding.board.patient')}</Table.Th>
            <Table.Th scope="col">{t('compounding.board.drug')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {group.items.map((i) => (
            <Table.Tr key={i.id}>
              <Table.Td>
                <Checkbox
                  size="md"
                  aria-label={t('compounding.dispatch.select', { name: label(i.patient) })}
                  checked={selected.has(i.id)}
                  onChange={(e) => {
                    const next = new Set(selected);
                    if (e.currentTarget.checked) next.add(i.id);
                    else next.delete(i.id);
                    setSelected(next);
                  }}
                />
              </Table.Td>
              <Table.Td>
                <Anchor component={Link} to={`/pharmacy/preparations/${i.id}`}>
                  {label(i.patient)}
                </Anchor>
              </Table.Td>
              <Table.Td>
                {i.molecule.innFr} {formatQuantity(i.dose)} {i.doseUnit}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group mt="md" align="flex-end">
        <Select
          label={t('compounding.dispatch.kind')}
          data={DESTINATION_KIND_VALUES.map((k) => ({ value: k, label: t(`compounding.dispatch.kinds.${k}`) }))}
          value={kind}
          onChange={(v) => v && setKind(v as DestinationKindValue)}
          allowDeselect={false}
          size="md"
        />
        {needsSite && (
          <Select
            label={t('compounding.dispatch.site')}
            data={sites.map((s) => ({ value: s.id, label: s.name }))}
            value={siteId}
            onChange={setSiteId}
            size="md"
          />
        )}
        <TextInput
          label={t('compounding.dispatch.carrier')}
          value={carrier}
          onChange={(e) => setCarrier(e.currentTarget.value)}
          required
          size="md"
          maxLength={120}
        />
        <Button
          size="md"
          disabled={!valid}
          loading={dispatch.isPending}
          onClick={() =>
            dispatch.mutate({
              destinationKind: kind,
              destinationUnitId: kind === 'unit' ? (group.unit?.id ?? null) : null,
              destinationEstablishmentId: group.establishment.id,
              destinationSiteId: needsSite ? siteId : null,
              carrier: carrier.trim(),
              preparationIds: [...selected],
            })
          }
        >
          {t('compounding.dispatch.submit')}
        </Button>
      </Group>
      <BlockedAlert error={dispatch.error} recorded />
    </Card>
  );
}
