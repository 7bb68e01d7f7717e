import { Badge, Button, Card, Group, Select, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../app/components/PageHeader';
import { QueryError, SectionLoader } from '../../../app/components/QueryState';
import { useFormatters } from '../../../app/language';
import { identityApi, identityKeys } from '../api';
import type { User } from '../types';
import { RoleBadges, useRoleLabel } from './RoleBadges';
import { staffRoles } from './roles';
import { UserFormModal } from './UserFormModal';

function UserStatus({ user }: { user: User }) {
  const { t } = useTranslation('identity');
  if (user.disabled) return <Badge color="gray">{t('users.status.disabled')}</Badge>;
  if (user.lockedUntil && new Date(user.lockedUntil).getTime() > Date.now()) {
    return <Badge color="orange">{t('users.status.locked')}</Badge>;
  }
  return <Badge color="teal">{t('users.status.active')}</Badge>;
}

type Editing = { mode: 'create' } | { mode: 'edit'; user: User } | null;

export function UsersPage() {
  const { t } = useTranslation(['identity', 'common']);
  const format = useFormatters();
  const [q, setQ] = useState('');
  const [role, setRole] = useState<string | null>(null);
  const [debouncedQ] = useDebouncedValue(q, 300);
  const [editing, setEditing] = useState<Editing>(null);
  const users = useQuery({
    queryKey: identityKeys.users(debouncedQ, role ?? ''),
    queryFn: () => identityApi.users(debouncedQ, role ?? ''),
    placeholderData: keepPreviousData,
  });
  const roleLabel = useRoleLabel();
  const roleOptions = staffRoles.map((value) => ({ value, label: roleLabel(value) }));

  return (
    <>
      <PageHeader
        title={t('users.title')}
        description={users.data ? t('common:list.total', { count: users.data.total }) : undefined}
        actions={
          <Button onClick={() => setEditing({ mode: 'create' })} data-testid="user-create">
            {t('users.create')}
          </Button>
        }
      />
      <Group mb="md">
        <TextInput
          placeholder={t('users.search')}
          value={q}
          onChange={(event) => setQ(event.currentTarget.value)}
          w={320}
          data-testid="user-search"
        />
        <Select
          placeholder={t('users.role')}
          data={roleOptions}
          value={role}
          onChange={setRole}
          clearable
          w={220}
        />
      </Group>
      <Card withBorder padding={0}>
        {users.isPending && <SectionLoader />}
        {users.error && <QueryError error={users.error} onRetry={() => void users.refetch()} />}
        {users.data && (
          <Table.ScrollContainer minWidth={860}>
            <Table highlightOnHover verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('common:fields.name')}</Table.Th>
                  <Table.Th>{t('common:fields.email')}</Table.Th>
                  <Table.Th>{t('users.roles')}</Table.Th>
                  <Table.Th>{t('users.markets')}</Table.Th>
                  <Table.Th>{t('common:fields.language')}</Table.Th>
                  <Table.Th>{t('common:fields.status')}</Table.Th>
                  <Table.Th>{t('common:fields.createdAt')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {users.data.items.map((user) => (
                  <Table.Tr
                    key={user.id}
                    onClick={() => setEditing({ mode: 'edit', user })}
                    style={{ cursor: 'pointer' }}
                    data-testid="user-row"
                  >
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {user.name}
                      </Text>
                      {user.kind === 'customer' && (
                        <Text size="xs" c="dimmed">
                          {t('users.kind.customer')}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{user.email}</Table.Td>
                    <Table.Td>
                      <RoleBadges roles={user.roles} />
                    </Table.Td>
                    <Table.Td>{user.markets.join(', ') || '—'}</Table.Td>
                    <Table.Td>{t(`common:language.names.${user.language}`)}</Table.Td>
                    <Table.Td>
                      <UserStatus user={user} />
                    </Table.Td>
                    <Table.Td>{format.date(user.createdAt)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {users.data?.items.length === 0 && (
          <Text c="dimmed" ta="center" py="xl">
            {t('common:list.empty')}
          </Text>
        )}
      </Card>
      <UserFormModal editing={editing} roleOptions={roleOptions} onClose={() => setEditing(null)} />
    </>
  );
}
