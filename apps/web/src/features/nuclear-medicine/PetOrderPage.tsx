import { Alert, Badge, Button, Card, Group, NumberInput, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPrinter } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../app/session.tsx';
import { DateField } from '../../components/DateField.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { formatDate, parseDate, todayIso } from '../../lib/format.ts';
import {
  hhmm,
  parseHhmm,
  useApplyOrder,
  useDepartment,
  useMeasureDelivery,
  usePetDay,
  useSaveDeliveries,
} from './api.ts';
import { formatMBq } from './components.tsx';
import classes from './print.module.css';

/**
 * The day's FDG ordering sheet: each dose decay-corrected to its delivery's calibration, the activity to order
 * per delivery, the optimiser's order of patients; printable (the browser's print keeps only the sheet).
 */
export function PetOrderPage() {
  const { t } = useTranslation();
  const canRecord = useCan('nm:record');
  const [dateText, setDateText] = useState(formatDate(todayIso()));
  const date = parseDate(dateText) ?? todayIso();
  const department = useDepartment();
  const sheet = usePetDay(date);
  const save = useSaveDeliveries();
  const apply = useApplyOrder();
  const [times, setTimes] = useState('');
  const parsedTimes = times
    .split(/[,;\s]+/)
    .filter(Boolean)
    .map(parseHhmm);
  const timesValid = parsedTimes.length > 0 && parsedTimes.every((m) => m !== null);
  const equipmentName = (id: string) => department.data?.equipment.find((e) => e.id === id)?.name ?? '—';

  return (
    <>
      <PageHeader
        title={t('nuclearMedicine.pet.title')}
        subtitle={t('nuclearMedicine.pet.subtitle')}
        actions={
          <Button variant="default" leftSection={<IconPrinter size={16} aria-hidden />} onClick={() => window.print()}>
            {t('nuclearMedicine.pet.print')}
          </Button>
        }
      />
      <Stack>
        <Group className={classes.noPrint}>
          <DateField label={t('nuclearMedicine.common.date')} value={dateText} onChange={setDateText} />
        </Group>
        {sheet.isPending ? (
          <Loading />
        ) : sheet.isError ? (
          <ErrorAlert error={sheet.error} />
        ) : (
          <div className={classes.sheet}>
            <Title order={2} size="h4" mb="xs">
              {t('nuclearMedicine.pet.sheetTitle', { date: formatDate(sheet.data.date) })}
            </Title>
            <Text size="sm" mb="sm">
              {t('nuclearMedicine.pet.method', {
                halfLife: sheet.data.halfLifeMin,
                margin: sheet.data.marginPercent,
              })}
            </Text>
            {sheet.data.doses.length === 0 ? (
              <Text c="dimmed">{t('nuclearMedicine.pet.empty')}</Text>
            ) : (
              <Stack>
                {sheet.data.deliveryWarning && <Alert color="orange">{t('nuclearMedicine.pet.deliveryWarning')}</Alert>}
                <Table aria-label={t('nuclearMedicine.pet.deliveries')} withTableBorder>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{t('nuclearMedicine.pet.calibration')}</Table.Th>
                      <Table.Th scope="col">{t('nuclearMedicine.pet.doses')}</Table.Th>
                      <Table.Th scope="col">{t('nuclearMedicine.pet.dosesAtCalibration')}</Table.Th>
                      <Table.Th scope="col">{t('nuclearMedicine.pet.order')}</Table.Th>
                      <Table.Th scope="col">{t('nuclearMedicine.pet.measured')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {sheet.data.deliveries.map((d) => (
                      <Table.Tr key={d.calibrationMin}>
                        <Table.Td>
                          {hhmm(d.calibrationMin)}{' '}
                          {!d.id && (
                            <Badge color="gray" variant="light" size="sm">
                              {t('nuclearMedicine.pet.proposed')}
                            </Badge>
                          )}
                        </Table.Td>
                        <Table.Td>{d.bookingIds.length}</Table.Td>
                        <Table.Td>{t('nuclearMedicine.common.mbq', { value: formatMBq(d.dosesMBq) })}</Table.Td>
                        <Table.Td fw={700}>
                          {t('nuclearMedicine.common.mbq', { value: formatMBq(d.orderMBq) })}
                        </Table.Td>
                        <Table.Td>
                          {d.measuredMBq !== null ? (
                            `${t('nuclearMedicine.common.mbq', { value: formatMBq(d.measuredMBq) })} · ${t('nuclearMedicine.pet.waste', { value: formatMBq(d.wasteMBq ?? 0) })}`
                          ) : d.id && canRecord ? (
                            <MeasureForm deliveryId={d.id} calibration={hhmm(d.calibrationMin)} />
                          ) : (
                            '—'
                          )}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
                <Text fw={700} data-testid="pet-total">
                  {t('nuclearMedicine.pet.total', { value: formatMBq(sheet.data.totalOrderMBq) })}
                </Text>
                <Table aria-label={t('nuclearMedicine.pet.dosesTitle')} withTableBorder fz="sm">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{t('nuclearMedicine.day.injection')}</Table.Th>
                      <Table.Th scope="col">{t('nuclearMedicine.common.equipment')}</Table.Th>
                      <Table.Th scope="col">{t('nuclearMedicine.common.patient')}</Table.Th>
                      <Table.Th scope="col">{t('nuclearMedicine.pet.prescribed')}</Table.Th>
                      <Table.Th scope="col">{t('nuclearMedicine.pet.atCalibration')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {sheet.data.doses.map((d) => (
                      <Table.Tr key={d.bookingId}>
                        <Table.Td>{hhmm(d.injectionMin)}</Table.Td>
                        <Table.Td>{equipmentName(d.equipmentId)}</Table.Td>
                        <Table.Td>
                          {d.patientLabel}
                          {d.diabetic && (
                            <Badge ml="xs" color="red" variant="light" size="sm">
                              {t('nuclearMedicine.common.diabetic')}
                            </Badge>
                          )}
                        </Table.Td>
                        <Table.Td>{t('nuclearMedicine.common.mbq', { value: formatMBq(d.prescribedMBq) })}</Table.Td>
                        <Table.Td>{t('nuclearMedicine.common.mbq', { value: formatMBq(d.atCalibrationMBq) })}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Stack>
            )}
          </div>
        )}
        {sheet.data && sheet.data.doses.length > 0 && (
          <Card withBorder className={classes.noPrint}>
            <Stack>
              <Title order={2} size="h4">
                {t('nuclearMedicine.pet.optimiser')}
              </Title>
              {sheet.data.optimised ? (
                <Text>
                  {t('nuclearMedicine.pet.optimised', {
                    value: formatMBq(sheet.data.optimised.totalOrderMBq),
                    saving: formatMBq(sheet.data.totalOrderMBq - sheet.data.optimised.totalOrderMBq),
                    moves: sheet.data.optimised.moves.length,
                  })}
                </Text>
              ) : (
                <Alert color="orange">{t('nuclearMedicine.pet.infeasible')}</Alert>
              )}
              {apply.isError && <ErrorAlert error={apply.error} />}
              <Group>
                <Button
                  variant="default"
                  disabled={!sheet.data.optimised || sheet.data.optimised.moves.length === 0}
                  loading={apply.isPending}
                  onClick={() =>
                    apply.mutate(date, {
                      onSuccess: () => notifications.show({ message: t('nuclearMedicine.pet.applied') }),
                    })
                  }
                >
                  {t('nuclearMedicine.pet.apply')}
                </Button>
              </Group>
              {canRecord && (
                <form
                  onSubmit={(e) => {
                    e.preventDefault();
                    if (!timesValid) return;
                    save.mutate(
                      { date, calibrationMins: parsedTimes as number[] },
                      { onSuccess: () => notifications.show({ message: t('nuclearMedicine.pet.saved') }) },
                    );
                  }}
                >
                  <Group align="flex-end">
                    <TextInput
                      label={t('nuclearMedicine.pet.calibrationTimes')}
                      value={times}
                      onChange={(e) => setTimes(e.currentTarget.value)}
                      placeholder="07:45, 11:30"
                      error={times && !timesValid ? t('nuclearMedicine.day.timeInvalid') : undefined}
                    />
                    <Button type="submit" loading={save.isPending} disabled={!timesValid}>
                      {t('nuclearMedicine.pet.saveDeliveries')}
                    </Button>
                  </Group>
                  {save.isError && <ErrorAlert error={save.error} />}
                </form>
              )}
            </Stack>
          </Card>
        )}
      </Stack>
    </>
  );
}

/** The activity measured when the delivery arrives, and what was left unused at the end of the day. */
function MeasureForm({ deliveryId, calibration }: { deliveryId: string; calibration: string }) {
  const { t } = useTranslation();
  const measure = useMeasureDelivery();
  const [measured, setMeasured] = useState<number | string>('');
  const [waste, setWaste] = useState<number | string>('');
  return (
    <form
      className={classes.noPrint}
      onSubmit={(e) => {
        e.preventDefault();
        if (measured === '' || waste === '') return;
        measure.mutate({ id: deliveryId, measuredMBq: Number(measured), wasteMBq: Number(waste) });
      }}
    >
      <Group gap="xs" align="flex-end" wrap="nowrap">
        <NumberInput
          size="xs"
          w={110}
          label={t('nuclearMedicine.pet.measuredAt', { time: calibration })}
          value={measured}
          onChange={setMeasured}
          min={0}
        />
        <NumberInput
          size="xs"
          w={110}
          label={t('nuclearMedicine.pet.wasteLabel')}
          value={waste}
          onChange={setWaste}
          min={0}
        />
        <Button size="xs" type="submit" variant="default" loading={measure.isPending}>
          {t('common.save')}
        </Button>
      </Group>
      {measure.isError && <ErrorAlert error={measure.error} />}
    </form>
  );
}
