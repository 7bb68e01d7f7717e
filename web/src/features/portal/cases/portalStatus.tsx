import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CaseStatus } from '../../cases/types';

const colors: Record<CaseStatus, string> = {
  new: 'blue',
  open: 'teal',
  pending_customer: 'orange',
  pending_third_party: 'teal',
  solved: 'green',
  closed: 'gray',
};

/** The status in an owner's words: "Waiting for you", "In progress", "Solved"… */
export function PortalStatusBadge({ status }: { status: CaseStatus }) {
  const { t } = useTranslation('portal');
  return (
    <Badge color={colors[status]} variant="light" data-testid="portal-case-status" data-status={status}>
      {t(`cases.status.${status}`)}
    </Badge>
  );
}
