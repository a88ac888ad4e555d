import { Button, Card, Group, NumberInput, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import type { OralSettingsBody, OralSettingsDto } from '@passerelle/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { oralKeys, useOralReferential } from './api.ts';

const days = (text: string) =>
  text
    .split(/[,;\s]+/)
    .map((d) => Number(d))
    .filter((d) => Number.isInteger(d) && d > 0);

function SettingsForm({ initial }: { initial: OralSettingsDto }) {
  const { t, i18n } = useTranslation();
  const english = i18n.language.startsWith('en');
  const referential = useOralReferential();
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: (body: OralSettingsBody) => api.put<OralSettingsDto>('/oral/settings', body),
    onSuccess: (data) => queryClient.setQueryData([...oralKeys.all, 'settings'], data),
  });
  const [followedCycles, setFollowedCycles] = useState<number | string>(initial.followedCycles);
  const [linkHours, setLinkHours] = useState<number | string>(initial.patientLinkHours);
  const [defaultMinGrade, setDefaultMinGrade] = useState<number | string>(initial.alertRules.defaultMinGrade);
  const [stopped, setStopped] = useState(initial.alertRules.alertOnStoppedTreatment);
  const [termMin, setTermMin] = useState<Record<string, number | string>>(initial.alertRules.termMinGrade);
  const [schedules, setSchedules] = useState<Record<string, { first: string; each: string }>>(
    Object.fromEntries(
      Object.entries(initial.callSchedules).map(([k, v]) => [
        k,
        { first: v.firstCycleDays.join(', '), each: String(v.eachCycleDay) },
      ]),
    ),
  );
  const submit = () =>
    save.mutate({
      followedCycles: Number(followedCycles),
      patientLinkHours: Number(linkHours),
      alertRules: {
        defaultMinGrade: Number(defaultMinGrade),
        alertOnStoppedTreatment: stopped,
        termMinGrade: Object.fromEntries(
          Object.entries(termMin)
            .filter(([, v]) => v !== '' && v !== null)
            .map(([k, v]) => [k, Number(v)]),
        ),
      },
      callSchedules: Object.fromEntries(
        Object.entries(schedules)
          .filter(([, v]) => v.first.trim() !== '' || v.each.trim() !== '')
          .map(([k, v]) => [k, { firstCycleDays: days(v.first), eachCycleDay: Number(v.each) || 1 }]),
      ),
    });
  return (
    <Stack>
      <Card withBorder>
        <Title order={2} size="h3" mb="xs">
          {t('oral.settings.followUp')}
        </Title>
        <Group grow>
          <NumberInput
            label={t('oral.settings.followedCycles')}
            value={followedCycles}
            onChange={setFollowedCycles}
            min={1}
            max={24}
          />
          <NumberInput
            label={t('oral.settings.linkHours')}
            value={linkHours}
            onChange={setLinkHours}
            min={1}
            max={720}
          />
        </Group>
        <Table mt="sm" aria-label={t('oral.settings.callSchedules')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('oral.drug')}</Table.Th>
              <Table.Th scope="col">{t('oral.settings.firstCycleDays')}</Table.Th>
              <Table.Th scope="col">{t('oral.settings.eachCycleDay')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(referential.data?.drugs ?? []).map((d) => (
              <Table.Tr key={d.code}>
                <Table.Td>{d.innFr}</Table.Td>
                <Table.Td>
                  <TextInput
                    aria-label={`${t('oral.settings.firstCycleDays')} ${d.innFr}`}
                    placeholder="8, 15"
                    value={schedules[d.code]?.first ?? ''}
                    onChange={(e) =>
                      setSchedules({
                        ...schedules,
                        [d.code]: { each: '1', ...schedules[d.code], first: e.currentTarget.value },
                      })
                    }
                  />
                </Table.Td>
                <Table.Td>
                  <TextInput
                    aria-label={`${t('oral.settings.eachCycleDay')} ${d.innFr}`}
                    placeholder="1"
                    value={schedules[d.code]?.each ?? ''}
                    onChange={(e) =>
                      setSchedules({
                        ...schedules,
                        [d.code]: { first: '', ...schedules[d.code], each: e.currentTarget.value },
                      })
                    }
                  />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
      <Card withBorder>
        <Title order={2} size="h3" mb="xs">
          {t('oral.settings.alertRules')}
        </Title>
        <Group grow align="flex-end">
          <NumberInput
            label={t('oral.settings.defaultMinGrade')}
            value={defaultMinGrade}
            onChange={setDefaultMinGrade}
            min={1}
            max={5}
          />
          <Switch
            label={t('oral.settings.alertOnStopped')}
            checked={stopped}
            onChange={(e) => setStopped(e.currentTarget.checked)}
          />
        </Group>
        <Text size="sm" mt="sm">
          {t('oral.settings.termMinGrade')}
        </Text>
        <Group grow mt={4}>
          {(referential.data?.ctcae.terms ?? []).map((term) => (
            <NumberInput
              key={term.code}
              label={english ? term.termEn : term.termFr}
              value={termMin[term.code] ?? ''}
              onChange={(v) => setTermMin({ ...termMin, [term.code]: v })}
              min={1}
              max={5}
            />
          ))}
        </Group>
      </Card>
      <ErrorAlert error={save.error} />
      {save.isSuccess && <Text size="sm">{t('common.saved')}</Text>}
      <Group>
        <Button onClick={submit} loading={save.isPending}>
          {t('common.save')}
        </Button>
      </Group>
    </Stack>
  );
}

/** Call schedules per drug, followed cycles, patient link lifetime and alert rules of the cooperation. */
export function OralSettingsPage() {
  const { t } = useTranslation();
  const settings = useQuery({
    queryKey: [...oralKeys.all, 'settings'],
    queryFn: () => api.get<OralSettingsDto>('/oral/settings'),
  });
  return (
    <>
      <PageHeader title={t('oral.settings.title')} />
      {settings.isPending ? (
        <Loading />
      ) : settings.isError ? (
        <ErrorAlert error={settings.error} />
      ) : (
        <SettingsForm initial={settings.data} />
      )}
    </>
  );
}
