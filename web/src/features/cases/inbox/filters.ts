import {
  type CasePriority,
  type CaseSort,
  type CaseStatus,
  casePriorities,
  caseSorts,
  caseStatuses,
  type InboxFilters,
  type InboxView,
  inboxViews,
} from '../types';

const oneOf = <T extends string>(values: readonly T[], value: string | null): T | undefined =>
  value !== null && (values as readonly string[]).includes(value) ? (value as T) : undefined;

/** The inbox keeps its filters in the URL, so Back, reload and links keep the same list. */
export function filtersFromParams(params: URLSearchParams): InboxFilters {
  const status = params.getAll('status').filter((s): s is CaseStatus => oneOf(caseStatuses, s) !== undefined);
  return compact({
    view: oneOf<InboxView>(inboxViews, params.get('view')) ?? 'all',
    status: status.length > 0 ? status : undefined,
    priority: oneOf<CasePriority>(casePriorities, params.get('priority')),
    market: params.get('market') ?? undefined,
    assigneeId: params.get('assigneeId') ?? undefined,
    teamId: params.get('teamId') ?? undefined,
    tag: params.get('tag') ?? undefined,
    sort: oneOf<CaseSort>(caseSorts, params.get('sort')),
  });
}

export function filtersToParams(filters: InboxFilters, page = 1): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(compact(filters))) {
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
  }
  if (page > 1) params.set('page', String(page));
  return params;
}

/** Drops empty values, so two filter sets that mean the same compare equal. */
export function compact(filters: InboxFilters): InboxFilters {
  return Object.fromEntries(
    Object.entries(filters).filter(
      ([, value]) => value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0),
    ),
  ) as InboxFilters;
}

export function sameFilters(a: InboxFilters, b: InboxFilters): boolean {
  const key = (filters: InboxFilters) => {
    const { view = 'all', status, ...rest } = compact(filters);
    const sorted = Object.entries(rest).sort(([x], [y]) => x.localeCompare(y));
    return JSON.stringify([view, [...(status ?? [])].sort(), sorted]);
  };
  return key(a) === key(b);
}
