import { Badge, Group, Select, Stack, Text, Tooltip } from '@mantine/core';
import type { CtcaeTermDto, InteractionFindingDto, PacketStatusValue } from '@passerelle/contracts';
import { useTranslation } from 'react-i18next';

const SEVERITY_COLOR: Record<InteractionFindingDto['severity'], string> = {
  contraindicated: 'red',
  avoid: 'orange',
  caution: 'yellow',
  consider: 'gray',
};

/** Interaction findings, most severe first, each with its recommendation and published source. */
export function InteractionList({ items }: { items: InteractionFindingDto[] }) {
  const { t } = useTranslation();
  if (items.length === 0) return <Text size="sm">{t('oral.treatment.noInteraction')}</Text>;
  return (
    <Stack gap="xs" aria-label={t('oral.treatment.interactions')}>
      {items.map((f) => (
        <Stack key={`${f.entryId}:${f.item}`} gap={2} data-testid="interaction">
          <Group gap="xs">
            <Badge color={SEVERITY_COLOR[f.severity]} variant="light">
              {t(`oral.treatment.severity.${f.severity}`)}
            </Badge>
            <Text size="sm" fw={600}>
              {f.withLabel}
            </Text>
            <Text size="sm" c="dimmed">
              {f.item || t('oral.treatment.notReported')}
            </Text>
          </Group>
          <Text size="sm">
            {t('oral.treatment.recommendation')} : {f.recommendation}
          </Text>
          <Text size="xs" c="dimmed">
            {t('oral.treatment.source')} : {f.source}
          </Text>
        </Stack>
      ))}
    </Stack>
  );
}

const PACKET_COLOR: Record<PacketStatusValue, string> = {
  queued: 'gray',
  sent: 'blue',
  failed: 'red',
  acknowledged: 'green',
};

export function PacketStatusBadge({ status }: { status: PacketStatusValue }) {
  const { t } = useTranslation();
  return (
    <Badge color={PACKET_COLOR[status]} variant="light">
      {t(`oral.community.status.${status}`)}
    </Badge>
  );
}

export function ConsultationBadges({
  consultations,
}: {
  consultations: Record<'medical' | 'pharmaceutical' | 'nursing', boolean>;
}) {
  const { t } = useTranslation();
  return (
    <Group gap={4}>
      {(['medical', 'pharmaceutical', 'nursing'] as const).map((k) => (
        <Badge key={k} color={consultations[k] ? 'green' : 'gray'} variant={consultations[k] ? 'filled' : 'outline'}>
          {t(`oral.kinds.${k}`)}
        </Badge>
      ))}
    </Group>
  );
}

/** A CTCAE grade picker for one term; each grade shows its definition (CTCAE v5). */
export function CtcaeGradeSelect({
  term,
  value,
  onChange,
  lay,
}: {
  term: CtcaeTermDto & { options?: { grade: number; labelFr: string }[] };
  value: number | null;
  onChange: (grade: number | null) => void;
  /** The patient's wording instead of the definitions. */
  lay?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const english = i18n.language.startsWith('en');
  const data = [
    { value: '0', label: t('oral.followUp.notPresent') },
    ...(lay && term.options
      ? term.options.map((o) => ({ value: String(o.grade), label: o.labelFr }))
      : term.grades.map((g) => ({
          value: String(g.grade),
          label: `${g.grade} — ${english ? g.definitionEn : g.definitionFr}`,
        }))),
  ];
  const name = english ? term.termEn : term.termFr;
  return (
    <Tooltip label={name} disabled>
      <Select
        label={name}
        data={data}
        value={value === null ? '0' : String(value)}
        onChange={(v) => onChange(!v || v === '0' ? null : Number(v))}
        allowDeselect={false}
        comboboxProps={{ width: 520 }}
      />
    </Tooltip>
  );
}
