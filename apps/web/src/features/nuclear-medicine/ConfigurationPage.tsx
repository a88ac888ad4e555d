import {
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Tabs,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  NM_EQUIPMENT_TYPES,
  NM_STAFF_KINDS,
  NmExamTypeBody,
  type NmDepartmentDto,
  type NmEquipmentType,
  type NmStaffKind,
} from '@passerelle/contracts';
import { useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.ts';
import { useCan } from '../../app/session.tsx';
import { DateField } from '../../components/DateField.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { formatDate, parseDate } from '../../lib/format.ts';
import { useEstablishments } from '../organisation/api.ts';
import {
  hhmm,
  parseHhmm,
  useAddEquipment,
  useAddExamType,
  useAddSector,
  useAddShareAgreement,
  useAddStaff,
  useDepartment,
  useNmAccounts,
  useSetTariff,
} from './api.ts';
import { formatMBq } from './components.tsx';

type Nuclide = NmExamTypeBody['nuclide'];
const NUCLIDES: readonly Nuclide[] = NmExamTypeBody.shape.nuclide.options;
const WEEKDAYS = ['1', '2', '3', '4', '5', '6', '7'] as const;
type Weekday = (typeof WEEKDAYS)[number];
const TABS = ['sectors', 'equipment', 'staff', 'examTypes', 'shares', 'tariffs'] as const;

/** A number field's value (Mantine gives a string while the text is not yet a number). */
const toNumber = (value: number | string): number =>
  typeof value === 'number' ? value : Number(value.replace(',', '.'));

/** The department's configuration: what exists, and a form to add to each part (sectors, machines, team…). */
export function ConfigurationPage() {
  const { t } = useTranslation();
  const department = useDepartment();
  return (
    <>
      <PageHeader title={t('nmConfiguration.title')} subtitle={t('nmConfiguration.subtitle')} />
      {department.isPending ? (
        <Loading />
      ) : department.isError ? (
        <ErrorAlert error={department.error} />
      ) : (
        <Tabs defaultValue="sectors">
          <Tabs.List aria-label={t('nmConfiguration.tabsLabel')} mb="md">
            {TABS.map((tab) => (
              <Tabs.Tab key={tab} value={tab}>
                {t(`nmConfiguration.${tab}.tab`)}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          <Tabs.Panel value="sectors">
            <SectorsPanel department={department.data} />
          </Tabs.Panel>
          <Tabs.Panel value="equipment">
            <EquipmentPanel department={department.data} />
          </Tabs.Panel>
          <Tabs.Panel value="staff">
            <StaffPanel department={department.data} />
          </Tabs.Panel>
          <Tabs.Panel value="examTypes">
            <ExamTypesPanel department={department.data} />
          </Tabs.Panel>
          <Tabs.Panel value="shares">
            <SharesPanel department={department.data} />
          </Tabs.Panel>
          <Tabs.Panel value="tariffs">
            <TariffsPanel department={department.data} />
          </Tabs.Panel>
        </Tabs>
      )}
    </>
  );
}

/** Marks the fields the server refused (their paths come with VALIDATION_FAILED), and the code on a clash. */
function useFieldErrors(error: unknown): (name: string) => string | undefined {
  const { t } = useTranslation();
  const paths = isApiError(error) ? error.fields.map((f) => f.path.replace(/^body\./, '')) : [];
  if (isApiError(error, 'CONFLICT')) paths.push('code');
  return (name) =>
    paths.some((p) => p === name || p.startsWith(`${name}.`)) ? t('nmConfiguration.fieldInvalid') : undefined;
}

/** A titled list of what exists; the add form follows it. */
function Section(props: { title: string; tableLabel: string; head: string[]; rows: ReactNode[]; form: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Stack>
      <Title order={2} size="h3">
        {props.title}
      </Title>
      <Table.ScrollContainer minWidth={700}>
        <Table aria-label={props.tableLabel} striped withTableBorder>
          <Table.Thead>
            <Table.Tr>
              {props.head.map((h) => (
                <Table.Th scope="col" key={h}>
                  {h}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {props.rows.length > 0 ? (
              props.rows
            ) : (
              <Table.Tr>
                <Table.Td colSpan={props.head.length} c="dimmed">
                  {t('nmConfiguration.empty')}
                </Table.Td>
              </Table.Tr>
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {props.form}
    </Stack>
  );
}

/** An add form, named by its heading; what was typed stays in the fields when the server refuses it. */
function AddForm(props: {
  title: string;
  error: unknown;
  pending: boolean;
  onSubmit: () => void;
  children: ReactNode;
  help?: string;
}) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <Card withBorder>
      <form
        aria-labelledby={id}
        onSubmit={(e) => {
          e.preventDefault();
          props.onSubmit();
        }}
      >
        <Stack gap="sm">
          <Title order={3} size="h4" id={id}>
            {props.title}
          </Title>
          {props.help && (
            <Text size="sm" c="dimmed">
              {props.help}
            </Text>
          )}
          {props.children}
          {props.error ? (
            <ErrorAlert
              error={props.error}
              title={isApiError(props.error, 'CONFLICT') ? t('nmConfiguration.codeTaken') : undefined}
            />
          ) : null}
          <Group justify="flex-end">
            <Button type="submit" loading={props.pending}>
              {t('common.add')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

const added = (message: string) => notifications.show({ color: 'green', message });

function ActiveBadge({ active }: { active: boolean }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={active ? 'green' : 'gray'}>
      {active ? t('nmConfiguration.active') : t('nmConfiguration.inactive')}
    </Badge>
  );
}

// --- sectors ------------------------------------------------------------------------------------------------

function SectorsPanel({ department }: { department: NmDepartmentDto }) {
  const { t } = useTranslation();
  const canReadOrganisation = useCan('organisation:read');
  const establishments = useEstablishments(canReadOrganisation);
  const add = useAddSector();
  const invalid = useFieldErrors(add.error);
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [establishmentId, setEstablishmentId] = useState<string | null>(null);
  const establishmentName = (id: string | null) =>
    (id && establishments.data?.find((e) => e.id === id)?.name) || t('nmConfiguration.none');
  return (
    <Section
      title={t('nmConfiguration.sectors.title')}
      tableLabel={t('nmConfiguration.sectors.table')}
      head={[t('nmConfiguration.code'), t('nmConfiguration.name'), t('nmConfiguration.sectors.establishment')]}
      rows={department.sectors.map((s) => (
        <Table.Tr key={s.id}>
          <Table.Td ff="monospace">{s.code}</Table.Td>
          <Table.Td>{s.name}</Table.Td>
          <Table.Td>{establishmentName(s.establishmentId)}</Table.Td>
        </Table.Tr>
      ))}
      form={
        <AddForm
          title={t('nmConfiguration.sectors.add')}
          error={add.error}
          pending={add.isPending}
          onSubmit={() =>
            add.mutate(
              { code: code.trim(), name, establishmentId },
              {
                onSuccess: (sector) => {
                  added(t('nmConfiguration.addedNotice', { name: sector.name }));
                  setCode('');
                  setName('');
                  setEstablishmentId(null);
                },
              },
            )
          }
        >
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput
              label={t('nmConfiguration.code')}
              description={t('nmConfiguration.codeHelp')}
              value={code}
              onChange={(e) => setCode(e.currentTarget.value)}
              error={invalid('code')}
              autoComplete="off"
              required
            />
            <TextInput
              label={t('nmConfiguration.name')}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={invalid('name')}
              required
            />
            <Select
              label={t('nmConfiguration.sectors.establishment')}
              description={t('nmConfiguration.sectors.establishmentHelp')}
              value={establishmentId}
              onChange={setEstablishmentId}
              data={(establishments.data ?? []).filter((e) => e.active).map((e) => ({ value: e.id, label: e.name }))}
              error={invalid('establishmentId')}
              searchable
              clearable
            />
          </SimpleGrid>
        </AddForm>
      }
    />
  );
}

// --- machines -----------------------------------------------------------------------------------------------

function EquipmentPanel({ department }: { department: NmDepartmentDto }) {
  const { t } = useTranslation();
  const add = useAddEquipment();
  const invalid = useFieldErrors(add.error);
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [type, setType] = useState<NmEquipmentType>('gamma_camera');
  const [weekdays, setWeekdays] = useState<string[]>(['1', '2', '3', '4', '5']);
  const [hours, setHours] = useState({ amFrom: '08:00', amTo: '13:00', pmFrom: '13:30', pmTo: '18:30' });
  const parsed = {
    amFrom: parseHhmm(hours.amFrom),
    amTo: parseHhmm(hours.amTo),
    pmFrom: parseHhmm(hours.pmFrom),
    pmTo: parseHhmm(hours.pmTo),
  };
  const days = (list: number[]) => {
    const sorted = [...list].sort((a, b) => a - b);
    const label = (d: number) => t(`nmConfiguration.weekdayShort.${String(d) as Weekday}`);
    const consecutive = sorted.every((d, i) => i === 0 || d === sorted[i - 1]! + 1);
    return consecutive && sorted.length > 2
      ? `${label(sorted[0]!)} – ${label(sorted.at(-1)!)}`
      : sorted.map(label).join(', ');
  };
  const hourField = (key: keyof typeof hours, path: string) => (
    <TextInput
      label={t(`nmConfiguration.equipment.${key}`)}
      value={hours[key]}
      onChange={(e) => {
        const value = e.currentTarget.value;
        setHours((h) => ({ ...h, [key]: value }));
      }}
      error={parsed[key] === null ? t('nmConfiguration.equipment.timeInvalid') : invalid(path)}
      inputMode="numeric"
      autoComplete="off"
      required
    />
  );
  return (
    <Section
      title={t('nmConfiguration.equipment.title')}
      tableLabel={t('nmConfiguration.equipment.table')}
      head={[
        t('nmConfiguration.code'),
        t('nmConfiguration.name'),
        t('nmConfiguration.equipment.type'),
        t('nmConfiguration.equipment.opening'),
        t('nmConfiguration.equipment.status'),
      ]}
      rows={department.equipment.map((e) => (
        <Table.Tr key={e.id}>
          <Table.Td ff="monospace">{e.code}</Table.Td>
          <Table.Td>{e.name}</Table.Td>
          <Table.Td>{t(`nmConfiguration.equipmentType.${e.type}`)}</Table.Td>
          <Table.Td>
            {t('nmConfiguration.equipment.openingValue', {
              days: days(e.opening.weekdays),
              am: `${hhmm(e.opening.am[0])}–${hhmm(e.opening.am[1])}`,
              pm: `${hhmm(e.opening.pm[0])}–${hhmm(e.opening.pm[1])}`,
            })}
          </Table.Td>
          <Table.Td>
            <ActiveBadge active={e.active} />
          </Table.Td>
        </Table.Tr>
      ))}
      form={
        <AddForm
          title={t('nmConfiguration.equipment.add')}
          error={add.error}
          pending={add.isPending}
          onSubmit={() => {
            const { amFrom, amTo, pmFrom, pmTo } = parsed;
            if (amFrom === null || amTo === null || pmFrom === null || pmTo === null) return;
            add.mutate(
              {
                code: code.trim(),
                name,
                type,
                opening: {
                  weekdays: weekdays.map(Number).sort((a, b) => a - b),
                  am: [amFrom, amTo],
                  pm: [pmFrom, pmTo],
                },
              },
              {
                onSuccess: (machine) => {
                  added(t('nmConfiguration.addedNotice', { name: machine.name }));
                  setCode('');
                  setName('');
                },
              },
            );
          }}
        >
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput
              label={t('nmConfiguration.code')}
              description={t('nmConfiguration.equipment.codeHelp')}
              value={code}
              onChange={(e) => setCode(e.currentTarget.value)}
              error={invalid('code')}
              maxLength={20}
              autoComplete="off"
              required
            />
            <TextInput
              label={t('nmConfiguration.name')}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={invalid('name')}
              required
            />
            <Select
              label={t('nmConfiguration.equipment.type')}
              value={type}
              onChange={(v) => v && setType(v as NmEquipmentType)}
              data={NM_EQUIPMENT_TYPES.map((x) => ({ value: x, label: t(`nmConfiguration.equipmentType.${x}`) }))}
              allowDeselect={false}
              error={invalid('type')}
              required
            />
          </SimpleGrid>
          <Checkbox.Group
            label={t('nmConfiguration.equipment.weekdays')}
            value={weekdays}
            onChange={setWeekdays}
            error={invalid('opening.weekdays')}
            required
          >
            <Group mt={4}>
              {WEEKDAYS.map((d) => (
                <Checkbox key={d} value={d} label={t(`nmConfiguration.weekday.${d}`)} />
              ))}
            </Group>
          </Checkbox.Group>
          <SimpleGrid cols={{ base: 2, sm: 4 }}>
            {hourField('amFrom', 'opening.am')}
            {hourField('amTo', 'opening.am')}
            {hourField('pmFrom', 'opening.pm')}
            {hourField('pmTo', 'opening.pm')}
          </SimpleGrid>
        </AddForm>
      }
    />
  );
}

// --- team ---------------------------------------------------------------------------------------------------

function StaffPanel({ department }: { department: NmDepartmentDto }) {
  const { t } = useTranslation();
  const add = useAddStaff();
  const invalid = useFieldErrors(add.error);
  const [kind, setKind] = useState<NmStaffKind>('physician');
  const [sectorId, setSectorId] = useState<string | null>(null);
  const [displayName, setDisplayName] = useState('');
  const [userId, setUserId] = useState<string | null>(null);
  const accounts = useNmAccounts();
  const accountName = (id: string | null) => {
    if (!id) return t('nmConfiguration.staff.noAccount');
    const account = accounts.data?.items.find((a) => a.id === id);
    return account ? `${account.displayName} (${account.username})` : '…';
  };
  const sectorName = (id: string | null) =>
    id
      ? (department.sectors.find((s) => s.id === id)?.name ?? t('nmConfiguration.none'))
      : t('nmConfiguration.staff.noSector');
  return (
    <Section
      title={t('nmConfiguration.staff.title')}
      tableLabel={t('nmConfiguration.staff.table')}
      head={[
        t('nmConfiguration.staff.displayName'),
        t('nmConfiguration.staff.kindLabel'),
        t('nmConfiguration.staff.sector'),
        t('nmConfiguration.staff.account'),
        t('nmConfiguration.staff.status'),
      ]}
      rows={department.staff.map((s) => (
        <Table.Tr key={s.id}>
          <Table.Td>{s.displayName}</Table.Td>
          <Table.Td>{t(`nmConfiguration.staff.kind.${s.kind}`)}</Table.Td>
          <Table.Td>{sectorName(s.sectorId)}</Table.Td>
          <Table.Td>{accountName(s.userId)}</Table.Td>
          <Table.Td>
            <ActiveBadge active={s.active} />
          </Table.Td>
        </Table.Tr>
      ))}
      form={
        <AddForm
          title={t('nmConfiguration.staff.add')}
          error={add.error}
          pending={add.isPending}
          onSubmit={() =>
            add.mutate(
              { kind, sectorId, displayName, userId },
              {
                onSuccess: (member) => {
                  added(t('nmConfiguration.addedNotice', { name: member.displayName }));
                  setDisplayName('');
                  setUserId(null);
                },
              },
            )
          }
        >
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('nmConfiguration.staff.displayName')}
              description={t('nmConfiguration.staff.displayNameHelp')}
              value={displayName}
              onChange={(e) => setDisplayName(e.currentTarget.value)}
              error={invalid('displayName')}
              required
            />
            <Select
              label={t('nmConfiguration.staff.kindLabel')}
              value={kind}
              onChange={(v) => v && setKind(v as NmStaffKind)}
              data={NM_STAFF_KINDS.map((k) => ({ value: k, label: t(`nmConfiguration.staff.kind.${k}`) }))}
              allowDeselect={false}
              error={invalid('kind')}
              required
            />
            <Select
              label={t('nmConfiguration.staff.sector')}
              description={t('nmConfiguration.staff.sectorHelp')}
              value={sectorId}
              onChange={setSectorId}
              data={department.sectors.map((s) => ({ value: s.id, label: s.name }))}
              error={invalid('sectorId')}
              clearable
              required={kind === 'physician'}
            />
            <Select
              label={t('nmConfiguration.staff.account')}
              description={t('nmConfiguration.staff.accountHelp')}
              value={userId}
              onChange={setUserId}
              data={(accounts.data?.items ?? []).map((a) => ({
                value: a.id,
                label: `${a.displayName} (${a.username})`,
              }))}
              error={invalid('userId')}
              searchable
              clearable
            />
          </SimpleGrid>
        </AddForm>
      }
    />
  );
}

// --- exam types ---------------------------------------------------------------------------------------------

interface ExamForm {
  code: string;
  nameFr: string;
  nameEn: string;
  equipmentType: NmEquipmentType;
  durationMin: number | string;
  radiopharmaceutical: string;
  nuclide: Nuclide;
  mbqPerKg: number | string;
  minMBq: number | string;
  maxMBq: number | string;
  uptakeMin: number | string;
  ccamCode: string;
  preparationFr: string;
  preparationEn: string;
}

const EMPTY_EXAM: ExamForm = {
  code: '',
  nameFr: '',
  nameEn: '',
  equipmentType: 'pet_ct',
  durationMin: 20,
  radiopharmaceutical: '',
  nuclide: 'F18',
  mbqPerKg: '',
  minMBq: '',
  maxMBq: '',
  uptakeMin: 60,
  ccamCode: '',
  preparationFr: '',
  preparationEn: '',
};

function ExamTypesPanel({ department }: { department: NmDepartmentDto }) {
  const { t, i18n } = useTranslation();
  const english = i18n.language.startsWith('en');
  const decimalSeparator = english ? '.' : ',';
  const add = useAddExamType();
  const invalid = useFieldErrors(add.error);
  const [form, setForm] = useState<ExamForm>(EMPTY_EXAM);
  const set =
    <K extends keyof ExamForm>(key: K) =>
    (value: ExamForm[K]) =>
      setForm((f) => ({ ...f, [key]: value }));
  const text = (key: 'nameFr' | 'nameEn' | 'radiopharmaceutical', label: string) => (
    <TextInput
      label={label}
      value={form[key]}
      onChange={(e) => set(key)(e.currentTarget.value)}
      error={invalid(key)}
      autoComplete="off"
      required
    />
  );
  const number = (
    key: 'durationMin' | 'mbqPerKg' | 'minMBq' | 'maxMBq' | 'uptakeMin',
    label: string,
    extra: { description?: string; required?: boolean; decimal?: boolean } = {},
  ) => (
    <NumberInput
      label={label}
      description={extra.description}
      value={form[key]}
      onChange={set(key)}
      error={invalid(key)}
      decimalSeparator={decimalSeparator}
      allowDecimal={extra.decimal ?? false}
      allowNegative={false}
      required={extra.required ?? true}
    />
  );
  return (
    <Section
      title={t('nmConfiguration.examTypes.title')}
      tableLabel={t('nmConfiguration.examTypes.table')}
      head={[
        t('nmConfiguration.code'),
        t('nmConfiguration.name'),
        t('nmConfiguration.examTypes.equipmentType'),
        t('nmConfiguration.examTypes.radiopharmaceutical'),
        t('nmConfiguration.examTypes.rule'),
        t('nmConfiguration.examTypes.limits'),
        t('nmConfiguration.examTypes.duration'),
        t('nmConfiguration.examTypes.uptake'),
        t('nmConfiguration.examTypes.ccamCode'),
      ]}
      rows={department.examTypes.map((x) => (
        <Table.Tr key={x.id}>
          <Table.Td ff="monospace">{x.code}</Table.Td>
          <Table.Td>{english ? x.nameEn : x.nameFr}</Table.Td>
          <Table.Td>{t(`nmConfiguration.equipmentType.${x.equipmentType}`)}</Table.Td>
          <Table.Td>
            {x.radiopharmaceutical} ({x.nuclide})
          </Table.Td>
          <Table.Td>
            {x.mbqPerKg === null
              ? t('nmConfiguration.examTypes.flat')
              : t('nmConfiguration.examTypes.perKg', { value: x.mbqPerKg })}
          </Table.Td>
          <Table.Td>
            {t('nmConfiguration.examTypes.range', { min: formatMBq(x.minMBq), max: formatMBq(x.maxMBq) })}
          </Table.Td>
          <Table.Td>{x.durationMin}</Table.Td>
          <Table.Td>{x.uptakeMin}</Table.Td>
          <Table.Td ff="monospace">{x.ccamCode}</Table.Td>
        </Table.Tr>
      ))}
      form={
        <AddForm
          title={t('nmConfiguration.examTypes.add')}
          error={add.error}
          pending={add.isPending}
          onSubmit={() =>
            add.mutate(
              {
                code: form.code.trim(),
                nameFr: form.nameFr,
                nameEn: form.nameEn,
                equipmentType: form.equipmentType,
                durationMin: toNumber(form.durationMin),
                preparationFr: form.preparationFr,
                preparationEn: form.preparationEn,
                radiopharmaceutical: form.radiopharmaceutical,
                nuclide: form.nuclide,
                mbqPerKg: form.mbqPerKg === '' ? null : toNumber(form.mbqPerKg),
                minMBq: toNumber(form.minMBq),
                maxMBq: toNumber(form.maxMBq),
                uptakeMin: toNumber(form.uptakeMin),
                ccamCode: form.ccamCode.trim(),
              },
              {
                onSuccess: (exam) => {
                  added(t('nmConfiguration.addedNotice', { name: english ? exam.nameEn : exam.nameFr }));
                  setForm(EMPTY_EXAM);
                },
              },
            )
          }
        >
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput
              label={t('nmConfiguration.code')}
              description={t('nmConfiguration.codeHelp')}
              value={form.code}
              onChange={(e) => set('code')(e.currentTarget.value)}
              error={invalid('code')}
              autoComplete="off"
              required
            />
            {text('nameFr', t('nmConfiguration.examTypes.nameFr'))}
            {text('nameEn', t('nmConfiguration.examTypes.nameEn'))}
            <Select
              label={t('nmConfiguration.examTypes.equipmentType')}
              value={form.equipmentType}
              onChange={(v) => v && set('equipmentType')(v as NmEquipmentType)}
              data={NM_EQUIPMENT_TYPES.map((x) => ({ value: x, label: t(`nmConfiguration.equipmentType.${x}`) }))}
              allowDeselect={false}
              error={invalid('equipmentType')}
              required
            />
            {text('radiopharmaceutical', t('nmConfiguration.examTypes.radiopharmaceutical'))}
            <Select
              label={t('nmConfiguration.examTypes.nuclide')}
              value={form.nuclide}
              onChange={(v) => v && set('nuclide')(v as Nuclide)}
              data={[...NUCLIDES]}
              allowDeselect={false}
              error={invalid('nuclide')}
              required
            />
            {number('mbqPerKg', t('nmConfiguration.examTypes.mbqPerKg'), {
              description: t('nmConfiguration.examTypes.mbqPerKgHelp'),
              required: false,
              decimal: true,
            })}
            {number('minMBq', t('nmConfiguration.examTypes.minMBq'), { decimal: true })}
            {number('maxMBq', t('nmConfiguration.examTypes.maxMBq'), { decimal: true })}
            {number('durationMin', t('nmConfiguration.examTypes.duration'))}
            {number('uptakeMin', t('nmConfiguration.examTypes.uptakeLabel'))}
            <TextInput
              label={t('nmConfiguration.examTypes.ccamCode')}
              description={t('nmConfiguration.examTypes.ccamHelp')}
              value={form.ccamCode}
              onChange={(e) => set('ccamCode')(e.currentTarget.value.toUpperCase())}
              error={invalid('ccamCode')}
              maxLength={7}
              autoComplete="off"
              required
            />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Textarea
              label={t('nmConfiguration.examTypes.preparationFr')}
              value={form.preparationFr}
              onChange={(e) => set('preparationFr')(e.currentTarget.value)}
              error={invalid('preparationFr')}
              autosize
              minRows={2}
            />
            <Textarea
              label={t('nmConfiguration.examTypes.preparationEn')}
              value={form.preparationEn}
              onChange={(e) => set('preparationEn')(e.currentTarget.value)}
              error={invalid('preparationEn')}
              autosize
              minRows={2}
            />
          </SimpleGrid>
        </AddForm>
      }
    />
  );
}

// --- agreed shares ------------------------------------------------------------------------------------------

function SharesPanel({ department }: { department: NmDepartmentDto }) {
  const { t, i18n } = useTranslation();
  const add = useAddShareAgreement();
  const invalid = useFieldErrors(add.error);
  const [scope, setScope] = useState<'all' | NmEquipmentType>('all');
  const [validFrom, setValidFrom] = useState('');
  const [reason, setReason] = useState('');
  const [shares, setShares] = useState<Record<string, number | string>>({});
  const percent = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1 });
  const sectorName = (id: string) => department.sectors.find((s) => s.id === id)?.name ?? t('nmConfiguration.none');
  const total = department.sectors.reduce((sum, s) => sum + (toNumber(shares[s.id] ?? '') || 0), 0);
  const agreements = [...department.shareAgreements].sort((a, b) => b.validFrom.localeCompare(a.validFrom));
  const start = parseDate(validFrom);
  return (
    <Section
      title={t('nmConfiguration.shares.title')}
      tableLabel={t('nmConfiguration.shares.table')}
      head={[
        t('nmConfiguration.shares.validFrom'),
        t('nmConfiguration.shares.scope'),
        t('nmConfiguration.shares.shares'),
        t('nmConfiguration.shares.reason'),
      ]}
      rows={agreements.map((a) => (
        <Table.Tr key={a.id}>
          <Table.Td>{formatDate(a.validFrom)}</Table.Td>
          <Table.Td>
            {a.equipmentType
              ? t(`nmConfiguration.equipmentType.${a.equipmentType}`)
              : t('nmConfiguration.shares.allEquipment')}
          </Table.Td>
          <Table.Td>
            {a.shares
              .map((s) =>
                t('nmConfiguration.shares.shareValue', {
                  sector: sectorName(s.sectorId),
                  share: percent.format(s.share * 100),
                }),
              )
              .join(' · ')}
          </Table.Td>
          <Table.Td>{a.reason}</Table.Td>
        </Table.Tr>
      ))}
      form={
        <AddForm
          title={t('nmConfiguration.shares.add')}
          error={add.error}
          pending={add.isPending}
          onSubmit={() => {
            if (!start || department.sectors.length === 0) return;
            add.mutate(
              {
                equipmentType: scope === 'all' ? null : scope,
                validFrom: start,
                shares: department.sectors.map((s) => ({ sectorId: s.id, share: toNumber(shares[s.id] ?? '') || 0 })),
                reason,
              },
              {
                onSuccess: () => {
                  added(t('nmConfiguration.shares.added'));
                  setValidFrom('');
                  setReason('');
                  setShares({});
                },
              },
            );
          }}
        >
          {department.sectors.length === 0 && <Text c="dimmed">{t('nmConfiguration.shares.noSector')}</Text>}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label={t('nmConfiguration.shares.scope')}
              value={scope}
              onChange={(v) => v && setScope(v as 'all' | NmEquipmentType)}
              data={[
                { value: 'all', label: t('nmConfiguration.shares.allEquipment') },
                ...NM_EQUIPMENT_TYPES.map((x) => ({ value: x, label: t(`nmConfiguration.equipmentType.${x}`) })),
              ]}
              allowDeselect={false}
              error={invalid('equipmentType')}
              required
            />
            <DateField
              label={t('nmConfiguration.shares.validFrom')}
              value={validFrom}
              onChange={setValidFrom}
              error={invalid('validFrom')}
              required
            />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: Math.min(Math.max(department.sectors.length, 1), 4) }}>
            {department.sectors.map((s) => (
              <NumberInput
                key={s.id}
                label={t('nmConfiguration.shares.shareOf', { sector: s.name })}
                value={shares[s.id] ?? ''}
                onChange={(v) => setShares((current) => ({ ...current, [s.id]: v }))}
                error={invalid('shares')}
                decimalSeparator={i18n.language.startsWith('en') ? '.' : ','}
                allowNegative={false}
                min={0}
                max={100}
                required
              />
            ))}
          </SimpleGrid>
          <Text size="sm" c="dimmed" aria-live="polite">
            {t('nmConfiguration.shares.total', { total: percent.format(total) })}
          </Text>
          <Textarea
            label={t('nmConfiguration.shares.reason')}
            description={t('nmConfiguration.shares.reasonHelp')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={invalid('reason')}
            autosize
            minRows={2}
            required
          />
        </AddForm>
      }
    />
  );
}

// --- tariffs ------------------------------------------------------------------------------------------------

function TariffsPanel({ department }: { department: NmDepartmentDto }) {
  const { t, i18n } = useTranslation();
  const add = useSetTariff();
  const invalid = useFieldErrors(add.error);
  const [ccamCode, setCcamCode] = useState('');
  const [label, setLabel] = useState('');
  const [tariff, setTariff] = useState<number | string>('');
  const euros = new Intl.NumberFormat(i18n.language, { style: 'currency', currency: 'EUR' });
  return (
    <Section
      title={t('nmConfiguration.tariffs.title')}
      tableLabel={t('nmConfiguration.tariffs.table')}
      head={[
        t('nmConfiguration.examTypes.ccamCode'),
        t('nmConfiguration.tariffs.label'),
        t('nmConfiguration.tariffs.tariff'),
        t('nmConfiguration.tariffs.origin'),
      ]}
      rows={department.tariffs.map((x) => (
        <Table.Tr key={x.ccamCode}>
          <Table.Td ff="monospace">{x.ccamCode}</Table.Td>
          <Table.Td>{x.label}</Table.Td>
          <Table.Td>{euros.format(x.tariffEur)}</Table.Td>
          <Table.Td>
            <Badge variant="light" color={x.demoValue ? 'orange' : 'blue'}>
              {x.demoValue ? t('nmConfiguration.tariffs.demo') : t('nmConfiguration.tariffs.own')}
            </Badge>
          </Table.Td>
        </Table.Tr>
      ))}
      form={
        <AddForm
          title={t('nmConfiguration.tariffs.add')}
          help={t('nmConfiguration.tariffs.help')}
          error={add.error}
          pending={add.isPending}
          onSubmit={() =>
            add.mutate(
              { ccamCode: ccamCode.trim(), label, tariffEur: toNumber(tariff) },
              {
                onSuccess: (saved) => {
                  added(t('nmConfiguration.tariffs.added', { code: saved.ccamCode }));
                  setCcamCode('');
                  setLabel('');
                  setTariff('');
                },
              },
            )
          }
        >
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput
              label={t('nmConfiguration.examTypes.ccamCode')}
              description={t('nmConfiguration.examTypes.ccamHelp')}
              value={ccamCode}
              onChange={(e) => setCcamCode(e.currentTarget.value.toUpperCase())}
              error={invalid('ccamCode')}
              maxLength={7}
              autoComplete="off"
              required
            />
            <TextInput
              label={t('nmConfiguration.tariffs.label')}
              value={label}
              onChange={(e) => setLabel(e.currentTarget.value)}
              error={invalid('label')}
              required
            />
            <NumberInput
              label={t('nmConfiguration.tariffs.tariffEur')}
              value={tariff}
              onChange={setTariff}
              error={invalid('tariffEur')}
              decimalSeparator={i18n.language.startsWith('en') ? '.' : ','}
              decimalScale={2}
              allowNegative={false}
              required
            />
          </SimpleGrid>
        </AddForm>
      }
    />
  );
}
