import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Modal,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { PinResultDto, PlannedItemDto, ProductionPlanDto, ShiftsDto } from '@passerelle/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../app/session.tsx';
import { DateField } from '../../components/DateField.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { addDays, formatDate, formatDateTime, parseDate, todayIso } from '../../lib/format.ts';
import { useBoardEvents } from '../compounding/api.ts';
import { formatQuantity } from '../compounding/components.tsx';
import {
  productionKeys,
  useAnticipation,
  usePin,
  usePlan,
  useRunAnticipation,
  useSaveShifts,
  useShifts,
  useUnpin,
} from './api.ts';

/** Minutes after midnight → HH:MM. */
export function clock(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  return `${String(Math.floor(m / 60) % 24).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** HH:MM → minutes after midnight, or null. */
export function parseClock(text: string): number | null {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  return match ? Number(match[1]) * 60 + Number(match[2]) : text.trim() === '24:00' ? 1440 : null;
}

/** What each isolator makes next, when each preparation will be ready, who will wait and why. */
export function ProductionPlanPage() {
  const { t } = useTranslation();
  const [dateText, setDateText] = useState(formatDate(todayIso()));
  const day = parseDate(dateText) ?? todayIso();
  const plan = usePlan(day);
  const canManage = useCan('planner:manage');
  const live = useCan('compounding:run');

  return (
    <>
      <PageHeader title={t('production.title')} subtitle={t('production.subtitle')} />
      {live && <LiveReplan />}
      <Stack>
        <Group>
          <DateField label={t('production.day')} value={dateText} onChange={setDateText} />
        </Group>
        <Tabs defaultValue="plan" keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="plan">{t('production.tabs.plan')}</Tabs.Tab>
            <Tabs.Tab value="shifts">{t('production.tabs.shifts')}</Tabs.Tab>
            <Tabs.Tab value="anticipation">{t('production.tabs.anticipation')}</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="plan" pt="md">
            {plan.isPending ? (
              <Loading />
            ) : plan.isError ? (
              <ErrorAlert error={plan.error} />
            ) : (
              <PlanView plan={plan.data} canManage={canManage} />
            )}
          </Tabs.Panel>
          <Tabs.Panel value="shifts" pt="md">
            <ShiftsView day={day} canManage={canManage} />
          </Tabs.Panel>
          <Tabs.Panel value="anticipation" pt="md">
            <AnticipationView day={addDays(day, 1)} canManage={canManage} />
          </Tabs.Panel>
        </Tabs>
      </Stack>
    </>
  );
}

/** Re-plans as soon as a preparation changes state anywhere (green light, start, failed weighing…). */
function LiveReplan() {
  const client = useQueryClient();
  useBoardEvents(() => void client.invalidateQueries({ queryKey: productionKeys.all }));
  return null;
}

function PlanView({ plan, canManage }: { plan: ProductionPlanDto; canManage: boolean }) {
  const { t } = useTranslation();
  const [pinning, setPinning] = useState<PlannedItemDto | null>(null);
  const unpin = useUnpin();
  const total = plan.isolators.reduce((n, i) => n + i.items.length, 0);
  return (
    <Stack>
      <Group gap="xs">
        <Badge variant="light">{t('production.summary.preparations', { count: total })}</Badge>
        <Badge variant="light" color={plan.objective.latePreparations > 0 ? 'red' : 'teal'}>
          {t('production.summary.late', { count: plan.objective.latePreparations })}
        </Badge>
        <Badge variant="light" color="gray">
          {t('production.summary.waiting', { minutes: Math.round(plan.objective.tardinessMin) })}
        </Badge>
        <Badge variant="light" color="gray">
          {t('production.summary.waste', { euros: plan.objective.expectedWasteEur.toFixed(2) })}
        </Badge>
        <Text size="xs" c="dimmed">
          {t('production.summary.computed', { time: clock(plan.nowMin), ms: plan.computeMs })}
        </Text>
      </Group>
      {plan.assumptions.map((a) => (
        <Alert key={a.kind} color="yellow" variant="light" title={t(`production.assumptions.${a.kind}.title`)}>
          {a.kind === 'no_shifts'
            ? t('production.assumptions.no_shifts.text', { count: a.technicians })
            : t(`production.assumptions.${a.kind}.text`, { count: a.preparationIds.length })}
        </Alert>
      ))}
      {plan.unassigned.length > 0 && (
        <Alert color="red" title={t('production.unassigned')}>
          {t('production.unassignedText', { count: plan.unassigned.length })}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, md: Math.min(plan.isolators.length, 3) }}>
        {plan.isolators.map(({ isolator, items }) => (
          <Card key={isolator.id} withBorder padding="sm" aria-label={isolator.label}>
            <Group justify="space-between" mb="xs">
              <Title order={3} size="h5">
                {isolator.code} — {isolator.label}
              </Title>
              {isolator.dedicatedFamily && (
                <Badge variant="outline">
                  {t(
                    `production.dedicated.${isolator.dedicatedFamily as 'cytotoxic' | 'monoclonal_antibody' | 'clinical_trial'}`,
                  )}
                </Badge>
              )}
            </Group>
            {items.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('production.isolatorIdle')}
              </Text>
            ) : (
              <Table striped withRowBorders={false} aria-label={t('production.sequenceOf', { code: isolator.code })}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('production.columns.start')}</Table.Th>
                    <Table.Th scope="col">{t('production.columns.preparation')}</Table.Th>
                    <Table.Th scope="col">{t('production.columns.ready')}</Table.Th>
                    <Table.Th scope="col">{t('production.columns.lateness')}</Table.Th>
                    {canManage && <Table.Th scope="col">{t('common.actions')}</Table.Th>}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((item) => (
                    <Table.Tr key={item.preparationId}>
                      <Table.Td>
                        {clock(item.startMin)}
                        {item.state === 'in_progress' && (
                          <Badge size="xs" ml={4} color="blue">
                            {t('production.inProgress')}
                          </Badge>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" fw={500}>
                          {item.patient.name}
                        </Text>
                        <Text size="xs">
                          {item.molecule} {formatQuantity(Number(item.dose))} {item.doseUnit} ·{' '}
                          {item.destinationUnit ?? item.establishment}
                        </Text>
                        <Group gap={4}>
                          {!item.greenLight && (
                            <Badge size="xs" color="gray" variant="outline">
                              {t('production.noGreenLight')}
                            </Badge>
                          )}
                          {item.beforeGreenLight && (
                            <Badge size="xs" color="orange" variant="outline">
                              {t('production.beforeGreenLight')}
                            </Badge>
                          )}
                          {item.pinned && (
                            <Badge size="xs" color="violet">
                              {t('production.pinned')}
                            </Badge>
                          )}
                          {item.waitReason && (
                            <Text size="xs" c="dimmed">
                              {t(`production.reasons.${item.waitReason}`)}
                            </Text>
                          )}
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        {clock(item.readyMin)}
                        <Text size="xs" c="dimmed">
                          {t('production.due', { time: clock(item.dueMin) })}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        {item.latenessMin > 0 ? (
                          <Badge color="red">{t('production.lateBy', { minutes: Math.round(item.latenessMin) })}</Badge>
                        ) : (
                          <Badge color="teal" variant="light">
                            {t('production.onTime')}
                          </Badge>
                        )}
                      </Table.Td>
                      {canManage && (
                        <Table.Td>
                          {item.state === 'pending' &&
                            (item.pinned ? (
                              <Button
                                size="compact-xs"
                                variant="subtle"
                                loading={unpin.isPending}
                                onClick={() => unpin.mutate(item.preparationId)}
                              >
                                {t('production.unpin')}
                              </Button>
                            ) : (
                              <Button size="compact-xs" variant="subtle" onClick={() => setPinning(item)}>
                                {t('production.pin')}
                              </Button>
                            ))}
                        </Table.Td>
                      )}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Card>
        ))}
      </SimpleGrid>
      {pinning && <PinModal item={pinning} plan={plan} onClose={() => setPinning(null)} />}
    </Stack>
  );
}

function PinModal({ item, plan, onClose }: { item: PlannedItemDto; plan: ProductionPlanDto; onClose: () => void }) {
  const { t } = useTranslation();
  const pin = usePin();
  const [isolatorId, setIsolatorId] = useState<string | null>(plan.isolators[0]?.isolator.id ?? null);
  const [position, setPosition] = useState<number | string>(0);
  const [reason, setReason] = useState('');
  const [preview, setPreview] = useState<PinResultDto | null>(null);
  const body = () => ({
    preparationId: item.preparationId,
    isolatorId: isolatorId!,
    ...(typeof position === 'number' ? { position } : {}),
    reason,
  });
  const ready = isolatorId !== null && reason.trim().length >= 3;
  return (
    <Modal opened onClose={onClose} title={t('production.pinTitle', { patient: item.patient.name })}>
      <Stack>
        <Select
          label={t('production.isolator')}
          data={plan.isolators.map((i) => ({
            value: i.isolator.id,
            label: `${i.isolator.code} — ${i.isolator.label}`,
          }))}
          value={isolatorId}
          onChange={(v) => {
            setIsolatorId(v);
            setPreview(null);
          }}
          allowDeselect={false}
        />
        <NumberInput
          label={t('production.position')}
          description={t('production.positionHelp')}
          min={0}
          value={position}
          onChange={(v) => {
            setPosition(v);
            setPreview(null);
          }}
        />
        <TextInput
          label={t('production.reason')}
          required
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
        />
        {pin.isError && <ErrorAlert error={pin.error} />}
        {preview && (
          <Alert color={preview.costDelta > 0 ? 'orange' : 'teal'} title={t('production.costTitle')}>
            {preview.costDelta > 0
              ? t('production.cost', {
                  minutes: Math.round(preview.weightedTardinessDelta),
                  delta: preview.costDelta.toFixed(1),
                })
              : t('production.noCost')}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button
            variant="default"
            disabled={!ready}
            loading={pin.isPending && !preview}
            onClick={() => pin.mutate({ ...body(), dryRun: true }, { onSuccess: setPreview })}
          >
            {t('production.previewCost')}
          </Button>
          <Button
            disabled={!ready || !preview}
            loading={pin.isPending && preview !== null}
            onClick={() =>
              pin.mutate(body(), {
                onSuccess: () => {
                  notifications.show({ color: 'teal', message: t('production.pinned') });
                  onClose();
                },
              })
            }
          >
            {t('production.confirmPin')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

interface ShiftRowState {
  userId: string | null;
  start: string;
  end: string;
}

function ShiftsView({ day, canManage }: { day: string; canManage: boolean }) {
  const shifts = useShifts(day);
  if (shifts.isPending) return <Loading />;
  if (shifts.isError) return <ErrorAlert error={shifts.error} />;
  return <ShiftsEditor key={`${day}-${shifts.dataUpdatedAt}`} data={shifts.data} canManage={canManage} />;
}

function ShiftsEditor({ data, canManage }: { data: ShiftsDto; canManage: boolean }) {
  const { t } = useTranslation();
  const save = useSaveShifts();
  const [rows, setRows] = useState<ShiftRowState[]>(
    data.shifts.map((s) => ({ userId: s.userId, start: clock(s.startMin), end: clock(s.endMin) })),
  );
  const people = data.postable.map((p) => ({
    value: p.userId,
    label: `${p.label} (${t(p.role === 'pharmacist' ? 'roles.pharmacist' : 'roles.pharmacy_technician')})`,
  }));
  const set = (k: number, change: Partial<ShiftRowState>) =>
    setRows(rows.map((r, i) => (i === k ? { ...r, ...change } : r)));
  const parsed = rows.map((r) => ({ userId: r.userId, startMin: parseClock(r.start), endMin: parseClock(r.end) }));
  const valid = parsed.every((r) => r.userId && r.startMin !== null && r.endMin !== null && r.endMin > r.startMin);
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {t('production.shiftsHelp')}
      </Text>
      <Table aria-label={t('production.tabs.shifts')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('production.technician')}</Table.Th>
            <Table.Th scope="col">{t('production.shiftStart')}</Table.Th>
            <Table.Th scope="col">{t('production.shiftEnd')}</Table.Th>
            {canManage && <Table.Th scope="col">{t('common.actions')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r, k) => (
            <Table.Tr key={k}>
              <Table.Td>
                <Select
                  aria-label={t('production.technician')}
                  data={people}
                  value={r.userId}
                  onChange={(v) => set(k, { userId: v })}
                  disabled={!canManage}
                  searchable
                />
              </Table.Td>
              <Table.Td>
                <TextInput
                  aria-label={t('production.shiftStart')}
                  value={r.start}
                  onChange={(e) => set(k, { start: e.currentTarget.value })}
                  error={parseClock(r.start) === null ? t('production.timeFormat') : undefined}
                  disabled={!canManage}
                  maxLength={5}
                />
              </Table.Td>
              <Table.Td>
                <TextInput
                  aria-label={t('production.shiftEnd')}
                  value={r.end}
                  onChange={(e) => set(k, { end: e.currentTarget.value })}
                  error={parseClock(r.end) === null ? t('production.timeFormat') : undefined}
                  disabled={!canManage}
                  maxLength={5}
                />
              </Table.Td>
              {canManage && (
                <Table.Td>
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    color="red"
                    onClick={() => setRows(rows.filter((_, i) => i !== k))}
                  >
                    {t('production.removeShift')}
                  </Button>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {save.isError && <ErrorAlert error={save.error} />}
      {canManage && (
        <Group>
          <Button variant="default" onClick={() => setRows([...rows, { userId: null, start: '08:00', end: '16:00' }])}>
            {t('production.addShift')}
          </Button>
          <Button
            disabled={!valid}
            loading={save.isPending}
            onClick={() =>
              save.mutate(
                {
                  day: data.day,
                  shifts: parsed.map((r) => ({ userId: r.userId!, startMin: r.startMin!, endMin: r.endMin! })),
                },
                { onSuccess: () => notifications.show({ color: 'teal', message: t('production.shiftsSaved') }) },
              )
            }
          >
            {t('common.save')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

function AnticipationView({ day, canManage }: { day: string; canManage: boolean }) {
  const { t } = useTranslation();
  const proposal = useAnticipation(day);
  const run = useRunAnticipation(day);
  return (
    <Stack>
      <Group justify="space-between">
        <Text>{t('production.anticipationFor', { day: formatDate(day) })}</Text>
        {canManage && (
          <Button variant="default" loading={run.isPending} onClick={() => run.mutate()}>
            {t('production.computeNow')}
          </Button>
        )}
      </Group>
      {run.isError && <ErrorAlert error={run.error} />}
      {proposal.isPending ? (
        <Loading />
      ) : proposal.isError ? (
        <ErrorAlert error={proposal.error} />
      ) : proposal.data === null ? (
        <Text c="dimmed">{t('production.noProposal')}</Text>
      ) : (
        <Stack>
          <Group gap="xs">
            <Badge variant="light">
              {t('production.proposal.count', {
                count: proposal.data.items.length,
                candidates: proposal.data.candidates,
              })}
            </Badge>
            <Badge variant="light" color="orange">
              {t('production.proposal.waste', { euros: proposal.data.expectedWasteEur.toFixed(2) })}
            </Badge>
            <Badge variant="light" color="teal">
              {t('production.proposal.waiting', {
                without: Math.round(proposal.data.weightedTardinessWithout),
                with: Math.round(proposal.data.weightedTardinessWith),
              })}
            </Badge>
          </Group>
          {proposal.data.items.length === 0 ? (
            <Text c="dimmed">{t('production.proposal.none')}</Text>
          ) : (
            <Table striped aria-label={t('production.tabs.anticipation')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('production.columns.patient')}</Table.Th>
                  <Table.Th scope="col">{t('production.columns.drug')}</Table.Th>
                  <Table.Th scope="col">{t('production.columns.cost')}</Table.Th>
                  <Table.Th scope="col">{t('production.columns.cancellation')}</Table.Th>
                  <Table.Th scope="col">{t('production.columns.expectedWaste')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {proposal.data.items.map((i) => (
                  <Table.Tr key={i.preparationId}>
                    <Table.Td>{i.patient?.name ?? '—'}</Table.Td>
                    <Table.Td>{i.molecule ?? '—'}</Table.Td>
                    <Table.Td>{i.costEur.toFixed(2)} €</Table.Td>
                    <Table.Td>{Math.round(i.cancellationProbability * 100)} %</Table.Td>
                    <Table.Td>{i.expectedWasteEur.toFixed(2)} €</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          <Text size="xs" c="dimmed">
            {t('production.proposal.computedAt', { at: formatDateTime(proposal.data.createdAt) })}
          </Text>
        </Stack>
      )}
    </Stack>
  );
}
