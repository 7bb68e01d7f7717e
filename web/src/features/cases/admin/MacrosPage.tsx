import { Badge, Button, Card, Group, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmButton } from '../../../app/components/ConfirmButton';
import { PageHeader } from '../../../app/components/PageHeader';
import { QueryError, SectionLoader } from '../../../app/components/QueryState';
import { notifySuccess } from '../../../app/notify';
import { caseKeys, casesApi } from '../api';
import { StatusBadge } from '../components/Badges';
import type { Macro } from '../types';
import { casesAdminApi } from './api';
import { type MacroEditing, MacroFormModal } from './MacroFormModal';

/** Admin → Macros: the canned replies agents insert into cases. */
export function MacrosPage() {
  const { t } = useTranslation(['cases', 'common']);
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<MacroEditing>(null);
  const macros = useQuery({ queryKey: caseKeys.macros, queryFn: casesApi.macros });
  const remove = useMutation({
    mutationFn: (macro: Macro) => casesAdminApi.deleteMacro(macro.id),
    onSuccess: (_result, macro) => {
      notifySuccess(t('admin.macros.deleted', { title: macro.title }));
      return queryClient.invalidateQueries({ queryKey: caseKeys.macros });
    },
  });

  return (
    <>
      <PageHeader
        title={t('admin.macros.title')}
        description={t('admin.macros.description')}
        actions={
          <Button onClick={() => setEditing({ mode: 'create' })} data-testid="macro-create">
            {t('admin.macros.create')}
          </Button>
        }
      />
      <Card withBorder padding={0}>
        {macros.isPending && <SectionLoader />}
        {macros.error && <QueryError error={macros.error} onRetry={() => void macros.refetch()} />}
        {macros.data && macros.data.items.length > 0 && (
          <Table.ScrollContainer minWidth={820}>
            <Table highlightOnHover verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('admin.macros.titleLabel')}</Table.Th>
                  <Table.Th>{t('admin.macros.text')}</Table.Th>
                  <Table.Th>{t('admin.macros.setStatus')}</Table.Th>
                  <Table.Th>{t('admin.macros.addTags')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {macros.data.items.map((macro) => (
                  <Table.Tr
                    key={macro.id}
                    onClick={() => setEditing({ mode: 'edit', macro })}
                    style={{ cursor: 'pointer' }}
                    data-testid="macro-row"
                  >
                    <Table.Td fw={500}>{macro.title}</Table.Td>
                    <Table.Td maw={420}>
                      <Text size="sm" c="dimmed" lineClamp={2}>
                        {t('common:language.short.de')}: {macro.bodyDe}
                      </Text>
                      <Text size="sm" c="dimmed" lineClamp={2}>
                        {t('common:language.short.en')}: {macro.bodyEn}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {macro.setStatus ? <StatusBadge status={macro.setStatus} size="sm" /> : '—'}
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {macro.addTags.length === 0 && '—'}
                        {macro.addTags.map((tag) => (
                          <Badge key={tag} variant="outline" size="sm" tt="none">
                            {tag}
                          </Badge>
                        ))}
                      </Group>
                    </Table.Td>
                    <Table.Td ta="right" onClick={(event) => event.stopPropagation()}>
                      <ConfirmButton
                        label={t('admin.delete')}
                        question={t('admin.macros.deleteQuestion', { title: macro.title })}
                        onConfirm={() => remove.mutate(macro)}
                        loading={remove.isPending && remove.variables?.id === macro.id}
                        data-testid="macro-delete"
                      />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {macros.data?.items.length === 0 && (
          <Text c="dimmed" ta="center" py="xl">
            {t('admin.macros.empty')}
          </Text>
        )}
      </Card>
      <MacroFormModal editing={editing} onClose={() => setEditing(null)} />
    </>
  );
}
