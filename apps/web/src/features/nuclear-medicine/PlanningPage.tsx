import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Modal,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { NmDepartmentDto, NmSessionDto } from '@passerelle/contracts';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../app/session.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { DateField } from '../../components/DateField.tsx';
import { formatDate, parseDate } from '../../lib/format.ts';
import {
  addMonths,
  currentMonth,
  isWeekend,
  monthDays,
  useAcceptProposal,
  useAddAbsence,
  useAddClosure,
  useChangeSession,
  useDepartment,
  usePlanning,
  useProposal,
} from './api.ts';
import { SectorBadge, sectorColor, staffName } from './components.tsx';

const HALF_DAYS = ['am', 'pm'] as const;

/** The sessions ("vacations") grid of a month or a week, the next month's fair-share proposal, manual changes. */
export function PlanningPage() {
  const { t, i18n } = useTranslation();
  const canPlan = useCan('nm:plan');
  const [month, setMonth] = useState(currentMonth());
  const [view, setView] = useState<'month' | 'week'>('month');
  const [week, setWeek] = useState(0);
  const days = monthDays(month).filter((d) => !isWeekend(d));
  const weeks = useMemo(() => {
    const out: string[][] = [];
    for (const d of days) {
      const monday = new Date(`${d}T12:00:00Z`).getUTCDay() === 1;
      if (out.length === 0 || monday) out.push([]);
      out.at(-1)!.push(d);
    }
    return out;
  }, [days]);
  const shown = view === 'month' ? days : (weeks[Math.min(week, weeks.length - 1)] ?? []);
  const department = useDepartment();
  const planning = usePlanning(days[0] ?? `${month}-01`, days.at(-1) ?? `${month}-28`);
  const [proposalMonth, setProposalMonth] = useState<string | null>(null);
  const [editing, setEditing] = useState<NmSessionDto | null>(null);
  const monthLabel = (m: string) =>
    new Intl.DateTimeFormat(i18n.language, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
      new Date(`${m}-01T12:00:00Z`),
    );

  if (department.isPending) return <Loading />;
  if (department.isError) return <ErrorAlert error={department.error} />;
  const dep = department.data;
  const equipment = dep.equipment.filter((e) => e.active);
  const sessionAt = new Map((planning.data?.sessions ?? []).map((s) => [`${s.equipmentId}|${s.date}|${s.halfDay}`, s]));
  const closed = (equipmentId: string, date: string) =>
    planning.data?.closures.some((c) => c.equipmentId === equipmentId && c.startsOn <= date && c.endsOn >= date);

  return (
    <>
      <PageHeader title={t('nuclearMedicine.planning.title')} subtitle={t('nuclearMedicine.planning.subtitle')} />
      <Stack>
        <Group>
          <Button variant="default" onClick={() => setMonth(addMonths(month, -1))}>
            {t('common.previous')}
          </Button>
          <Title order={2} size="h4" aria-live="polite">
            {monthLabel(month)}
          </Title>
          <Button variant="default" onClick={() => setMonth(addMonths(month, 1))}>
            {t('common.next')}
          </Button>
          <SegmentedControl
            value={view}
            onChange={(v) => setView(v as 'month' | 'week')}
            data={[
              { value: 'month', label: t('nuclearMedicine.planning.monthView') },
              { value: 'week', label: t('nuclearMedicine.planning.weekView') },
            ]}
          />
          {view === 'week' && (
            <Select
              aria-label={t('nuclearMedicine.planning.week')}
              value={String(Math.min(week, weeks.length - 1))}
              onChange={(v) => setWeek(Number(v ?? 0))}
              data={weeks.map((w, i) => ({
                value: String(i),
                label: `${formatDate(w[0]!)} – ${formatDate(w.at(-1)!)}`,
              }))}
              w={260}
            />
          )}
          <Group gap="xs">
            {dep.sectors.map((s) => (
              <SectorBadge key={s.id} department={dep} sectorId={s.id} />
            ))}
          </Group>
        </Group>

        {canPlan && (
          <ProposalPanel
            department={dep}
            month={addMonths(currentMonth(), 1)}
            label={monthLabel(addMonths(currentMonth(), 1))}
            shownMonth={proposalMonth}
            onShow={setProposalMonth}
            onAccepted={(m) => {
              setProposalMonth(null);
              setMonth(m);
            }}
          />
        )}

        {canPlan && <UnavailabilityForm department={dep} />}

        {planning.isError ? (
          <ErrorAlert error={planning.error} />
        ) : (
          <Table.ScrollContainer minWidth={1100}>
            <Table aria-label={t('nuclearMedicine.planning.grid')} withTableBorder withColumnBorders fz="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col" rowSpan={2}>
                    {t('nuclearMedicine.common.date')}
                  </Table.Th>
                  {equipment.map((e) => (
                    <Table.Th scope="colgroup" colSpan={2} key={e.id} ta="center">
                      {e.name}
                    </Table.Th>
                  ))}
                </Table.Tr>
                <Table.Tr>
                  {equipment.flatMap((e) =>
                    HALF_DAYS.map((h) => (
                      <Table.Th scope="col" key={`${e.id}-${h}`} ta="center">
                        {t(`nuclearMedicine.common.halfDayShort.${h}`)}
                      </Table.Th>
                    )),
                  )}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {shown.map((date) => (
                  <Table.Tr key={date}>
                    <Table.Th scope="row">{formatDate(date)}</Table.Th>
                    {equipment.flatMap((e) =>
                      HALF_DAYS.map((h) => {
                        const s = sessionAt.get(`${e.id}|${date}|${h}`);
                        if (closed(e.id, date)) {
                          return (
                            <Table.Td key={`${e.id}-${h}`} bg="gray.2" c="dimmed">
                              {t('nuclearMedicine.planning.closed')}
                            </Table.Td>
                          );
                        }
                        if (!s)
                          return (
                            <Table.Td key={`${e.id}-${h}`} c="dimmed">
                              —
                            </Table.Td>
                          );
                        const name = staffName(dep, s.physicianId);
                        const label = t('nuclearMedicine.planning.cell', {
                          equipment: e.name,
                          date: formatDate(date),
                          half: t(`nuclearMedicine.common.halfDay.${h}`),
                          physician: name,
                          sector: dep.sectors.find((x) => x.id === s.sectorId)?.name ?? '',
                        });
                        const content = (
                          <Badge
                            color={sectorColor(dep, s.sectorId)}
                            variant={s.origin === 'manual' ? 'outline' : 'light'}
                            size="sm"
                            radius="sm"
                          >
                            {name.replace(/^Dr /, '')}
                          </Badge>
                        );
                        return (
                          <Table.Td key={`${e.id}-${h}`} p={2}>
                            {canPlan ? (
                              <UnstyledButton aria-label={label} onClick={() => setEditing(s)}>
                                {content}
                              </UnstyledButton>
                            ) : (
                              <span title={label}>{content}</span>
                            )}
                          </Table.Td>
                        );
                      }),
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
      {editing && <ChangeSessionModal department={dep} session={editing} onClose={() => setEditing(null)} />}
    </>
  );
}

function ProposalPanel(props: {
  department: NmDepartmentDto;
  month: string;
  label: string;
  shownMonth: string | null;
  onShow: (month: string) => void;
  onAccepted: (month: string) => void;
}) {
  const { t } = useTranslation();
  const proposal = useProposal(props.shownMonth);
  const accept = useAcceptProposal();
  const sectorName = (id: string) => props.department.sectors.find((s) => s.id === id)?.name ?? '—';
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={2} size="h4">
            {t('nuclearMedicine.planning.proposalTitle', { month: props.label })}
          </Title>
          <Button variant="default" onClick={() => props.onShow(props.month)}>
            {t('nuclearMedicine.planning.computeProposal')}
          </Button>
        </Group>
        <Text size="sm" c="dimmed">
          {t('nuclearMedicine.planning.proposalHelp')}
        </Text>
        {proposal.isFetching && <Loading />}
        {proposal.isError && <ErrorAlert error={proposal.error} />}
        {proposal.data && (
          <>
            <Table aria-label={t('nuclearMedicine.planning.proposalTitle', { month: props.label })}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('nuclearMedicine.common.equipmentTypeLabel')}</Table.Th>
                  <Table.Th scope="col">{t('nuclearMedicine.planning.proposed')}</Table.Th>
                  <Table.Th scope="col">{t('nuclearMedicine.planning.deviation')}</Table.Th>
                  <Table.Th scope="col">{t('nuclearMedicine.planning.bound')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {proposal.data.groups.map((g) => (
                  <Table.Tr key={g.equipmentType}>
                    <Table.Td>{t(`nuclearMedicine.common.equipmentType.${g.equipmentType}`)}</Table.Td>
                    <Table.Td>
                      {g.shares
                        .map(
                          (s) =>
                            `${sectorName(s.sectorId)} : ${g.sessions.filter((x) => x.sectorId === s.sectorId).length}`,
                        )
                        .join(' · ')}
                    </Table.Td>
                    <Table.Td>
                      {g.shares
                        .map((s) => `${sectorName(s.sectorId)} : ${(g.finalDeviation[s.sectorId] ?? 0).toFixed(2)}`)
                        .join(' · ')}
                    </Table.Td>
                    <Table.Td>
                      {g.constrained > 0
                        ? t('nuclearMedicine.planning.constrained', { count: g.constrained })
                        : t('nuclearMedicine.planning.boundValue', { bound: g.bound })}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {accept.isError && <ErrorAlert error={accept.error} />}
            <Group>
              <Button
                loading={accept.isPending}
                onClick={() =>
                  accept.mutate(props.month, {
                    onSuccess: (r) => {
                      notifications.show({ message: t('nuclearMedicine.planning.accepted', { count: r.created }) });
                      props.onAccepted(props.month);
                    },
                  })
                }
              >
                {t('nuclearMedicine.planning.acceptProposal')}
              </Button>
            </Group>
          </>
        )}
      </Stack>
    </Card>
  );
}

function ChangeSessionModal(props: { department: NmDepartmentDto; session: NmSessionDto; onClose: () => void }) {
  const { t } = useTranslation();
  const change = useChangeSession();
  const [sectorId, setSectorId] = useState(props.session.sectorId);
  const [physicianId, setPhysicianId] = useState<string | null>(props.session.physicianId);
  const [reason, setReason] = useState('');
  const physicians = props.department.staff.filter(
    (s) => s.kind === 'physician' && s.sectorId === sectorId && s.active,
  );
  return (
    <Modal opened onClose={props.onClose} title={t('nuclearMedicine.planning.changeTitle')}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!physicianId) return;
          change.mutate(
            { id: props.session.id, sectorId, physicianId, reason },
            {
              onSuccess: () => {
                notifications.show({ message: t('common.saved') });
                props.onClose();
              },
            },
          );
        }}
      >
        <Stack>
          <Text size="sm">
            {formatDate(props.session.date)} · {t(`nuclearMedicine.common.halfDay.${props.session.halfDay}`)} ·{' '}
            {props.department.equipment.find((e) => e.id === props.session.equipmentId)?.name}
          </Text>
          <Select
            label={t('nuclearMedicine.common.sector')}
            value={sectorId}
            onChange={(v) => {
              if (!v) return;
              setSectorId(v);
              setPhysicianId(null);
            }}
            data={props.department.sectors.map((s) => ({ value: s.id, label: s.name }))}
            allowDeselect={false}
          />
          <Select
            label={t('nuclearMedicine.common.physician')}
            value={physicianId}
            onChange={setPhysicianId}
            data={physicians.map((p) => ({ value: p.id, label: p.displayName }))}
            required
          />
          <Textarea
            label={t('nuclearMedicine.common.reason')}
            description={t('nuclearMedicine.planning.reasonHelp')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            required
            minLength={5}
          />
          {change.isError && <ErrorAlert error={change.error} />}
          {physicians.length === 0 && <Alert color="orange">{t('nuclearMedicine.planning.noPhysician')}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={change.isPending} disabled={!physicianId || reason.trim().length < 5}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** A machine closed or a team member absent for a period: the grid and the next proposal take it into account. */
function UnavailabilityForm({ department }: { department: NmDepartmentDto }) {
  const { t } = useTranslation();
  const closure = useAddClosure();
  const absence = useAddAbsence();
  const [kind, setKind] = useState<'closure' | 'absence'>('closure');
  const [target, setTarget] = useState<string | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [reason, setReason] = useState('');
  const mutation = kind === 'closure' ? closure : absence;
  const startsOn = parseDate(from);
  const endsOn = parseDate(to);
  return (
    <Card withBorder>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!target || !startsOn || !endsOn) return;
          const done = { onSuccess: () => notifications.show({ message: t('nuclearMedicine.planning.recorded') }) };
          if (kind === 'closure') closure.mutate({ equipmentId: target, startsOn, endsOn, reason }, done);
          else absence.mutate({ staffId: target, startsOn, endsOn, reason }, done);
        }}
      >
        <Stack gap="xs">
          <Group justify="space-between">
            <Title order={2} size="h4">
              {t('nuclearMedicine.planning.unavailability')}
            </Title>
            <SegmentedControl
              value={kind}
              onChange={(v) => {
                setKind(v as 'closure' | 'absence');
                setTarget(null);
              }}
              data={[
                { value: 'closure', label: t('nuclearMedicine.planning.closeMachine') },
                { value: 'absence', label: t('nuclearMedicine.planning.absence') },
              ]}
            />
          </Group>
          <Group align="flex-end">
            <Select
              label={
                kind === 'closure' ? t('nuclearMedicine.common.equipment') : t('nuclearMedicine.planning.staffMember')
              }
              value={target}
              onChange={setTarget}
              data={
                kind === 'closure'
                  ? department.equipment.map((e) => ({ value: e.id, label: e.name }))
                  : department.staff.filter((s) => s.active).map((s) => ({ value: s.id, label: s.displayName }))
              }
              searchable
              required
              w={260}
            />
            <DateField label={t('nuclearMedicine.planning.from')} value={from} onChange={setFrom} required w={150} />
            <DateField label={t('nuclearMedicine.planning.to')} value={to} onChange={setTo} required w={150} />
            <Textarea
              label={t('nuclearMedicine.common.reason')}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              required
              autosize
              minRows={1}
              w={280}
            />
            <Button
              type="submit"
              variant="default"
              loading={mutation.isPending}
              disabled={!target || !startsOn || !endsOn || reason.trim().length < 5}
            >
              {t('common.save')}
            </Button>
          </Group>
          {mutation.isError && <ErrorAlert error={mutation.error} />}
        </Stack>
      </form>
    </Card>
  );
}
