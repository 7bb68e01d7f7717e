import { Alert, Anchor, Breadcrumbs, Button, Group, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { isApiError } from '../../../app/api/client';
import { QueryError, SectionLoader } from '../../../app/components/QueryState';
import { useFormatters } from '../../../app/language';
import { notifySuccess } from '../../../app/notify';
import { NotFound } from '../../../app/pages/NotFound';
import { caseKeys, casesApi } from '../../cases/api';
import type { CaseDetail } from '../../cases/types';
import { PortalReplyBox } from './PortalReplyBox';
import { PortalTimeline } from './PortalTimeline';
import { PortalStatusBadge } from './portalStatus';

const portalCasePath = (number: string) => `/portal/cases/${encodeURIComponent(number)}`;

/** One request for its owner: the conversation (live), a reply box and "Close request". */
export function PortalCasePage() {
  const { ref = '' } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const view = useQuery({ queryKey: caseKeys.detail(ref), queryFn: () => casesApi.get(ref) });
  const detail = view.data;

  useEffect(() => {
    if (!detail?.redirectedFrom || detail.number === ref) return;
    queryClient.setQueryData<CaseDetail>(caseKeys.detail(detail.number), { ...detail, redirectedFrom: null });
    navigate(portalCasePath(detail.number), { replace: true, state: { mergedFrom: detail.redirectedFrom } });
  }, [detail, ref, navigate, queryClient]);

  if (view.isPending) return <SectionLoader />;
  if (isApiError(view.error) && view.error.status === 404) return <NotFound />;
  if (view.error) return <QueryError error={view.error} onRetry={() => void view.refetch()} />;
  return <PortalCaseView key={view.data.id} detail={view.data} />;
}

function PortalCaseView({ detail }: { detail: CaseDetail }) {
  const { t } = useTranslation('portal');
  const format = useFormatters();
  const location = useLocation();
  const queryClient = useQueryClient();
  const notice = location.state as { mergedFrom?: string; followUpOf?: string } | null;
  const closed = detail.status === 'closed';
  const close = useMutation({
    mutationFn: () => casesApi.close(detail.id),
    onSuccess: (updated) => {
      queryClient.setQueryData(caseKeys.detail(updated.number), updated);
      void queryClient.invalidateQueries({ queryKey: caseKeys.lists });
      notifySuccess(t('case.closedDone'));
    },
  });

  return (
    <Stack data-testid="portal-case-page">
      <Breadcrumbs>
        <Anchor component={Link} to="/portal" size="sm">
          {t('cases.title')}
        </Anchor>
        <span>{detail.number}</span>
      </Breadcrumbs>
      {notice?.mergedFrom && (
        <Alert color="blue">{t('case.merged', { from: notice.mergedFrom, to: detail.number })}</Alert>
      )}
      {notice?.followUpOf && (
        <Alert color="blue" data-testid="portal-follow-up-notice">
          {t('case.followUp', { number: detail.number, previous: notice.followUpOf })}
        </Alert>
      )}
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Group gap="xs">
            <Text ff="monospace" c="dimmed" data-testid="portal-case-number">
              {detail.number}
            </Text>
            <PortalStatusBadge status={detail.status} />
          </Group>
          <Title order={2} data-testid="portal-case-subject">
            {detail.subject}
          </Title>
          <Text size="sm" c="dimmed">
            {t('case.opened', { date: format.dateTime(detail.createdAt) })}
            {detail.vehicle && ` · ${detail.vehicle.model} (${detail.vehicle.vin})`}
          </Text>
        </Stack>
        {!closed && (
          <Button
            variant="default"
            loading={close.isPending}
            onClick={() => close.mutate()}
            data-testid="portal-close-case"
          >
            {t('case.close')}
          </Button>
        )}
      </Group>
      {detail.status === 'pending_customer' && <Alert color="orange">{t('case.waitingForYou')}</Alert>}
      <PortalTimeline messages={detail.timeline} />
      {closed && <Alert color="gray">{t('case.closedHint')}</Alert>}
      <PortalReplyBox detail={detail} onFollowUp={portalCasePath} />
    </Stack>
  );
}
