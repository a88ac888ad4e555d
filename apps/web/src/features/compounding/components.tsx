import { Alert, Badge, Group, Table, Text } from '@mantine/core';
import type { PreparationStatusValue, TransitionDto } from '@passerelle/contracts';
import { IconAlertOctagon, IconBroadcast, IconBroadcastOff } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.ts';
import { useErrorMessage } from '../../components/error-message.ts';
import { formatDateTime } from '../../lib/format.ts';
import type { LiveState } from './api.ts';

const STATUS_COLOR: Partial<Record<PreparationStatusValue, string>> = {
  ready_to_compound: 'blue',
  anticipated: 'grape',
  in_compounding: 'orange',
  compounded: 'yellow',
  released: 'teal',
  dispatched: 'cyan',
  received: 'indigo',
  administered: 'green',
  returned: 'gray',
  destroyed: 'red',
  cancelled: 'gray',
};

export function PreparationStatusBadge({ status, size = 'md' }: { status: PreparationStatusValue; size?: string }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOR[status] ?? 'gray'} size={size} variant="light">
      {t(`pharmacy.preparationStatus.${status}`)}
    </Badge>
  );
}

export function LateBadge() {
  const { t } = useTranslation();
  return (
    <Badge color="red" variant="filled" leftSection={<IconAlertOctagon size={12} aria-hidden />}>
      {t('compounding.late')}
    </Badge>
  );
}

/** Whether the screen follows the server's events; said in words, not by colour alone. */
export function LiveIndicator({ state }: { state: LiveState }) {
  const { t } = useTranslation();
  const Icon = state === 'live' ? IconBroadcast : IconBroadcastOff;
  return (
    <Badge
      color={state === 'live' ? 'teal' : state === 'connecting' ? 'gray' : 'red'}
      variant="light"
      leftSection={<Icon size={12} aria-hidden />}
      role="status"
    >
      {t(`compounding.board.live.${state}`)}
    </Badge>
  );
}

/** Refusals the server keeps in the preparation's record: bad scan (400), refused move (409), blocked check (422). */
const RECORDED_STATUSES = new Set([400, 409, 422]);

/**
 * A refusal from the server, with its specific French message; `recorded` adds that the attempt was kept in
 * the preparation's record (scans, weighings, refused transitions).
 */
export function BlockedAlert({ error, recorded = false }: { error: unknown; recorded?: boolean }) {
  const { t } = useTranslation();
  const message = useErrorMessage();
  if (!error) return null;
  return (
    <Alert color="red" icon={<IconAlertOctagon aria-hidden />} title={t('compounding.blocked')} role="alert">
      <Text size="md" fw={500}>
        {message(error)}
      </Text>
      {recorded && isApiError(error) && RECORDED_STATUSES.has(error.status) && (
        <Text size="sm" mt={4}>
          {t('compounding.attemptRecorded')}
        </Text>
      )}
    </Alert>
  );
}

export function TransitionsTable({ transitions }: { transitions: TransitionDto[] }) {
  const { t, i18n } = useTranslation();
  const statusLabel = (s: string) =>
    i18n.exists(`pharmacy.preparationStatus.${s}`)
      ? t(`pharmacy.preparationStatus.${s}` as 'pharmacy.preparationStatus.released')
      : s;
  if (transitions.length === 0) return <Text c="dimmed">{t('compounding.history.empty')}</Text>;
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table aria-label={t('compounding.history.title')} striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('compounding.history.at')}</Table.Th>
            <Table.Th scope="col">{t('compounding.history.transition')}</Table.Th>
            <Table.Th scope="col">{t('compounding.history.by')}</Table.Th>
            <Table.Th scope="col">{t('compounding.history.reason')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {transitions.map((tr, i) => (
            <Table.Tr key={`${tr.at}-${i}`}>
              <Table.Td>{formatDateTime(tr.at)}</Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {statusLabel(tr.from)} → {statusLabel(tr.to)}
                </Group>
              </Table.Td>
              <Table.Td>{tr.actorLabel ?? '—'}</Table.Td>
              <Table.Td>{tr.reason ?? ''}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function formatQuantity(value: number, digits = 2): string {
  return Number.isFinite(value) ? value.toLocaleString('fr-FR', { maximumFractionDigits: digits }) : '—';
}
