import { Checkbox, Table, Text, Tooltip } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormatters } from '../../../app/language';
import { PriorityBadge, SlaBadge, StatusBadge } from '../components/Badges';
import { useCaseFormatters, useNow } from '../format';
import type { CaseSummary } from '../types';

interface CaseTableProps {
  items: CaseSummary[];
  cursor: number;
  selected: ReadonlySet<string>;
  onToggle: (id: string) => void;
  onToggleAll: () => void;
  onOpen: (item: CaseSummary) => void;
}

/** The inbox list; the keyboard cursor row is highlighted and kept in view. */
export function CaseTable({ items, cursor, selected, onToggle, onToggleAll, onOpen }: CaseTableProps) {
  const { t } = useTranslation('cases');
  const format = useFormatters();
  const { relative } = useCaseFormatters();
  const now = useNow();
  const cursorRow = useRef<HTMLTableRowElement>(null);
  const allSelected = items.length > 0 && items.every((item) => selected.has(item.id));
  const someSelected = items.some((item) => selected.has(item.id));

  useEffect(() => {
    if (cursor >= 0) cursorRow.current?.scrollIntoView({ block: 'nearest' });
  }, [cursor]);

  return (
    <Table.ScrollContainer minWidth={900}>
      <Table highlightOnHover verticalSpacing="xs" data-testid="case-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={36}>
              <Checkbox
                aria-label={t('columns.selectAll')}
                checked={allSelected}
                indeterminate={someSelected && !allSelected}
                onChange={onToggleAll}
                data-testid="bulk-select-all"
              />
            </Table.Th>
            <Table.Th>{t('columns.number')}</Table.Th>
            <Table.Th>{t('columns.subjectAndCustomer')}</Table.Th>
            <Table.Th>{t('columns.status')}</Table.Th>
            <Table.Th>{t('columns.priority')}</Table.Th>
            <Table.Th>{t('columns.assignee')}</Table.Th>
            <Table.Th>{t('columns.updated')}</Table.Th>
            <Table.Th>{t('columns.sla')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((item, index) => (
            <Table.Tr
              key={item.id}
              ref={index === cursor ? cursorRow : undefined}
              onClick={() => onOpen(item)}
              bg={index === cursor ? 'var(--mantine-color-teal-light)' : undefined}
              style={{ cursor: 'pointer' }}
              data-testid="case-row"
              data-case-id={item.id}
              data-case-number={item.number}
              data-cursor={index === cursor || undefined}
              data-selected={selected.has(item.id) || undefined}
            >
              <Table.Td onClick={(event) => event.stopPropagation()}>
                <Checkbox
                  aria-label={t('columns.select', { number: item.number })}
                  checked={selected.has(item.id)}
                  onChange={() => onToggle(item.id)}
                  data-testid="bulk-select"
                />
              </Table.Td>
              <Table.Td>
                <Text size="sm" ff="monospace" style={{ whiteSpace: 'nowrap' }} data-testid="case-number">
                  {item.number}
                </Text>
              </Table.Td>
              <Table.Td miw={180}>
                <Text size="sm" fw={500} lineClamp={2} data-testid="case-subject">
                  {item.subject}
                </Text>
                <Text size="xs" c="dimmed" data-testid="case-customer">
                  {item.customer.name}
                  {item.vehicle && ` · ${item.vehicle.model}`}
                </Text>
              </Table.Td>
              <Table.Td>
                <StatusBadge status={item.status} size="sm" />
              </Table.Td>
              <Table.Td>
                <PriorityBadge priority={item.priority} size="sm" />
              </Table.Td>
              <Table.Td>
                <Text size="sm" c={item.assignee ? undefined : 'dimmed'}>
                  {item.assignee?.name ?? t('case.unassigned')}
                </Text>
              </Table.Td>
              <Table.Td>
                <Tooltip label={format.dateTime(item.updatedAt)}>
                  <Text size="sm" style={{ whiteSpace: 'nowrap' }} data-testid="case-updated">
                    {relative(item.updatedAt, now)}
                  </Text>
                </Tooltip>
              </Table.Td>
              <Table.Td>
                <SlaBadge sla={item.sla} size="sm" />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
