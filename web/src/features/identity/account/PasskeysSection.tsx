import { Alert, Button, Card, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { browserSupportsWebAuthn, startRegistration } from '@simplewebauthn/browser';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryError, SectionLoader } from '../../../app/components/QueryState';
import { useFormatters } from '../../../app/language';
import { notifySuccess } from '../../../app/notify';
import { identityApi, identityKeys } from '../api';

/** Passkeys of the signed-in principal: list, add (WebAuthn registration) and remove. */
export function PasskeysSection() {
  const { t } = useTranslation(['identity', 'common']);
  const format = useFormatters();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const passkeys = useQuery({ queryKey: identityKeys.passkeys, queryFn: identityApi.passkeys });
  const refresh = () => queryClient.invalidateQueries({ queryKey: identityKeys.me });

  const register = useMutation({
    mutationFn: async (passkeyName: string) => {
      const optionsJSON = await identityApi.passkeyRegistrationOptions();
      const response = await startRegistration({ optionsJSON });
      return identityApi.registerPasskey(response, passkeyName);
    },
    onSuccess: () => {
      setName('');
      notifySuccess(t('passkeys.added'));
      return refresh();
    },
  });
  const remove = useMutation({ mutationFn: identityApi.removePasskey, onSuccess: refresh });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    register.mutate(name.trim() || t('passkeys.defaultName'));
  };

  return (
    <Card withBorder padding="lg" data-testid="passkeys-section">
      <Title order={4} mb="sm">
        {t('passkeys.title')}
      </Title>
      <Stack>
        <Text size="sm" c="dimmed">
          {t('passkeys.description')}
        </Text>
        {passkeys.isPending && <SectionLoader />}
        {passkeys.error && <QueryError error={passkeys.error} onRetry={() => void passkeys.refetch()} />}
        {passkeys.data && passkeys.data.items.length === 0 && <Text size="sm">{t('passkeys.none')}</Text>}
        {passkeys.data && passkeys.data.items.length > 0 && (
          <Table.ScrollContainer minWidth={480}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('passkeys.name')}</Table.Th>
                  <Table.Th>{t('common:fields.createdAt')}</Table.Th>
                  <Table.Th>{t('passkeys.lastUsed')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {passkeys.data.items.map((passkey) => (
                  <Table.Tr key={passkey.id} data-testid="passkey-row">
                    <Table.Td>{passkey.name}</Table.Td>
                    <Table.Td>{format.dateTime(passkey.createdAt)}</Table.Td>
                    <Table.Td>{format.dateTime(passkey.lastUsedAt)}</Table.Td>
                    <Table.Td ta="right">
                      <Button
                        size="xs"
                        color="red"
                        variant="subtle"
                        onClick={() => remove.mutate(passkey.id)}
                        loading={remove.isPending && remove.variables === passkey.id}
                      >
                        {t('common:actions.remove')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {browserSupportsWebAuthn() ? (
          <form onSubmit={submit}>
            <Group align="flex-end">
              <TextInput
                label={t('passkeys.newName')}
                placeholder={t('passkeys.defaultName')}
                value={name}
                onChange={(event) => setName(event.currentTarget.value)}
                data-testid="passkey-name"
              />
              <Button type="submit" variant="light" loading={register.isPending} data-testid="passkey-add">
                {t('passkeys.add')}
              </Button>
            </Group>
          </form>
        ) : (
          <Alert color="yellow">{t('passkeys.unsupported')}</Alert>
        )}
      </Stack>
    </Card>
  );
}
