import {
  Anchor,
  Badge,
  Button,
  Card,
  Code,
  Group,
  MultiSelect,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import type { OralConsultationDto, OralTreatmentDto } from '@passerelle/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useCan } from '../../app/session.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { formatDate, formatDateTime } from '../../lib/format.ts';
import { useDirectory, useOralTreatment, usePacketAction, usePatientLink, useSendPackets } from './api.ts';
import { InteractionList, PacketStatusBadge } from './components.tsx';
import {
  CallForm,
  HandleAlertForm,
  MedicalForm,
  NursingForm,
  PharmaceuticalForm,
  PlanChangeForm,
  StatusChangeForm,
} from './forms.tsx';

const KINDS = ['medical', 'pharmaceutical', 'nursing'] as const;
const PERMISSION = {
  medical: 'oral:consult_medical',
  pharmaceutical: 'oral:consult_pharma',
  nursing: 'oral:consult_nursing',
} as const;

function ConsultationCard({ kind, treatment }: { kind: (typeof KINDS)[number]; treatment: OralTreatmentDto }) {
  const { t } = useTranslation();
  const can = useCan(PERMISSION[kind]);
  const record: OralConsultationDto | undefined = treatment.consultationRecords.find((c) => c.kind === kind);
  const content = record?.content as Record<string, unknown> | undefined;
  return (
    <Card withBorder aria-label={t(`oral.kinds.${kind}`)}>
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h4">
          {t(`oral.kinds.${kind}`)}
        </Title>
        <Badge color={record ? 'green' : 'gray'}>{record ? '✓' : t('oral.treatment.consultationPending')}</Badge>
      </Group>
      {record ? (
        <Stack gap="xs">
          <Text size="sm" c="dimmed">
            {t('oral.treatment.consultationDone', {
              author: record.authorName,
              date: formatDateTime(record.recordedAt),
            })}
          </Text>
          {kind === 'pharmaceutical' && (
            <>
              <Text size="sm">
                {t('oral.pharma.intakePlan')} : {String(content?.intakePlan ?? '')}
              </Text>
              <InteractionList
                items={(content?.interactions as Parameters<typeof InteractionList>[0]['items']) ?? []}
              />
            </>
          )}
          {kind === 'nursing' && (
            <Text size="sm">
              {t('oral.nursing.whoToCall')} : {String(content?.whoToCall ?? '')}
            </Text>
          )}
          {kind === 'medical' && <Text size="sm">{String(content?.indication ?? '')}</Text>}
        </Stack>
      ) : can ? (
        kind === 'medical' ? (
          <MedicalForm treatment={treatment} />
        ) : kind === 'pharmaceutical' ? (
          <PharmaceuticalForm treatment={treatment} />
        ) : (
          <NursingForm treatment={treatment} />
        )
      ) : null}
    </Card>
  );
}

function Transmission({ treatment }: { treatment: OralTreatmentDto }) {
  const { t } = useTranslation();
  const canWrite = useCan('oral:write');
  const directory = useDirectory();
  const send = useSendPackets(treatment.id);
  const action = usePacketAction(treatment.id);
  const [recipients, setRecipients] = useState<string[]>([]);
  return (
    <Card withBorder>
      <Title order={2} size="h3" mb="xs">
        {t('oral.community.title')}
      </Title>
      {treatment.packetList.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('oral.community.none')}
        </Text>
      ) : (
        <Table aria-label={t('oral.community.title')}>
          <Table.Tbody>
            {treatment.packetList.map((p) => (
              <Table.Tr key={p.id} data-testid="packet">
                <Table.Td>
                  {p.recipient.name}
                  <Text size="xs" c="dimmed">
                    {t(`oral.community.kinds.${p.recipient.kind}`)} · {p.recipient.secureEmail}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <PacketStatusBadge status={p.status} />
                  {p.lastError && (
                    <Text size="xs" c="dimmed">
                      {t('oral.community.lastError', { error: p.lastError })}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{formatDateTime(p.acknowledgedAt ?? p.sentAt)}</Table.Td>
                <Table.Td>
                  {canWrite && p.status !== 'acknowledged' && (
                    <Group gap={4}>
                      <Button
                        size="xs"
                        variant="default"
                        onClick={() => action.mutate({ packetId: p.id, action: 'resend' })}
                      >
                        {t('oral.community.resend')}
                      </Button>
                      <Button
                        size="xs"
                        variant="default"
                        onClick={() => action.mutate({ packetId: p.id, action: 'acknowledge' })}
                      >
                        {t('oral.community.acknowledge')}
                      </Button>
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {canWrite && (
        <Group align="flex-end" mt="sm">
          <MultiSelect
            label={t('oral.community.recipients')}
            data={(directory.data?.items ?? []).map((d) => ({
              value: d.id,
              label: `${[d.title, d.firstName, d.lastName].filter(Boolean).join(' ')} — ${t(`oral.community.kinds.${d.kind}`)}`,
            }))}
            value={recipients}
            onChange={setRecipients}
            style={{ flex: 1 }}
            searchable
          />
          <Button
            disabled={recipients.length === 0}
            loading={send.isPending}
            onClick={() => send.mutate(recipients, { onSuccess: () => setRecipients([]) })}
          >
            {t('oral.community.send')}
          </Button>
        </Group>
      )}
      <ErrorAlert error={send.error ?? action.error} />
    </Card>
  );
}

function FollowUp({ treatment }: { treatment: OralTreatmentDto }) {
  const { t } = useTranslation();
  const canFollow = useCan('oral:followup');
  const link = usePatientLink(treatment.id);
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Card withBorder>
      <Title order={2} size="h3" mb="xs">
        {t('oral.followUp.title')}
      </Title>
      <Table aria-label={t('oral.followUp.worklistTitle')}>
        <Table.Tbody>
          {treatment.calls.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>{c.label}</Table.Td>
              <Table.Td>{formatDate(c.dueDate)}</Table.Td>
              <Table.Td>
                <Badge color={c.status === 'done' ? 'green' : c.overdue ? 'red' : 'gray'} variant="light">
                  {c.status === 'done'
                    ? t('oral.followUp.done')
                    : c.overdue
                      ? t('oral.followUp.overdue')
                      : t('oral.followUp.due')}
                </Badge>
              </Table.Td>
              <Table.Td>
                {c.symptoms.map((s) => `${s.term} G${s.grade}`).join(', ')}
                {canFollow && c.status === 'planned' && open !== c.id && (
                  <Button size="xs" variant="light" onClick={() => setOpen(c.id)}>
                    {t('oral.followUp.record')}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {open && <CallForm callId={open} treatmentId={treatment.id} onDone={() => setOpen(null)} />}
      {canFollow && (
        <Stack gap="xs" mt="sm">
          <Text fw={600} size="sm">
            {t('oral.followUp.patientLink')}
          </Text>
          <Group>
            <Button variant="default" onClick={() => link.mutate()} loading={link.isPending}>
              {t('oral.followUp.createLink')}
            </Button>
          </Group>
          {link.data && (
            <Stack gap={2}>
              <Code data-testid="patient-link">{link.data.url}</Code>
              <Text size="xs">{t('oral.followUp.linkExpires', { date: formatDateTime(link.data.expiresAt) })}</Text>
            </Stack>
          )}
          <ErrorAlert error={link.error} />
        </Stack>
      )}
      {treatment.alerts.length > 0 && (
        <Stack gap="xs" mt="sm">
          <Text fw={600} size="sm">
            {t('oral.followUp.alertsTitle')}
          </Text>
          {treatment.alerts.map((a) => (
            <Stack key={a.id} gap={2}>
              <Group gap="xs">
                <Badge color={a.status === 'open' ? 'red' : 'green'}>{a.rule}</Badge>
                <Text size="sm">
                  {t(`oral.followUp.sources.${a.source}`)} · {a.term ?? ''} {a.grade ? `G${a.grade}` : ''} ·{' '}
                  {formatDateTime(a.raisedAt)}
                </Text>
              </Group>
              {a.status === 'handled' ? (
                <Text size="xs" c="dimmed">
                  {t('oral.followUp.handledBy', { name: a.handledByName ?? '', date: formatDateTime(a.handledAt) })} —{' '}
                  {a.handlingNote}
                </Text>
              ) : (
                canFollow && <HandleAlertForm alert={a} />
              )}
            </Stack>
          ))}
        </Stack>
      )}
    </Card>
  );
}

/** One patient's oral treatment: plan, documents, the three consultations, transmission, follow-up. */
export function OralTreatmentPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const q = useOralTreatment(id);
  const canChangePlan = useCan('oral:consult_medical');
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorAlert error={q.error} />;
  const tr = q.data;
  return (
    <>
      <PageHeader
        title={t('oral.treatment.title', { drug: tr.drugName, patient: tr.patient.displayName })}
        subtitle={`${formatDate(tr.patient.birthDate)} · ${t(`oral.treatmentStatus.${tr.status}`)}`}
      />
      <Stack>
        <Card withBorder>
          <Title order={2} size="h3" mb="xs">
            {t('oral.treatment.plan')}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Text size="sm">
              {t('oral.dose')} : <b>{tr.doseMg} mg</b>
            </Text>
            <Text size="sm">
              {t('oral.schedule')} : {tr.scheduleLabel}
            </Text>
            <Text size="sm">
              {t('oral.startDate')} : {formatDate(tr.startDate)}
            </Text>
            <Text size="sm">
              {t('oral.food')} : {t(`oral.foods.${tr.food}`)}
            </Text>
            <Text size="sm">
              {t('oral.dispensingChannel')} : {t(`oral.channels.${tr.dispensingChannel}`)}
            </Text>
            <Text size="sm">
              {t('oral.prescriber')} : {tr.prescriberName}
            </Text>
          </SimpleGrid>
          <Text size="sm" mt="xs">
            {t('oral.indication')} : {tr.indication} · {t('oral.treatment.version', { n: tr.version })}
          </Text>
          <Text fw={600} size="sm" mt="sm">
            {t('oral.treatment.documents')}
          </Text>
          <Stack gap={2}>
            {tr.documents.map((d) => (
              <Anchor key={d.id} href={`/api/v1/oral/documents/${d.id}/pdf`} download size="sm">
                {t('oral.treatment.downloadPdf', { n: d.planVersion })} — {d.reason}
              </Anchor>
            ))}
          </Stack>
          {tr.statusChange && (
            <Text size="sm" mt="xs">
              {t('oral.treatment.statusChanged', {
                status: t(`oral.treatmentStatus.${tr.status}`),
                at: formatDateTime(tr.statusChange.at),
                by: tr.statusChange.byName ?? '—',
                reason: tr.statusChange.reason,
              })}
            </Text>
          )}
          {canChangePlan && tr.status !== 'stopped' && <PlanChangeForm treatment={tr} />}
          {canChangePlan && tr.status !== 'stopped' && <StatusChangeForm treatment={tr} />}
        </Card>
        <SimpleGrid cols={{ base: 1, lg: 3 }}>
          {KINDS.map((k) => (
            <ConsultationCard key={k} kind={k} treatment={tr} />
          ))}
        </SimpleGrid>
        <Transmission treatment={tr} />
        <FollowUp treatment={tr} />
        {tr.patientReports.length > 0 && (
          <Card withBorder>
            <Title order={2} size="h3" mb="xs">
              {t('oral.followUp.patientReports')}
            </Title>
            {tr.patientReports.map((r) => (
              <Text key={r.id} size="sm">
                {formatDateTime(r.submittedAt)} — {r.symptoms.map((s) => `${s.term} G${s.grade}`).join(', ') || '—'} ·{' '}
                {t(`oral.followUp.adherenceValues.${r.adherence}`)}
              </Text>
            ))}
          </Card>
        )}
      </Stack>
    </>
  );
}
