import { Button, Group, Paper, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { COMMUNITY_KIND_VALUES, type CommunityKindValue } from '@passerelle/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../app/session.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useAddCommunityProfessional, useDirectory } from './api.ts';

/** The community GPs, pharmacists and nurses packets are sent to. */
export function OralDirectoryPage() {
  const { t } = useTranslation();
  const directory = useDirectory();
  const add = useAddCommunityProfessional();
  const canWrite = useCan('oral:write');
  const [kind, setKind] = useState<CommunityKindValue>('gp');
  const [firstName, setFirstName] = useState('');
  const [lastName, setLastName] = useState('');
  const [rpps, setRpps] = useState('');
  const [city, setCity] = useState('');
  const [secureEmail, setSecureEmail] = useState('');
  return (
    <>
      <PageHeader title={t('oral.community.directoryTitle')} />
      <Stack>
        {directory.isPending ? (
          <Loading />
        ) : directory.isError ? (
          <ErrorAlert error={directory.error} />
        ) : (
          <Table striped aria-label={t('oral.community.directoryTitle')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('oral.community.lastName')}</Table.Th>
                <Table.Th scope="col">{t('oral.community.kind')}</Table.Th>
                <Table.Th scope="col">{t('oral.community.rpps')}</Table.Th>
                <Table.Th scope="col">{t('oral.community.city')}</Table.Th>
                <Table.Th scope="col">{t('oral.community.secureEmail')}</Table.Th>
                <Table.Th scope="col">{t('oral.community.account')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {directory.data.items.map((d) => (
                <Table.Tr key={d.id}>
                  <Table.Td>{[d.title, d.firstName, d.lastName].filter(Boolean).join(' ')}</Table.Td>
                  <Table.Td>{t(`oral.community.kinds.${d.kind}`)}</Table.Td>
                  <Table.Td>{d.rpps}</Table.Td>
                  <Table.Td>{d.city}</Table.Td>
                  <Table.Td>{d.secureEmail}</Table.Td>
                  <Table.Td>{d.hasAccount ? t('common.yes') : t('common.no')}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {canWrite && (
          <Paper withBorder p="sm" maw={900}>
            <Text fw={600} mb="xs">
              {t('oral.community.add')}
            </Text>
            <Group grow align="flex-end">
              <Select
                label={t('oral.community.kind')}
                data={COMMUNITY_KIND_VALUES.map((k) => ({ value: k, label: t(`oral.community.kinds.${k}`) }))}
                value={kind}
                onChange={(v) => v && setKind(v as CommunityKindValue)}
                allowDeselect={false}
              />
              <TextInput
                label={t('oral.community.firstName')}
                value={firstName}
                onChange={(e) => setFirstName(e.currentTarget.value)}
              />
              <TextInput
                label={t('oral.community.lastName')}
                value={lastName}
                onChange={(e) => setLastName(e.currentTarget.value)}
              />
            </Group>
            <Group grow align="flex-end" mt="xs">
              <TextInput
                label={t('oral.community.rpps')}
                value={rpps}
                onChange={(e) => setRpps(e.currentTarget.value)}
              />
              <TextInput
                label={t('oral.community.city')}
                value={city}
                onChange={(e) => setCity(e.currentTarget.value)}
              />
              <TextInput
                label={t('oral.community.secureEmail')}
                value={secureEmail}
                onChange={(e) => setSecureEmail(e.currentTarget.value)}
              />
            </Group>
            <ErrorAlert error={add.error} />
            <Button
              mt="sm"
              loading={add.isPending}
              onClick={() =>
                add.mutate(
                  { kind, firstName, lastName, rpps: rpps || null, city: city || null, secureEmail },
                  {
                    onSuccess: () => {
                      setFirstName('');
                      setLastName('');
                      setRpps('');
                      setCity('');
                      setSecureEmail('');
                    },
                  },
                )
              }
            >
              {t('common.add')}
            </Button>
          </Paper>
        )}
      </Stack>
    </>
  );
}
