import { Button, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { todayIso } from '../../lib/format.ts';
import { activityCsvUrl, useActivity } from './api.ts';
import { formatQuantity } from './components.tsx';

const MONTH = /^[0-9]{4}-(0[1-9]|1[0-2])$/;

function monthsBefore(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) - n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** `2026-03` → `mars 2026`. */
function monthLabel(month: string, language: string): string {
  const date = new Date(`${month}-15T12:00:00Z`);
  return new Intl.DateTimeFormat(language.startsWith('en') ? 'en-GB' : 'fr-FR', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(date);
}

/** Preparations and drug cost per month, producing pharmacy and client establishment: the cost-sharing figure. */
export function ActivityPage() {
  const { t, i18n } = useTranslation();
  const current = todayIso().slice(0, 7);
  const [fromText, setFromText] = useState(monthsBefore(current, 5));
  const [toText, setToText] = useState(current);
  const valid = MONTH.test(fromText) && MONTH.test(toText) && fromText <= toText;
  const [range, setRange] = useState({ from: fromText, to: toText });
  const activity = useActivity(range.from, range.to);
  const rows = activity.data?.rows ?? [];
  const total = rows.reduce((s, r) => ({ n: s.n + r.preparations, eur: s.eur + r.drugCostEur }), { n: 0, eur: 0 });
  return (
    <>
      <PageHeader title={t('compounding.activity.title')} subtitle={t('compounding.activity.subtitle')} />
      <Stack>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (valid) setRange({ from: fromText, to: toText });
          }}
        >
          <Group align="flex-end">
            <TextInput
              label={t('compounding.activity.from')}
              value={fromText}
              onChange={(e) => setFromText(e.currentTarget.value)}
              placeholder="AAAA-MM"
              error={MONTH.test(fromText) ? undefined : t('compounding.activity.monthInvalid')}
              maxLength={7}
            />
            <TextInput
              label={t('compounding.activity.to')}
              value={toText}
              onChange={(e) => setToText(e.currentTarget.value)}
              placeholder="AAAA-MM"
              error={MONTH.test(toText) ? undefined : t('compounding.activity.monthInvalid')}
              maxLength={7}
            />
            <Button type="submit" disabled={!valid}>
              {t('compounding.activity.show')}
            </Button>
            <Button
              component="a"
              href={activityCsvUrl(range.from, range.to)}
              download
              variant="default"
              leftSection={<IconDownload size={18} aria-hidden />}
            >
              {t('compounding.activity.csv')}
            </Button>
          </Group>
        </form>
        {activity.isPending ? (
          <Loading />
        ) : activity.isError ? (
          <ErrorAlert error={activity.error} />
        ) : rows.length === 0 ? (
          <Text c="dimmed">{t('compounding.activity.empty')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={700}>
            <Table aria-label={t('compounding.activity.tableLabel')} striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('compounding.activity.month')}</Table.Th>
                  <Table.Th scope="col">{t('compounding.activity.pharmacy')}</Table.Th>
                  <Table.Th scope="col">{t('compounding.activity.client')}</Table.Th>
                  <Table.Th scope="col" ta="right">
                    {t('compounding.activity.preparations')}
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    {t('compounding.activity.cost')}
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r) => (
                  <Table.Tr key={`${r.month}-${r.pharmacyEstablishment.id}-${r.client.id}`}>
                    <Table.Td>{monthLabel(r.month, i18n.language)}</Table.Td>
                    <Table.Td>{r.pharmacyEstablishment.shortName}</Table.Td>
                    <Table.Td>{r.client.shortName}</Table.Td>
                    <Table.Td ta="right">{r.preparations}</Table.Td>
                    <Table.Td ta="right">{formatQuantity(r.drugCostEur)} €</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
              <Table.Tfoot>
                <Table.Tr>
                  <Table.Th scope="row" colSpan={3}>
                    {t('compounding.activity.total')}
                  </Table.Th>
                  <Table.Td ta="right" fw={700}>
                    {total.n}
                  </Table.Td>
                  <Table.Td ta="right" fw={700}>
                    {formatQuantity(total.eur)} €
                  </Table.Td>
                </Table.Tr>
              </Table.Tfoot>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </>
  );
}
