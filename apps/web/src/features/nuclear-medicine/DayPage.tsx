import {
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Modal,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { NmBookingDto, NmDayDto, NmDepartmentDto } from '@passerelle/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCan } from '../../app/session.tsx';
import { DateField } from '../../components/DateField.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { formatDate, parseDate, todayIso } from '../../lib/format.ts';
import { usePatientSearch } from '../patients/api.ts';
import { usePatientLabel } from '../patients/components.tsx';
import { hhmm, parseHhmm, useBook, useDay, useDepartment, usePerform } from './api.ts';
import { SectorBadge, formatMBq, staffName } from './components.tsx';

const STATUS_COLOR = { booked: 'blue', performed: 'teal', cancelled: 'gray' } as const;

/** The secretary's day: each session with its bookings, the booking form, and recording an exam performed. */
export function DayPage() {
  const { t, i18n } = useTranslation();
  const canBook = useCan('nm:book');
  const canRecord = useCan('nm:record');
  const [dateText, setDateText] = useState(formatDate(todayIso()));
  const date = parseDate(dateText) ?? todayIso();
  const department = useDepartment();
  const day = useDay(date);
  const [performing, setPerforming] = useState<NmBookingDto | null>(null);
  const exam = (id: string) => department.data?.examTypes.find((x) => x.id === id);
  const examName = (id: string) => {
    const x = exam(id);
    return x ? (i18n.language === 'en' ? x.nameEn : x.nameFr) : '—';
  };

  return (
    <>
      <PageHeader title={t('nuclearMedicine.day.title')} subtitle={t('nuclearMedicine.day.subtitle')} />
      <Stack>
        <Group>
          <DateField label={t('nuclearMedicine.common.date')} value={dateText} onChange={setDateText} />
        </Group>
        {department.isError && <ErrorAlert error={department.error} />}
        {day.isPending || department.isPending ? (
          <Loading />
        ) : day.isError ? (
          <ErrorAlert error={day.error} />
        ) : (
          <>
            {canBook && <BookingForm department={department.data!} day={day.data} />}
            {day.data.sessions.length === 0 && <Text c="dimmed">{t('nuclearMedicine.day.empty')}</Text>}
            {day.data.sessions.map((s) => {
              const equipment = department.data!.equipment.find((e) => e.id === s.equipmentId);
              return (
                <Card withBorder key={s.id}>
                  <Group justify="space-between" mb="xs">
                    <Title order={2} size="h5">
                      {equipment?.name} · {t(`nuclearMedicine.common.halfDay.${s.halfDay}`)} ·{' '}
                      {staffName(department.data, s.physicianId)}
                    </Title>
                    <SectorBadge department={department.data} sectorId={s.sectorId} />
                  </Group>
                  {s.bookingList.length === 0 ? (
                    <Text size="sm" c="dimmed">
                      {t('nuclearMedicine.day.noBooking')}
                    </Text>
                  ) : (
                    <Table aria-label={`${equipment?.name} ${t(`nuclearMedicine.common.halfDay.${s.halfDay}`)}`}>
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th scope="col">{t('nuclearMedicine.day.injection')}</Table.Th>
                          <Table.Th scope="col">{t('nuclearMedicine.common.patient')}</Table.Th>
                          <Table.Th scope="col">{t('nuclearMedicine.common.exam')}</Table.Th>
                          <Table.Th scope="col">{t('nuclearMedicine.common.activity')}</Table.Th>
                          <Table.Th scope="col">{t('nuclearMedicine.common.statusLabel')}</Table.Th>
                          {canRecord && <Table.Th scope="col">{t('common.actions')}</Table.Th>}
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {s.bookingList.map((b) => (
                          <Table.Tr key={b.id}>
                            <Table.Td>{hhmm(b.startMin)}</Table.Td>
                            <Table.Td>
                              {b.patient ? (
                                <Link to={`/patients/${b.patient.id}`}>{b.patient.displayName}</Link>
                              ) : (
                                <Text span c="dimmed">
                                  {t('nuclearMedicine.day.busy')}
                                </Text>
                              )}
                              {b.diabetic && (
                                <Badge ml="xs" color="red" variant="light" size="sm">
                                  {t('nuclearMedicine.common.diabetic')}
                                </Badge>
                              )}
                            </Table.Td>
                            <Table.Td>{examName(b.examTypeId)}</Table.Td>
                            <Table.Td>
                              {b.prescribedMBq !== null
                                ? t('nuclearMedicine.common.mbq', { value: formatMBq(b.prescribedMBq) })
                                : ''}
                              {b.injectedMBq !== null
                                ? ` → ${t('nuclearMedicine.common.mbq', { value: formatMBq(b.injectedMBq) })}`
                                : ''}
                            </Table.Td>
                            <Table.Td>
                              <Badge color={STATUS_COLOR[b.status]} variant="light">
                                {t(`nuclearMedicine.common.status.${b.status}`)}
                              </Badge>
                            </Table.Td>
                            {canRecord && (
                              <Table.Td>
                                {b.detailed && b.status === 'booked' && (
                                  <Button
                                    size="xs"
                                    variant="default"
                                    onClick={() => setPerforming(b)}
                                    aria-label={t('nuclearMedicine.day.performFor', {
                                      time: hhmm(b.startMin),
                                      patient: b.patient?.displayName ?? '',
                                    })}
                                  >
                                    {t('nuclearMedicine.day.perform')}
                                  </Button>
                                )}
                              </Table.Td>
                            )}
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  )}
                </Card>
              );
            })}
          </>
        )}
      </Stack>
      {performing && (
        <PerformModal booking={performing} limits={exam(performing.examTypeId)} onClose={() => setPerforming(null)} />
      )}
    </>
  );
}

function BookingForm({ department, day }: { department: NmDepartmentDto; day: NmDayDto }) {
  const { t, i18n } = useTranslation();
  const label = usePatientLabel();
  const book = useBook();
  const [sessionId, setSessionId] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [patientId, setPatientId] = useState<string | null>(null);
  const [examTypeId, setExamTypeId] = useState<string | null>(null);
  const [time, setTime] = useState('08:00');
  const [weight, setWeight] = useState<number | string>('');
  const [diabetic, setDiabetic] = useState(false);
  const patients = usePatientSearch(query.trim().length >= 2 ? query.trim() : '', null);
  const session = day.sessions.find((s) => s.id === sessionId);
  const equipmentType = department.equipment.find((e) => e.id === session?.equipmentId)?.type;
  const exams = department.examTypes.filter((x) => !equipmentType || x.equipmentType === equipmentType);
  const selectedExam = department.examTypes.find((x) => x.id === examTypeId);
  const startMin = parseHhmm(time);
  const sessionLabel = (s: NmDayDto['sessions'][number]) =>
    `${department.equipment.find((e) => e.id === s.equipmentId)?.name} · ${t(`nuclearMedicine.common.halfDay.${s.halfDay}`)} · ${staffName(department, s.physicianId)}`;

  return (
    <Card withBorder>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!sessionId || !patientId || !examTypeId || startMin === null) return;
          book.mutate(
            {
              sessionId,
              patientId,
              examTypeId,
              startMin,
              weightKg: weight === '' ? null : Number(weight),
              diabetic,
            },
            {
              onSuccess: (b) =>
                notifications.show({
                  message: t('nuclearMedicine.day.booked', {
                    time: hhmm(b.startMin),
                    activity: formatMBq(b.prescribedMBq ?? 0),
                  }),
                }),
            },
          );
        }}
      >
        <Stack>
          <Title order={2} size="h4">
            {t('nuclearMedicine.day.book')}
          </Title>
          <SimpleGrid cols={{ base: 1, md: 3 }}>
            <Select
              label={t('nuclearMedicine.day.session')}
              value={sessionId}
              onChange={(v) => {
                setSessionId(v);
                setExamTypeId(null);
              }}
              data={day.sessions
                .filter((s) => department.mySectorId === null || s.sectorId === department.mySectorId)
                .map((s) => ({ value: s.id, label: sessionLabel(s) }))}
              allowDeselect={false}
              required
            />
            <TextInput
              label={t('nuclearMedicine.day.patientSearch')}
              value={query}
              onChange={(e) => setQuery(e.currentTarget.value)}
            />
            <Select
              label={t('nuclearMedicine.common.patient')}
              value={patientId}
              onChange={setPatientId}
              data={(patients.data?.items ?? []).map((p) => ({
                value: p.id,
                label: `${label(p)} (${formatDate(p.birthDate)})`,
              }))}
              nothingFoundMessage={t('common.nothingFound')}
              allowDeselect={false}
              required
            />
            <Select
              label={t('nuclearMedicine.common.exam')}
              value={examTypeId}
              onChange={setExamTypeId}
              data={exams.map((x) => ({ value: x.id, label: i18n.language === 'en' ? x.nameEn : x.nameFr }))}
              allowDeselect={false}
              required
            />
            <TextInput
              label={t('nuclearMedicine.day.time')}
              value={time}
              onChange={(e) => setTime(e.currentTarget.value)}
              error={startMin === null ? t('nuclearMedicine.day.timeInvalid') : undefined}
              required
            />
            <NumberInput
              label={t('nuclearMedicine.day.weight')}
              value={weight}
              onChange={setWeight}
              min={1}
              max={350}
              suffix=" kg"
            />
          </SimpleGrid>
          <Checkbox
            label={t('nuclearMedicine.common.diabetic')}
            checked={diabetic}
            onChange={(e) => setDiabetic(e.currentTarget.checked)}
          />
          {selectedExam && (
            <Text size="sm" c="dimmed">
              {t('nuclearMedicine.day.examRule', {
                radiopharmaceutical: selectedExam.radiopharmaceutical,
                rule:
                  selectedExam.mbqPerKg !== null
                    ? t('nuclearMedicine.day.perKg', { value: selectedExam.mbqPerKg })
                    : t('nuclearMedicine.day.flat'),
                min: selectedExam.minMBq,
                max: selectedExam.maxMBq,
                uptake: selectedExam.uptakeMin,
                duration: selectedExam.durationMin,
              })}{' '}
              {i18n.language === 'en' ? selectedExam.preparationEn : selectedExam.preparationFr}
            </Text>
          )}
          {book.isError && <ErrorAlert error={book.error} />}
          <Group>
            <Button type="submit" loading={book.isPending}>
              {t('nuclearMedicine.day.bookAction')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function PerformModal(props: {
  booking: NmBookingDto;
  limits: { minMBq: number; maxMBq: number } | undefined;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const perform = usePerform();
  const [injected, setInjected] = useState<number | string>(props.booking.prescribedMBq ?? '');
  const [measured, setMeasured] = useState<number | string>('');
  return (
    <Modal opened onClose={props.onClose} title={t('nuclearMedicine.day.performTitle')}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          perform.mutate(
            {
              id: props.booking.id,
              injectedMBq: Number(injected),
              measuredMBq: measured === '' ? null : Number(measured),
            },
            {
              onSuccess: (r) => {
                notifications.show({ message: t('nuclearMedicine.day.performed', { value: r.valueEur }) });
                props.onClose();
              },
            },
          );
        }}
      >
        <Stack>
          <Text size="sm">
            {props.booking.patient?.displayName} · {hhmm(props.booking.startMin)}
          </Text>
          <NumberInput
            label={t('nuclearMedicine.day.injected')}
            description={
              props.limits
                ? t('nuclearMedicine.day.limits', { min: props.limits.minMBq, max: props.limits.maxMBq })
                : ''
            }
            value={injected}
            onChange={setInjected}
            suffix=" MBq"
            required
          />
          <NumberInput
            label={t('nuclearMedicine.day.measured')}
            value={measured}
            onChange={setMeasured}
            suffix=" MBq"
          />
          {perform.isError && <ErrorAlert error={perform.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={perform.isPending}>
              {t('nuclearMedicine.day.record')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
