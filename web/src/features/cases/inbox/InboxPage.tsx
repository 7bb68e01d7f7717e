import { Alert, Box, Card, Flex, Group, List, Pagination, Text } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { PageHeader } from '../../../app/components/PageHeader';
import { QueryError, SectionLoader } from '../../../app/components/QueryState';
import { caseKeys, casesApi, casesPageSize } from '../api';
import { ShortcutsHelp } from '../components/ShortcutsHelp';
import { NewCaseButton } from '../new/NewCaseButton';
import type { BulkResult, CaseSummary, InboxFilters } from '../types';
import { BulkBar } from './BulkBar';
import { CaseTable } from './CaseTable';
import { filtersFromParams, filtersToParams } from './filters';
import { InboxFilterBar } from './InboxFilterBar';
import { InboxSidebar } from './InboxSidebar';

const isControl = (target: EventTarget | null) =>
  target instanceof HTMLElement && target.closest('button, a, [role="button"]') !== null;

/** The agent inbox: views, filters, the case list, bulk actions and keyboard navigation. */
export function InboxPage() {
  const { t } = useTranslation(['cases', 'common']);
  const navigate = useNavigate();
  const [searchParams, setSearchParams] = useSearchParams();
  const filters = useMemo(() => filtersFromParams(searchParams), [searchParams]);
  const page = Math.max(1, Number(searchParams.get('page')) || 1);
  // The keyboard cursor belongs to one list (filters + page); another list starts without one.
  const listKey = JSON.stringify([filters, page]);
  const [cursorAt, setCursorAt] = useState({ listKey, index: -1 });
  const cursor = cursorAt.listKey === listKey ? cursorAt.index : -1;
  const moveCursor = (step: number, count: number) =>
    setCursorAt((current) => {
      const from = current.listKey === listKey ? current.index : -1;
      return { listKey, index: Math.max(0, Math.min(count - 1, from + step)) };
    });
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [failures, setFailures] = useState<BulkResult['failed']>([]);

  const cases = useQuery({
    queryKey: caseKeys.list(filters, page),
    queryFn: () => casesApi.list(filters, page),
    placeholderData: keepPreviousData,
  });
  const items = cases.data?.items ?? [];
  // A lower-bound total ("1,000+") still covers every page up to it; later pages count further.
  const pages = Math.max(1, Math.ceil((cases.data?.total ?? 0) / casesPageSize));
  const numbers = new Map(items.map((item) => [item.id, item.number]));

  const applyFilters = (next: InboxFilters, nextPage = 1) => {
    setSearchParams(filtersToParams(next, nextPage));
    setCursorAt({ listKey: '', index: -1 });
    setSelected(new Set());
    setFailures([]);
  };

  const toggle = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const toggleAll = () =>
    setSelected((current) =>
      items.every((item) => current.has(item.id)) ? new Set() : new Set(items.map((item) => item.id)),
    );
  const open = (item: CaseSummary) => navigate(`/agent/cases/${encodeURIComponent(item.number)}`);
  const atCursor = items[cursor];

  useHotkeys([
    ['j', () => moveCursor(1, items.length)],
    ['k', () => moveCursor(-1, items.length)],
    // Enter on a focused button or link belongs to that control, not to the list.
    ['Enter', (event) => !isControl(event.target) && atCursor && open(atCursor), { preventDefault: false }],
    ['o', () => atCursor && open(atCursor)],
    ['x', () => atCursor && toggle(atCursor.id)],
  ]);

  return (
    <>
      <PageHeader
        title={t('inbox.title')}
        description={
          cases.data && (
            <span data-testid="case-total">
              {cases.data.totalIsLowerBound
                ? t('inbox.totalAtLeast', { count: cases.data.total })
                : t('common:list.total', { count: cases.data.total })}
            </span>
          )
        }
        actions={
          <>
            <ShortcutsHelp />
            <NewCaseButton />
          </>
        }
      />
      <Flex direction={{ base: 'column', md: 'row' }} gap="md" align="flex-start">
        <Box w={{ base: '100%', md: 230 }} style={{ flexShrink: 0 }}>
          <InboxSidebar filters={filters} onSelect={(next) => applyFilters(next)} />
        </Box>
        <Box style={{ flex: 1, minWidth: 0 }} w="100%">
          <InboxFilterBar filters={filters} onChange={(next) => applyFilters(next)} />
          {failures.length > 0 && (
            <Alert
              color="red"
              mb="md"
              title={t('bulk.failed', { count: failures.length })}
              withCloseButton
              onClose={() => setFailures([])}
              data-testid="bulk-failures"
            >
              <List size="sm">
                {failures.map((failure) => (
                  <List.Item key={failure.id}>
                    {numbers.get(failure.id) ?? failure.id}: {failure.message}
                  </List.Item>
                ))}
              </List>
            </Alert>
          )}
          <Card withBorder padding={0}>
            {cases.isPending && <SectionLoader />}
            {cases.error && <QueryError error={cases.error} onRetry={() => void cases.refetch()} />}
            {items.length > 0 && (
              <CaseTable
                items={items}
                cursor={cursor}
                selected={selected}
                onToggle={toggle}
                onToggleAll={toggleAll}
                onOpen={open}
              />
            )}
            {cases.data?.items.length === 0 && (
              <Text c="dimmed" ta="center" py="xl" data-testid="case-empty">
                {t('inbox.empty')}
              </Text>
            )}
          </Card>
          {pages > 1 && (
            <Group justify="center" mt="md">
              <Pagination total={pages} value={page} onChange={(value) => applyFilters(filters, value)} />
            </Group>
          )}
        </Box>
      </Flex>
      <BulkBar
        selectedIds={[...selected]}
        markets={items.filter((item) => selected.has(item.id)).map((item) => item.market)}
        onClear={() => setSelected(new Set())}
        onResult={(result) => {
          setFailures(result.failed);
          setSelected(new Set(result.failed.map((failure) => failure.id)));
        }}
      />
    </>
  );
}
