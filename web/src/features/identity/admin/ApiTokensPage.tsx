import { Badge, Button, Card, Group, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../app/components/PageHeader';
import { QueryError, SectionLoader } from '../../../app/components/QueryState';
import { useFormatters } from '../../../app/language';
import { identityApi, identityKeys } from '../api';
import type { ApiToken } from '../types';
import { CreateApiTokenModal } from './CreateApiTokenModal';

function TokenStatus({ token }: { token: ApiToken }) {
  const { t } = useTranslation('identity');
  if (token.revokedAt) return <Badge color="gray">{t('apiTokens.status.revoked')}</Badge>;
  if (token.expiresAt && new Date(token.expiresAt).getTime() < Date.now()) {
    return <Badge color="orange">{t('apiTokens.status.expired')}</Badge>;
  }
  return <Badge color="teal">{t('apiTokens.status.active')}</Badge>;
}

export function ApiTokensPage() {
  const { t } = useTranslation(['identity', 'common']);
  const format = useFormatters();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const tokens = useQuery({ queryKey: identityKeys.apiTokens, queryFn: identityApi.apiTokens });
  const revoke = useMutation({
    mutationFn: identityApi.revokeApiToken,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: identityKeys.apiTokens }),
  });

  const confirmRevoke = (token: ApiToken) => {
    if (window.confirm(t('apiTokens.revokeConfirm', { name: token.name }))) revoke.mutate(token.id);
  };

  return (
    <>
      <PageHeader
        title={t('apiTokens.title')}
        description={t('apiTokens.description')}
        actions={
          <Button onClick={() => setCreating(true)} data-testid="api-token-create">
            {t('apiTokens.create')}
          </Button>
        }
      />
      <Card withBorder padding={0}>
        {tokens.isPending && <SectionLoader />}
        {tokens.error && <QueryError error={tokens.error} onRetry={() => void tokens.refetch()} />}
        {tokens.data && (
          <Table.ScrollContainer minWidth={820}>
            <Table verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('common:fields.name')}</Table.Th>
                  <Table.Th>{t('apiTokens.scopes')}</Table.Th>
                  <Table.Th>{t('common:fields.status')}</Table.Th>
                  <Table.Th>{t('common:fields.createdAt')}</Table.Th>
                  <Table.Th>{t('apiTokens.lastUsed')}</Table.Th>
                  <Table.Th>{t('apiTokens.expires')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {tokens.data.items.map((token) => (
                  <Table.Tr key={token.id} data-testid="api-token-row">
                    <Table.Td fw={500}>{token.name}</Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {token.scopes.map((scope) => (
                          <Badge key={scope} variant="outline" size="sm" tt="none">
                            {scope}
                          </Badge>
                        ))}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <TokenStatus token={token} />
                    </Table.Td>
                    <Table.Td>{format.dateTime(token.createdAt)}</Table.Td>
                    <Table.Td>{format.dateTime(token.lastUsedAt)}</Table.Td>
                    <Table.Td>
                      {token.expiresAt ? format.dateTime(token.expiresAt) : t('apiTokens.never')}
                    </Table.Td>
                    <Table.Td ta="right">
                      {!token.revokedAt && (
                        <Button
                          size="xs"
                          color="red"
                          variant="subtle"
                          onClick={() => confirmRevoke(token)}
                          loading={revoke.isPending && revoke.variables === token.id}
                        >
                          {t('apiTokens.revoke')}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {tokens.data?.items.length === 0 && (
          <Text c="dimmed" ta="center" py="xl">
            {t('common:list.empty')}
          </Text>
        )}
      </Card>
      <CreateApiTokenModal opened={creating} onClose={() => setCreating(false)} />
    </>
  );
}
