import { Anchor, Group, Pagination, Paper, Stack, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { PageHeader } from '../../../app/components/PageHeader';
import { QueryError, SectionLoader } from '../../../app/components/QueryState';
import { useFormatters } from '../../../app/language';
import { caseKeys, casesApi, casesPageSize } from '../api';
import { StatusBadge } from '../components/Badges';
import { sanitizeSnippet } from '../sanitize';
import { type CaseStatus, caseStatuses, type SearchHit, type SearchParams } from '../types';
import { SearchFilters } from './SearchFilters';

function readParams(params: URLSearchParams): SearchParams {
  return {
    q: params.get('q') ?? '',
    status: params
      .getAll('status')
      .filter((s): s is CaseStatus => (caseStatuses as readonly string[]).includes(s)),
    market: params.get('market') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    model: params.get('model') ?? '',
    page: Math.max(1, Number(params.get('page')) || 1),
  };
}

/** Full-text search over cases (German and English), with filters kept in the URL. */
export function CaseSearchPage() {
  const { t } = useTranslation(['cases', 'common']);
  const [searchParams, setSearchParams] = useSearchParams();
  const params = useMemo(() => readParams(searchParams), [searchParams]);
  const results = useQuery({
    queryKey: caseKeys.search(params),
    queryFn: () => casesApi.search(params),
    enabled: params.q.trim() !== '',
    placeholderData: keepPreviousData,
  });
  const pages = Math.max(1, Math.ceil((results.data?.total ?? 0) / casesPageSize));
  const setParams = (patch: Partial<Record<keyof SearchParams, string | string[]>>) =>
    setSearchParams((current) => {
      const next = new URLSearchParams(current);
      for (const [key, value] of Object.entries(patch)) {
        next.delete(key);
        for (const item of Array.isArray(value) ? value : [value]) if (item) next.append(key, item);
      }
      if (!('page' in patch)) next.delete('page');
      return next;
    });

  return (
    <>
      <PageHeader
        title={t('search.title')}
        description={
          params.q && results.data
            ? t('search.summary', { count: results.data.total, q: params.q })
            : undefined
        }
      />
      <SearchFilters params={params} onChange={setParams} />
      {!params.q && (
        <Text c="dimmed" data-testid="search-prompt">
          {t('search.prompt')}
        </Text>
      )}
      {params.q && results.isPending && <SectionLoader />}
      {results.error && <QueryError error={results.error} onRetry={() => void results.refetch()} />}
      {params.q && results.data?.items.length === 0 && (
        <Text c="dimmed" ta="center" py="xl" data-testid="search-empty">
          {t('search.empty')}
        </Text>
      )}
      <Stack gap="sm">
        {params.q && results.data?.items.map((hit) => <SearchResult key={hit.case.id} hit={hit} />)}
      </Stack>
      {params.q && pages > 1 && (
        <Group justify="center" mt="md">
          <Pagination
            total={pages}
            value={params.page}
            onChange={(page) => setParams({ page: String(page) })}
          />
        </Group>
      )}
    </>
  );
}

function SearchResult({ hit }: { hit: SearchHit }) {
  const format = useFormatters();
  const item = hit.case;
  return (
    <Paper withBorder p="md" data-testid="search-result" data-case-number={item.number}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Group gap="xs">
            <Anchor
              component={Link}
              to={`/agent/cases/${encodeURIComponent(item.number)}`}
              ff="monospace"
              size="sm"
            >
              {item.number}
            </Anchor>
            <Text fw={600} truncate="end">
              {item.subject}
            </Text>
          </Group>
          <Text size="sm" c="dimmed">
            {item.customer.name}
            {item.vehicle && ` · ${item.vehicle.model} ${item.vehicle.vin}`} ·{' '}
            {format.dateTime(item.updatedAt)}
          </Text>
        </Stack>
        <StatusBadge status={item.status} />
      </Group>
      {hit.snippet && (
        <Text
          size="sm"
          mt="xs"
          // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitised to text and <mark> only
          dangerouslySetInnerHTML={{ __html: sanitizeSnippet(hit.snippet) }}
          data-testid="search-snippet"
        />
      )}
    </Paper>
  );
}
