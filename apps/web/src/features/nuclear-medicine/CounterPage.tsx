import { Anchor, Group, SegmentedControl, Select, Stack, Table, Text, Title } from '@mantine/core';
import type { NmCounterDto, NmDepartmentDto } from '@passerelle/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { addMonths, counterExportUrl, currentMonth, useCounter, useDepartment } from './api.ts';
import { SectorBadge, formatEur, sectorColor, staffName } from './components.tsx';

const GROUPS = ['all', 'gamma_camera', 'pet_ct'] as const;
type Group = (typeof GROUPS)[number];
const MANTINE_HEX: Record<string, string> = {
  blue: '#1c7ed6',
  orange: '#e8590c',
  grape: '#9c36b5',
  teal: '#0ca678',
  pink: '#d6336c',
  gray: '#868e96',
};

/**
 * The activity counter: sessions, acts and value per sector over the period, the running deviation from the
 * agreed share as a chart, each physician's figures, and the monthly export per sector.
 */
export function CounterPage() {
  const { t, i18n } = useTranslation();
  const to = addMonths(currentMonth(), 1);
  const [span, setSpan] = useState('6');
  const from = addMonths(to, -Number(span) + 1);
  const [group, setGroup] = useState<Group>('all');
  const department = useDepartment();
  const counter = useCounter(from, to);
  const [exportMonth, setExportMonth] = useState(currentMonth());
  const monthLabel = (m: string) =>
    new Intl.DateTimeFormat(i18n.language, { month: 'short', year: '2-digit', timeZone: 'UTC' }).format(
      new Date(`${m}-01T12:00:00Z`),
    );

  return (
    <>
      <PageHeader title={t('nuclearMedicine.counter.title')} subtitle={t('nuclearMedicine.counter.subtitle')} />
      <Stack>
        <Group>
          <SegmentedControl
            aria-label={t('nuclearMedicine.counter.period')}
            value={span}
            onChange={setSpan}
            data={['3', '6', '12'].map((n) => ({
              value: n,
              label: t('nuclearMedicine.counter.months', { count: Number(n) }),
            }))}
          />
          <SegmentedControl
            aria-label={t('nuclearMedicine.common.equipmentTypeLabel')}
            value={group}
            onChange={(v) => setGroup(v as Group)}
            data={GROUPS.map((g) => ({
              value: g,
              label:
                g === 'all' ? t('nuclearMedicine.common.allEquipment') : t(`nuclearMedicine.common.equipmentType.${g}`),
            }))}
          />
        </Group>
        {counter.isPending || department.isPending ? (
          <Loading />
        ) : counter.isError ? (
          <ErrorAlert error={counter.error} />
        ) : department.isError ? (
          <ErrorAlert error={department.error} />
        ) : (
          <>
            <Totals counter={counter.data} department={department.data} group={group} />
            <Title order={2} size="h4">
              {t('nuclearMedicine.counter.chartTitle')}
            </Title>
            <DeviationChart counter={counter.data} department={department.data} group={group} monthLabel={monthLabel} />
            <Text size="sm" c="dimmed">
              {t('nuclearMedicine.counter.chartCaption')}
            </Text>
            <Table aria-label={t('nuclearMedicine.counter.byMonth')} withTableBorder fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('nuclearMedicine.common.month')}</Table.Th>
                  {counter.data.sectors.map((s) => (
                    <Table.Th scope="col" key={s.id}>
                      {s.name}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {counter.data.months.map((m) => (
                  <Table.Tr key={m.month}>
                    <Table.Th scope="row">{monthLabel(m.month)}</Table.Th>
                    {counter.data.sectors.map((s) => {
                      const c = m.bySector[group]?.[s.id];
                      return (
                        <Table.Td key={s.id} data-testid={`counter-${m.month}-${s.code}`}>
                          {t('nuclearMedicine.counter.cell', {
                            sessions: c?.sessions ?? 0,
                            acts: c?.acts ?? 0,
                            value: formatEur(c?.valueEur ?? 0),
                            deviation: (m.cumulativeDeviation[group]?.[s.id] ?? 0).toFixed(1),
                          })}
                        </Table.Td>
                      );
                    })}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Title order={2} size="h4">
              {t('nuclearMedicine.counter.physicians')}
            </Title>
            <Table aria-label={t('nuclearMedicine.counter.physicians')} withTableBorder fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('nuclearMedicine.common.physician')}</Table.Th>
                  <Table.Th scope="col">{t('nuclearMedicine.common.sector')}</Table.Th>
                  <Table.Th scope="col">{t('nuclearMedicine.counter.sessions')}</Table.Th>
                  <Table.Th scope="col">{t('nuclearMedicine.counter.acts')}</Table.Th>
                  <Table.Th scope="col">{t('nuclearMedicine.counter.value')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {counter.data.physicians.map((p) => (
                  <Table.Tr key={p.physicianId}>
                    <Table.Td>{staffName(department.data, p.physicianId)}</Table.Td>
                    <Table.Td>
                      <SectorBadge department={department.data} sectorId={p.sectorId} />
                    </Table.Td>
                    <Table.Td>{p.sessions}</Table.Td>
                    <Table.Td>{p.acts}</Table.Td>
                    <Table.Td>{formatEur(p.valueEur)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Title order={2} size="h4">
              {t('nuclearMedicine.counter.export')}
            </Title>
            <Group align="flex-end">
              <Select
                label={t('nuclearMedicine.common.month')}
                value={exportMonth}
                onChange={(v) => v && setExportMonth(v)}
                data={counter.data.months.map((m) => ({ value: m.month, label: monthLabel(m.month) }))}
                allowDeselect={false}
                w={180}
              />
              {counter.data.sectors.map((s) => (
                <Anchor key={s.id} href={counterExportUrl(exportMonth, s.id)} download>
                  {t('nuclearMedicine.counter.exportSector', { sector: s.name })}
                </Anchor>
              ))}
            </Group>
            {department.data.tariffs.some((x) => x.demoValue) && (
              <Text size="xs" c="dimmed">
                {t('nuclearMedicine.counter.demoTariffs')}
              </Text>
            )}
          </>
        )}
      </Stack>
    </>
  );
}

function Totals({ counter, department, group }: { counter: NmCounterDto; department: NmDepartmentDto; group: Group }) {
  const { t } = useTranslation();
  const last = counter.months.at(-1);
  return (
    <Table aria-label={t('nuclearMedicine.counter.totals')} withTableBorder>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{t('nuclearMedicine.common.sector')}</Table.Th>
          <Table.Th scope="col">{t('nuclearMedicine.counter.share')}</Table.Th>
          <Table.Th scope="col">{t('nuclearMedicine.counter.sessions')}</Table.Th>
          <Table.Th scope="col">{t('nuclearMedicine.counter.acts')}</Table.Th>
          <Table.Th scope="col">{t('nuclearMedicine.counter.value')}</Table.Th>
          <Table.Th scope="col">{t('nuclearMedicine.counter.deviation')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {counter.sectors.map((s) => {
          const sum = (key: 'sessions' | 'acts' | 'valueEur') =>
            counter.months.reduce((acc, m) => acc + (m.bySector[group]?.[s.id]?.[key] ?? 0), 0);
          return (
            <Table.Tr key={s.id} data-testid={`totals-${s.code}`}>
              <Table.Td>
                <SectorBadge department={department} sectorId={s.id} />
              </Table.Td>
              <Table.Td>{Math.round((counter.shares[group]?.[s.id] ?? 0) * 100)} %</Table.Td>
              <Table.Td>{sum('sessions')}</Table.Td>
              <Table.Td data-testid={`acts-${s.code}`}>{sum('acts')}</Table.Td>
              <Table.Td>{formatEur(sum('valueEur'))}</Table.Td>
              <Table.Td>{(last?.cumulativeDeviation[group]?.[s.id] ?? 0).toFixed(1)}</Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}

/** A line per sector of the running deviation (sessions owed, negative when ahead), zero line in the middle. */
function DeviationChart(props: {
  counter: NmCounterDto;
  department: NmDepartmentDto;
  group: Group;
  monthLabel: (m: string) => string;
}) {
  const { t } = useTranslation();
  const { counter, group } = props;
  const width = 720;
  const height = 220;
  const pad = { left: 48, right: 16, top: 12, bottom: 32 };
  const values = counter.months.flatMap((m) => Object.values(m.cumulativeDeviation[group] ?? {}));
  const extent = Math.max(1, ...values.map(Math.abs));
  const x = (i: number) =>
    pad.left + (counter.months.length <= 1 ? 0 : (i * (width - pad.left - pad.right)) / (counter.months.length - 1));
  const y = (v: number) => pad.top + ((extent - v) * (height - pad.top - pad.bottom)) / (2 * extent);
  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      width="100%"
      style={{ maxWidth: width }}
      role="img"
      aria-label={t('nuclearMedicine.counter.chartTitle')}
    >
      <line x1={pad.left} x2={width - pad.right} y1={y(0)} y2={y(0)} stroke="#adb5bd" strokeDasharray="4 3" />
      {[extent, -extent].map((v) => (
        <text key={v} x={pad.left - 6} y={y(v) + 4} fontSize="11" textAnchor="end" fill="#495057">
          {v.toFixed(1)}
        </text>
      ))}
      <text x={pad.left - 6} y={y(0) + 4} fontSize="11" textAnchor="end" fill="#495057">
        0
      </text>
      {counter.months.map((m, i) => (
        <text key={m.month} x={x(i)} y={height - 10} fontSize="11" textAnchor="middle" fill="#495057">
          {props.monthLabel(m.month)}
        </text>
      ))}
      {counter.sectors.map((s) => {
        const color = MANTINE_HEX[sectorColor(props.department, s.id)] ?? '#868e96';
        const points = counter.months.map((m, i) => `${x(i)},${y(m.cumulativeDeviation[group]?.[s.id] ?? 0)}`);
        return (
          <g key={s.id}>
            <polyline points={points.join(' ')} fill="none" stroke={color} strokeWidth="2.5">
              <title>{s.name}</title>
            </polyline>
            {counter.months.map((m, i) => (
              <circle key={m.month} cx={x(i)} cy={y(m.cumulativeDeviation[group]?.[s.id] ?? 0)} r="3" fill={color} />
            ))}
          </g>
        );
      })}
    </svg>
  );
}
