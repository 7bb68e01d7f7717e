import { Badge, type MantineSize, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormatters } from '../../../app/language';
import { useCaseFormatters, useNow } from '../format';
import type { CasePriority, CaseStatus, Sla } from '../types';

export const statusColors: Record<CaseStatus, string> = {
  new: 'blue',
  open: 'teal',
  pending_customer: 'yellow',
  pending_third_party: 'grape',
  solved: 'green',
  closed: 'gray',
};

const priorityColors: Record<CasePriority, string> = {
  low: 'gray',
  normal: 'blue',
  high: 'orange',
  urgent: 'red',
};

const slaColors: Record<Sla['state'], string> = {
  ok: 'teal',
  warning: 'orange',
  breached: 'red',
  paused: 'gray',
  met: 'blue',
  none: 'gray',
};

// Mantine clips a badge label with an ellipsis, which lets table columns squeeze it to nothing.
const fullLabel = { label: { overflow: 'visible' } } as const;

interface Sized {
  /** Tables use `sm`. */
  size?: MantineSize;
}

export function StatusBadge({ status, size }: { status: CaseStatus } & Sized) {
  const { t } = useTranslation('cases');
  return (
    <Badge
      color={statusColors[status]}
      variant="light"
      size={size}
      styles={fullLabel}
      data-testid="case-status"
      data-status={status}
    >
      {t(`status.${status}`)}
    </Badge>
  );
}

export function PriorityBadge({ priority, size }: { priority: CasePriority } & Sized) {
  const { t } = useTranslation('cases');
  return (
    <Badge
      color={priorityColors[priority]}
      variant={priority === 'urgent' ? 'filled' : 'outline'}
      size={size}
      styles={fullLabel}
    >
      {t(`priority.${priority}`)}
    </Badge>
  );
}

/** "due in 2 hr" / "breached 15 min ago", with the exact time on hover. */
export function SlaBadge({ sla, size }: { sla: Sla } & Sized) {
  const { t } = useTranslation('cases');
  const format = useFormatters();
  const { relative } = useCaseFormatters();
  const now = useNow();
  if (sla.state === 'none') {
    return (
      <Text size="sm" c="dimmed" data-testid="case-sla" data-state="none">
        —
      </Text>
    );
  }
  let label: string = t(`sla.state.${sla.state}`);
  let exact: string | null = null;
  if (sla.state === 'breached' && (sla.breachedAt ?? sla.dueAt)) {
    const at = sla.breachedAt ?? sla.dueAt ?? '';
    label = t('sla.breachedAgo', { time: relative(at, now) });
    exact = format.dateTime(at);
  } else if ((sla.state === 'ok' || sla.state === 'warning') && sla.dueAt) {
    label = t('sla.dueIn', { time: relative(sla.dueAt, now) });
    exact = format.dateTime(sla.dueAt);
  }
  return (
    <Tooltip label={exact} disabled={!exact}>
      <Badge
        color={slaColors[sla.state]}
        variant="light"
        size={size}
        styles={fullLabel}
        data-testid="case-sla"
        data-state={sla.state}
      >
        {label}
      </Badge>
    </Tooltip>
  );
}
