import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Modal,
  NumberInput,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Stepper,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import type { PreparationDetailDto, WeighingDto } from '@passerelle/contracts';
import { IconCircleCheck, IconDownload, IconPrinter, IconScale } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useCan, useSession } from '../../app/session.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { formatDate, formatDateTime } from '../../lib/format.ts';
import { useOrganisationTree } from '../organisation/api.ts';
import { usePatientLabel } from '../patients/components.tsx';
import {
  asPlan,
  fabricationSheetPdfUrl,
  useAdminister,
  useCompleteCompounding,
  useDispose,
  useFabricationSheet,
  useIsolators,
  usePreparation,
  usePrintLabel,
  useRecordWeighing,
  useRelease,
  useScanVial,
  useSecondCheck,
  useStartCompounding,
  type PlanView,
} from './api.ts';
import { BlockedAlert, formatQuantity, LateBadge, PreparationStatusBadge, TransitionsTable } from './components.tsx';
import { ScanField } from './ScanField.tsx';

type Step = 'start' | 'scans' | 'weighings' | 'complete' | 'check' | 'label' | 'release' | 'distribution';
const STEPS: Step[] = ['start', 'scans', 'weighings', 'complete', 'check', 'label', 'release', 'distribution'];

/** Where the preparation stands in the technician's path, from its status and what remains to do. */
function currentStep(p: PreparationDetailDto): Step {
  const c = p.compounding;
  switch (p.status) {
    case 'in_compounding': {
      const progress = p.progress;
      if (!progress) return 'scans';
      if (progress.scansMissing.length > 0) return 'scans';
      if (progress.drawsToWeigh.length > 0 || !progress.finishedProductWeighed) return 'weighings';
      return 'complete';
    }
    case 'compounded':
      if (!c?.checkedAt) return 'check';
      return p.labels.length === 0 ? 'label' : 'release';
    case 'released':
    case 'dispatched':
    case 'received':
    case 'administered':
    case 'returned':
    case 'destroyed':
      return 'distribution';
    default:
      return 'start';
  }
}

/** The technician's step-by-step screen beside the isolator, then the pharmacist's release and the way to the ward. */
export function PreparationPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const label = usePatientLabel();
  const detail = usePreparation(id);
  const [viewed, setViewed] = useState<Step | null>(null);

  if (detail.isPending) return <Loading />;
  if (detail.isError) return <ErrorAlert error={detail.error} />;
  const p = detail.data;
  const step = currentStep(p);
  const shown = viewed && STEPS.indexOf(viewed) <= STEPS.indexOf(step) ? viewed : step;

  return (
    <>
      <PageHeader
        title={t('compounding.preparation.title', {
          drug: p.molecule.innFr,
          dose: formatQuantity(p.dose),
          unit: p.doseUnit,
        })}
        subtitle={t('compounding.preparation.subtitle', {
          patient: label(p.patient),
          birthDate: formatDate(p.patient.birthDate),
          date: formatDate(p.administrationDate),
          destination: p.destinationUnit?.name ?? '—',
          establishment: p.establishment.shortName,
        })}
        actions={
          <Group gap="xs">
            {p.late && <LateBadge />}
            <PreparationStatusBadge status={p.status} size="lg" />
          </Group>
        }
      />
      <Stack gap="lg">
        <Stepper
          active={STEPS.indexOf(step)}
          onStepClick={(i) => setViewed(STEPS[i] ?? null)}
          allowNextStepsSelect={false}
          size="sm"
          aria-label={t('compounding.steps.ariaLabel')}
        >
          {STEPS.map((s) => (
            <Stepper.Step key={s} label={t(`compounding.steps.${s}`)} />
          ))}
        </Stepper>
        {shown !== step && (
          <Alert color="gray">
            <Group justify="space-between">
              <Text size="sm">{t('compounding.steps.viewingPast')}</Text>
              <Button size="compact-sm" variant="default" onClick={() => setViewed(null)}>
                {t('compounding.steps.backToCurrent')}
              </Button>
            </Group>
          </Alert>
        )}
        <StepPanel step={shown} preparation={p} readOnly={shown !== step} />
        <FabricationSheetCard preparation={p} />
        <Card withBorder padding="lg">
          <Title order={2} size="h4" mb="sm">
            {t('compounding.history.title')}
          </Title>
          <TransitionsTable transitions={p.transitions} />
        </Card>
        <DisposalSection preparation={p} />
      </Stack>
    </>
  );
}

function StepPanel({
  step,
  preparation,
  readOnly,
}: {
  step: Step;
  preparation: PreparationDetailDto;
  readOnly: boolean;
}) {
  switch (step) {
    case 'start':
      return <StartPanel preparation={preparation} />;
    case 'scans':
      return <ScanPanel preparation={preparation} readOnly={readOnly} />;
    case 'weighings':
      return <WeighingPanel preparation={preparation} readOnly={readOnly} />;
    case 'complete':
      return <CompletePanel preparation={preparation} readOnly={readOnly} />;
    case 'check':
      return <CheckPanel preparation={preparation} readOnly={readOnly} />;
    case 'label':
      return <LabelPanel preparation={preparation} />;
    case 'release':
      return <ReleasePanel preparation={preparation} readOnly={readOnly} />;
    default:
      return <DistributionPanel preparation={preparation} />;
  }
}

function Panel({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Card withBorder padding="lg" shadow="xs">
      <Title order={2} size="h3" mb="md">
        {title}
      </Title>
      <Stack>{children}</Stack>
    </Card>
  );
}

// --- 1. start --------------------------------------------------------------------------------------------

function StartPanel({ preparation }: { preparation: PreparationDetailDto }) {
  const { t } = useTranslation();
  const canRun = useCan('compounding:run');
  const isolators = useIsolators(canRun);
  const start = useStartCompounding(preparation.id);
  const [isolatorId, setIsolatorId] = useState<string | null>(null);
  const startable = preparation.status === 'ready_to_compound' || preparation.status === 'anticipated';
  return (
    <Panel title={t('compounding.start.title')}>
      {!startable && (
        <Alert color="orange">
          {t('compounding.start.notReady', {
            status: t(`pharmacy.preparationStatus.${preparation.status}`),
          })}
        </Alert>
      )}
      {!canRun ? (
        <Text c="dimmed">{t('compounding.start.technicianOnly')}</Text>
      ) : isolators.isPending ? (
        <Loading />
      ) : isolators.isError ? (
        <ErrorAlert error={isolators.error} />
      ) : (
        <>
          <Radio.Group label={t('compounding.start.isolator')} value={isolatorId} onChange={setIsolatorId} required>
            <SimpleGrid cols={{ base: 1, sm: 3 }} mt="xs">
              {isolators.data.items.map((iso) => (
                <Radio.Card key={iso.id} value={iso.id} p="md" radius="md" aria-label={`${iso.code} — ${iso.label}`}>
                  <Group wrap="nowrap">
                    <Radio.Indicator />
                    <div>
                      <Text fw={700} size="lg">
                        {iso.code}
                      </Text>
                      <Text size="sm">{iso.label}</Text>
                      {iso.dedicatedFamily && (
                        <Text size="xs" c="dimmed">
                          {t('compounding.start.dedicated', { family: iso.dedicatedFamily })}
                        </Text>
                      )}
                    </div>
                  </Group>
                </Radio.Card>
              ))}
            </SimpleGrid>
          </Radio.Group>
          <Group>
            <Button
              size="lg"
              disabled={!isolatorId || !startable}
              loading={start.isPending}
              onClick={() => isolatorId && start.mutate(isolatorId)}
            >
              {t('compounding.start.submit')}
            </Button>
          </Group>
          <BlockedAlert error={start.error} />
        </>
      )}
    </Panel>
  );
}

// --- 2. vial scans ---------------------------------------------------------------------------------------

function ScanPanel({ preparation, readOnly }: { preparation: PreparationDetailDto; readOnly: boolean }) {
  const { t, i18n } = useTranslation();
  const scan = useScanVial(preparation.id);
  const codeLabel = (code: string) =>
    i18n.exists(`errors.${code}`) ? t(`errors.${code}` as 'errors.generic', { code }) : code;
  const missing = preparation.progress?.scansMissing ?? [];
  return (
    <Panel title={t('compounding.scans.title')}>
      {!readOnly && (
        <>
          <ScanField
            label={t('compounding.scans.field')}
            description={t('compounding.scans.help')}
            submitLabel={t('compounding.scans.submit')}
            busy={scan.isPending}
            onScan={(code) => scan.mutate(code)}
          />
          <BlockedAlert error={scan.error} recorded />
          {scan.isSuccess && !scan.isPending && (
            <Alert color="teal" icon={<IconCircleCheck aria-hidden />} role="status">
              {t('compounding.scans.accepted', { lot: scan.data.lot ?? '—', expiry: formatDate(scan.data.expiry) })}
            </Alert>
          )}
        </>
      )}
      {missing.length > 0 ? (
        <div>
          <Text fw={600}>{t('compounding.scans.missing')}</Text>
          {missing.map((m) => (
            <Text key={m.presentationId}>
              {m.count} × {m.label}
            </Text>
          ))}
        </div>
      ) : (
        <Text c="teal" fw={600}>
          {t('compounding.scans.allDone')}
        </Text>
      )}
      {preparation.scans.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table aria-label={t('compounding.scans.tableLabel')} striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('compounding.scans.at')}</Table.Th>
                <Table.Th scope="col">{t('compounding.scans.result')}</Table.Th>
                <Table.Th scope="col">{t('compounding.scans.lot')}</Table.Th>
                <Table.Th scope="col">{t('compounding.scans.expiry')}</Table.Th>
                <Table.Th scope="col">{t('compounding.scans.detail')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {preparation.scans.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>{formatDateTime(s.scannedAt)}</Table.Td>
                  <Table.Td>
                    <Badge color={s.result === 'accepted' ? 'teal' : 'red'} variant="light">
                      {t(`compounding.scans.results.${s.result}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{s.lot ?? '—'}</Table.Td>
                  <Table.Td>{formatDate(s.expiry)}</Table.Td>
                  <Table.Td>{s.code ? codeLabel(s.code) : ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Panel>
  );
}

// --- 3. weighings ----------------------------------------------------------------------------------------

interface WeighTarget {
  key: string;
  step: 'draw' | 'finished_product';
  drawIndex: number | null;
  title: string;
  volumeMl: number;
  expectedG: number;
}

function weighTargets(plan: PlanView, labels: Record<string, string>, t: (k: string, o?: object) => string) {
  const targets: WeighTarget[] = plan.draws.map((d, i) => ({
    key: `draw-${i}`,
    step: 'draw',
    drawIndex: i,
    title: t('compounding.weighings.drawTitle', {
      n: i + 1,
      presentation: labels[d.presentationId] ?? d.presentationId,
    }),
    volumeMl: d.volumeMl,
    expectedG: d.volumeMl,
  }));
  targets.push({
    key: 'finished',
    step: 'finished_product',
    drawIndex: null,
    title: t('compounding.weighings.finishedTitle', { container: plan.container.label }),
    volumeMl: plan.finalVolumeMl,
    expectedG: plan.expectedFinishedMassG,
  });
  return targets;
}

function lastWeighing(weighings: WeighingDto[], target: WeighTarget): WeighingDto | null {
  const mine = weighings.filter((w) => w.step === target.step && (w.drawIndex ?? null) === target.drawIndex);
  return mine.at(-1) ?? null;
}

function WeighingPanel({ preparation, readOnly }: { preparation: PreparationDetailDto; readOnly: boolean }) {
  const { t } = useTranslation();
  const sheet = useFabricationSheet(preparation.id);
  const plan = asPlan(preparation.compounding?.plan);
  if (!plan) return <Panel title={t('compounding.weighings.title')}>{null}</Panel>;
  const targets = weighTargets(plan, sheet.data?.presentationLabels ?? {}, t as never);
  const toWeigh = new Set(preparation.progress?.drawsToWeigh ?? []);
  const finishedDone = preparation.progress?.finishedProductWeighed ?? false;
  return (
    <Panel title={t('compounding.weighings.title')}>
      <Text size="sm" c="dimmed">
        {t('compounding.weighings.help')}
      </Text>
      {targets.map((target) => {
        const pending = target.step === 'draw' ? toWeigh.has(target.drawIndex ?? -1) : !finishedDone;
        return (
          <WeighingRow
            key={target.key}
            preparationId={preparation.id}
            target={target}
            last={lastWeighing(preparation.weighings, target)}
            pending={pending && !readOnly}
            // The finished product is weighed once every draw is accepted.
            locked={target.step === 'finished_product' && toWeigh.size > 0}
          />
        );
      })}
    </Panel>
  );
}

function WeighingRow({
  preparationId,
  target,
  last,
  pending,
  locked,
}: {
  preparationId: string;
  target: WeighTarget;
  last: WeighingDto | null;
  pending: boolean;
  locked: boolean;
}) {
  const { t } = useTranslation();
  const weigh = useRecordWeighing(preparationId);
  const [manual, setManual] = useState<string | number>('');
  const rejected = last?.result === 'rejected';
  const record = (source: 'manual' | 'balance') =>
    weigh.mutate(
      {
        step: target.step,
        drawIndex: target.drawIndex,
        source,
        measuredG: source === 'manual' && typeof manual === 'number' ? manual : null,
      },
      { onSuccess: () => setManual('') },
    );
  return (
    <Card withBorder padding="md" aria-label={target.title} component="section">
      <Group justify="space-between" align="flex-start">
        <div>
          <Text fw={700}>{target.title}</Text>
          <Text size="sm">
            {t('compounding.weighings.expected', {
              volume: formatQuantity(target.volumeMl),
              mass: formatQuantity(last?.expectedG ?? target.expectedG),
            })}
          </Text>
        </div>
        {last && (
          <Badge color={last.result === 'accepted' ? 'teal' : 'red'} size="lg" variant="filled">
            {t(`compounding.weighings.results.${last.result}`)}
          </Badge>
        )}
      </Group>
      {last && (
        <Text size="sm" mt="xs" role={last.result === 'rejected' ? 'alert' : undefined}>
          {t('compounding.weighings.measured', {
            measured: formatQuantity(last.measuredG),
            deviation: formatQuantity(last.deviationPercent),
            limit: formatQuantity(last.limitPercent),
          })}
          {last.warnings.includes('DENSITY_ASSUMED') ? ` · ${t('compounding.weighings.densityAssumed')}` : ''}
        </Text>
      )}
      {rejected && pending && (
        <Alert color="red" mt="xs" title={t('compounding.weighings.redoTitle')}>
          {t('compounding.weighings.redo')}
        </Alert>
      )}
      {pending && !locked && (
        <Group mt="sm" align="flex-end">
          <Button
            size="lg"
            leftSection={<IconScale size={20} aria-hidden />}
            onClick={() => record('balance')}
            loading={weigh.isPending && weigh.variables?.source === 'balance'}
          >
            {t('compounding.weighings.readBalance')}
          </Button>
          <NumberInput
            label={t('compounding.weighings.manual')}
            size="lg"
            min={0}
            decimalScale={3}
            decimalSeparator=","
            allowedDecimalSeparators={['.', ',']}
            value={manual}
            onChange={setManual}
            w={200}
          />
          <Button
            size="lg"
            variant="default"
            disabled={typeof manual !== 'number'}
            onClick={() => record('manual')}
            loading={weigh.isPending && weigh.variables?.source === 'manual'}
          >
            {t('compounding.weighings.saveManual')}
          </Button>
        </Group>
      )}
      {pending && locked && (
        <Text size="sm" c="dimmed" mt="xs">
          {t('compounding.weighings.finishedLocked')}
        </Text>
      )}
      {weigh.error ? (
        <div style={{ marginTop: 8 }}>
          <BlockedAlert error={weigh.error} recorded />
        </div>
      ) : null}
    </Card>
  );
}

// --- 4. completion, 5. second check, 6. label, 7. release -----------------------------------------------

function CompletePanel({ preparation, readOnly }: { preparation: PreparationDetailDto; readOnly: boolean }) {
  const { t } = useTranslation();
  const complete = useCompleteCompounding(preparation.id);
  return (
    <Panel title={t('compounding.complete.title')}>
      <Text>{t('compounding.complete.text')}</Text>
      {!readOnly && (
        <Group>
          <Button size="lg" color="teal" loading={complete.isPending} onClick={() => complete.mutate()}>
            {t('compounding.complete.submit')}
          </Button>
        </Group>
      )}
      <BlockedAlert error={complete.error} />
    </Panel>
  );
}

function CheckPanel({ preparation, readOnly }: { preparation: PreparationDetailDto; readOnly: boolean }) {
  const { t } = useTranslation();
  const canCheck = useCan('compounding:check');
  const me = useSession();
  const check = useSecondCheck(preparation.id);
  const [comment, setComment] = useState('');
  const operator = preparation.compounding?.operatorLabel ?? '—';
  return (
    <Panel title={t('compounding.check.title')}>
      <Text>{t('compounding.check.text', { operator })}</Text>
      {preparation.compounding?.operatorId === me.user.id && (
        <Alert color="orange">{t('compounding.check.sameOperator')}</Alert>
      )}
      {canCheck && !readOnly ? (
        <>
          <Textarea
            label={t('compounding.check.comment')}
            value={comment}
            onChange={(e) => setComment(e.currentTarget.value)}
            maxLength={500}
          />
          <Group>
            <Button size="lg" loading={check.isPending} onClick={() => check.mutate(comment.trim() || null)}>
              {t('compounding.check.submit')}
            </Button>
          </Group>
          <BlockedAlert error={check.error} recorded />
        </>
      ) : (
        !readOnly && <Text c="dimmed">{t('compounding.check.notAllowed')}</Text>
      )}
    </Panel>
  );
}

function LabelButtons({ preparation }: { preparation: PreparationDetailDto }) {
  const { t } = useTranslation();
  const print = usePrintLabel(preparation.id);
  const canRun = useCan('compounding:run');
  if (!canRun) return null;
  const run = (format: 'pdf' | 'zpl') => print.mutate(format);
  return (
    <Stack>
      <Group>
        <Button
          size="lg"
          leftSection={<IconPrinter size={20} aria-hidden />}
          loading={print.isPending && print.variables === 'pdf'}
          onClick={() => run('pdf')}
        >
          {t('compounding.label.pdf')}
        </Button>
        <Button
          size="lg"
          variant="default"
          loading={print.isPending && print.variables === 'zpl'}
          onClick={() => run('zpl')}
        >
          {t('compounding.label.zpl')}
        </Button>
      </Group>
      <BlockedAlert error={print.error} recorded />
    </Stack>
  );
}

function LabelsPrinted({ preparation }: { preparation: PreparationDetailDto }) {
  const { t } = useTranslation();
  if (preparation.labels.length === 0) return null;
  return (
    <Stack gap={2}>
      {preparation.labels.map((l, i) => (
        <Text size="sm" key={`${l.printedAt}-${i}`}>
          {t('compounding.label.printedLine', {
            format: l.format.toUpperCase(),
            copies: l.copies,
            at: formatDateTime(l.printedAt),
          })}
        </Text>
      ))}
    </Stack>
  );
}

function LabelPanel({ preparation }: { preparation: PreparationDetailDto }) {
  const { t } = useTranslation();
  return (
    <Panel title={t('compounding.label.title')}>
      <Text>{t('compounding.label.text')}</Text>
      <LabelButtons preparation={preparation} />
      <LabelsPrinted preparation={preparation} />
    </Panel>
  );
}

function ReleasePanel({ preparation, readOnly }: { preparation: PreparationDetailDto; readOnly: boolean }) {
  const { t } = useTranslation();
  const canRelease = useCan('preparation:release');
  const release = useRelease(preparation.id);
  const c = preparation.compounding;
  return (
    <Panel title={t('compounding.release.title')}>
      <Text>
        {t('compounding.release.summary', {
          operator: c?.operatorLabel ?? '—',
          checkedAt: formatDateTime(c?.checkedAt),
          bud: formatDateTime(c?.beyondUseAt),
        })}
      </Text>
      <LabelsPrinted preparation={preparation} />
      {!readOnly && <LabelButtons preparation={preparation} />}
      {canRelease && !readOnly ? (
        <Group>
          <Button size="lg" color="teal" loading={release.isPending} onClick={() => release.mutate()}>
            {t('compounding.release.submit')}
          </Button>
        </Group>
      ) : (
        !readOnly && <Alert color="blue">{t('compounding.release.pharmacistOnly')}</Alert>
      )}
      <BlockedAlert error={release.error} recorded />
    </Panel>
  );
}

// --- 8. dispatch, reception, administration ---------------------------------------------------------------

function DistributionPanel({ preparation }: { preparation: PreparationDetailDto }) {
  const { t } = useTranslation();
  const c = preparation.compounding;
  const canDispatch = useCan('preparation:dispatch');
  const canAdminister = useCan('preparation:administer');
  const rows: [string, string][] = [
    [t('compounding.distribution.released'), formatDateTime(c?.releasedAt) || '—'],
    [t('compounding.distribution.received'), formatDateTime(c?.receivedAt) || '—'],
    [t('compounding.distribution.administered'), formatDateTime(c?.administeredAt) || '—'],
    [t('compounding.distribution.bud'), formatDateTime(c?.beyondUseAt) || '—'],
  ];
  return (
    <Panel title={t('compounding.distribution.title')}>
      <Table aria-label={t('compounding.distribution.title')} withRowBorders={false}>
        <Table.Tbody>
          {rows.map(([k, v]) => (
            <Table.Tr key={k}>
              <Table.Th scope="row" w={260}>
                {k}
              </Table.Th>
              <Table.Td>{v}</Table.Td>
            </Table.Tr>
          ))}
          {c?.deliveryNoteId && (
            <Table.Tr>
              <Table.Th scope="row">{t('compounding.distribution.deliveryNote')}</Table.Th>
              <Table.Td>
                <Anchor component={Link} to={`/pharmacy/delivery-notes/${c.deliveryNoteId}`}>
                  {t('compounding.distribution.openNote')}
                </Anchor>
              </Table.Td>
            </Table.Tr>
          )}
          {preparation.disposal && (
            <Table.Tr>
              <Table.Th scope="row">{t(`compounding.disposal.kinds.${preparation.disposal.kind}`)}</Table.Th>
              <Table.Td>
                {preparation.disposal.reason} ·{' '}
                {t('compounding.disposal.cost', { cost: formatQuantity(preparation.disposal.costEur) })}
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
      {preparation.status === 'released' && canDispatch && (
        <Group>
          <Button component={Link} to="/pharmacy/dispatch" size="lg" variant="default">
            {t('compounding.distribution.goDispatch')}
          </Button>
        </Group>
      )}
      {preparation.status === 'received' && canAdminister && <AdministerForm preparation={preparation} />}
    </Panel>
  );
}

export function AdministerForm({ preparation }: { preparation: PreparationDetailDto }) {
  const { t } = useTranslation();
  const me = useSession();
  const tree = useOrganisationTree();
  const administer = useAdminister(preparation.id);
  const [unitId, setUnitId] = useState<string | null>(preparation.destinationUnit?.id ?? null);
  const [payload, setPayload] = useState('');
  const establishment = tree.data?.establishments.find((e) => e.id === me.establishmentId);
  const units = establishment
    ? [...establishment.sites.flatMap((s) => s.units), ...establishment.unitsWithoutSite]
    : [];
  const options = units.map((u) => ({ value: u.id, label: u.name }));
  if (preparation.destinationUnit && !options.some((o) => o.value === preparation.destinationUnit!.id)) {
    options.unshift({ value: preparation.destinationUnit.id, label: preparation.destinationUnit.name });
  }
  return (
    <Card withBorder padding="md">
      <Stack>
        <Title order={3} size="h4">
          {t('compounding.administer.title')}
        </Title>
        <Select
          label={t('compounding.administer.unit')}
          data={options}
          value={unitId}
          onChange={setUnitId}
          size="lg"
          allowDeselect={false}
        />
        <ScanField
          label={t('compounding.administer.scan')}
          description={t('compounding.administer.scanHelp')}
          submitLabel={t('compounding.administer.submit')}
          autoFocus={false}
          busy={administer.isPending}
          onScan={(code) => {
            setPayload(code);
            administer.mutate({ payload: code, unitId });
          }}
        />
        <Group>
          <Button
            size="lg"
            color="teal"
            loading={administer.isPending}
            onClick={() => administer.mutate({ payload: payload || null, unitId })}
          >
            {t('compounding.administer.confirmWithoutScan')}
          </Button>
        </Group>
        <BlockedAlert error={administer.error} recorded />
      </Stack>
    </Card>
  );
}

// --- fabrication sheet -------------------------------------------------------------------------------------

function FabricationSheetCard({ preparation }: { preparation: PreparationDetailDto }) {
  const { t } = useTranslation();
  const canRun = useCan('compounding:run');
  const sheet = useFabricationSheet(preparation.id, canRun);
  if (!canRun) return null;
  const plan = asPlan(sheet.data?.plan);
  return (
    <Card withBorder padding="lg">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          {t('compounding.sheet.title')}
          {sheet.data && !sheet.data.stored && (
            <Badge ml="sm" color="gray" variant="light">
              {t('compounding.sheet.preview')}
            </Badge>
          )}
        </Title>
        <Button
          component="a"
          href={fabricationSheetPdfUrl(preparation.id)}
          target="_blank"
          rel="noopener"
          variant="default"
          leftSection={<IconDownload size={18} aria-hidden />}
        >
          {t('compounding.sheet.pdf')}
        </Button>
      </Group>
      {sheet.isPending ? (
        <Loading />
      ) : sheet.isError ? (
        <BlockedAlert error={sheet.error} />
      ) : plan ? (
        <PlanSummary plan={plan} labels={sheet.data.presentationLabels} diluents={sheet.data.diluentLabels} />
      ) : null}
    </Card>
  );
}

function PlanSummary({
  plan,
  labels,
  diluents,
}: {
  plan: PlanView;
  labels: Record<string, string>;
  diluents: Record<string, string>;
}) {
  const { t } = useTranslation();
  const diluent = plan.diluentId ? (diluents[plan.diluentId] ?? plan.diluentId) : t('compounding.sheet.noDiluent');
  return (
    <Stack>
      <Table.ScrollContainer minWidth={640}>
        <Table aria-label={t('compounding.sheet.drawsLabel')} striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">#</Table.Th>
              <Table.Th scope="col">{t('compounding.sheet.presentation')}</Table.Th>
              <Table.Th scope="col">{t('compounding.sheet.source')}</Table.Th>
              <Table.Th scope="col">{t('compounding.sheet.lot')}</Table.Th>
              <Table.Th scope="col">{t('compounding.sheet.volume')}</Table.Th>
              <Table.Th scope="col">{t('compounding.sheet.amount')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {plan.draws.map((d, i) => (
              <Table.Tr key={i}>
                <Table.Td>{i + 1}</Table.Td>
                <Table.Td>{labels[d.presentationId] ?? d.presentationId}</Table.Td>
                <Table.Td>
                  {d.source === 'reliquat'
                    ? t('compounding.sheet.reliquat')
                    : t('compounding.sheet.newVials', { count: d.vialCount })}
                </Table.Td>
                <Table.Td>{d.lot ?? t('compounding.sheet.anyLot')}</Table.Td>
                <Table.Td>{formatQuantity(d.volumeMl)} mL</Table.Td>
                <Table.Td>
                  {formatQuantity(d.amount, 3)} {plan.doseUnit}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {plan.reconstitutions.map((r) => (
        <Text key={r.presentationId} size="sm">
          {t('compounding.sheet.reconstitution', {
            count: r.vialCount,
            presentation: labels[r.presentationId] ?? r.presentationId,
            volume: formatQuantity(r.volumeMlPerVial),
            diluent: diluents[r.diluentId] ?? r.diluentId,
          })}
        </Text>
      ))}
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
        <Text size="sm">
          <b>{t('compounding.sheet.container')}</b> {plan.container.label} · {diluent}
        </Text>
        <Text size="sm">
          <b>{t('compounding.sheet.finalVolume')}</b> {formatQuantity(plan.finalVolumeMl)} mL (
          {formatQuantity(plan.finalConcentrationPerMl, 4)} {plan.doseUnit}/mL)
        </Text>
        <Text size="sm">
          <b>{t('compounding.sheet.adjustment')}</b>{' '}
          {plan.diluentAdjustmentMl < 0
            ? t('compounding.sheet.withdraw', { volume: formatQuantity(-plan.diluentAdjustmentMl) })
            : plan.diluentAdjustmentMl > 0
              ? t('compounding.sheet.add', { volume: formatQuantity(plan.diluentAdjustmentMl) })
              : t('compounding.sheet.none')}
        </Text>
        <Text size="sm">
          <b>{t('compounding.sheet.bud')}</b> {formatDateTime(plan.beyondUse.expiresAt)} ·{' '}
          {t('compounding.sheet.storage', {
            min: plan.beyondUse.temperatureC.min,
            max: plan.beyondUse.temperatureC.max,
          })}
          {plan.beyondUse.lightProtection ? ` · ${t('compounding.sheet.light')}` : ''}
        </Text>
        <Text size="sm">
          <b>{t('compounding.sheet.cost')}</b> {formatQuantity(plan.costEur)} € · {t('compounding.sheet.waste')}{' '}
          {formatQuantity(plan.wasteAmount, 3)} {plan.doseUnit}
        </Text>
      </SimpleGrid>
      {plan.warnings.map((w) => (
        <Alert key={w} color="orange" p="xs">
          {t(`compounding.sheet.warnings.${w}` as 'compounding.sheet.warnings.DENSITY_ASSUMED')}
        </Alert>
      ))}
    </Stack>
  );
}

// --- return / destruction ---------------------------------------------------------------------------------

function DisposalSection({ preparation }: { preparation: PreparationDetailDto }) {
  const { t } = useTranslation();
  const canRun = useCan('compounding:run');
  const [open, setOpen] = useState(false);
  const disposable = ['compounded', 'released', 'dispatched', 'received'].includes(preparation.status);
  if (!canRun || !disposable) return null;
  return (
    <>
      <Group>
        <Button variant="outline" color="red" onClick={() => setOpen(true)}>
          {t('compounding.disposal.open')}
        </Button>
      </Group>
      {open && <DisposalModal preparation={preparation} onClose={() => setOpen(false)} />}
    </>
  );
}

function DisposalModal({ preparation, onClose }: { preparation: PreparationDetailDto; onClose: () => void }) {
  const { t } = useTranslation();
  const dispose = useDispose(preparation.id);
  const [kind, setKind] = useState<'returned' | 'destroyed'>('returned');
  const [reason, setReason] = useState('');
  return (
    <Modal opened onClose={onClose} title={t('compounding.disposal.title')} size="lg">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (reason.trim().length < 3) return;
          dispose.mutate({ kind, reason: reason.trim() }, { onSuccess: onClose });
        }}
      >
        <Stack>
          <Radio.Group label={t('compounding.disposal.kind')} value={kind} onChange={(v) => setKind(v as typeof kind)}>
            <Group mt="xs">
              <Radio value="returned" label={t('compounding.disposal.kinds.returned')} />
              <Radio value="destroyed" label={t('compounding.disposal.kinds.destroyed')} />
            </Group>
          </Radio.Group>
          <Textarea
            label={t('compounding.disposal.reason')}
            required
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            minLength={3}
            maxLength={500}
          />
          <BlockedAlert error={dispose.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="red" loading={dispose.isPending} disabled={reason.trim().length < 3}>
              {t('compounding.disposal.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
