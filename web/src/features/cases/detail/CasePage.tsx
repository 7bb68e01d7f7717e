import { Alert, Anchor, Breadcrumbs, Grid, Group, Stack, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { isApiError } from '../../../app/api/client';
import { QueryError, SectionLoader } from '../../../app/components/QueryState';
import { NotFound } from '../../../app/pages/NotFound';
import { useCurrentMe } from '../../identity/session';
import { caseKeys, casesApi } from '../api';
import { StatusBadge } from '../components/Badges';
import { ShortcutsHelp } from '../components/ShortcutsHelp';
import type { CaseDetail } from '../types';
import { CaseProperties } from './CaseProperties';
import { Composer } from './Composer';
import { FollowButton } from './FollowButton';
import { LinksCard } from './LinksCard';
import { LogCallButton } from './LogCallModal';
import { MergeButton } from './MergeButton';
import { PresenceList } from './PresenceList';
import { CustomerCard, SlaCard } from './SideCards';
import { SubjectEditor } from './SubjectEditor';
import { Timeline } from './Timeline';
import { useCaseActions } from './useCaseActions';
import { usePresence } from './usePresence';

/** One case for an agent; a merged case's number lands on the case it was merged into. */
export function CasePage() {
  const { ref = '' } = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  const view = useQuery({ queryKey: caseKeys.detail(ref), queryFn: () => casesApi.get(ref) });
  const detail = view.data;

  useEffect(() => {
    if (!detail?.redirectedFrom || detail.number === ref) return;
    queryClient.setQueryData<CaseDetail>(caseKeys.detail(detail.number), { ...detail, redirectedFrom: null });
    navigate(`/agent/cases/${encodeURIComponent(detail.number)}`, {
      replace: true,
      state: { mergedFrom: detail.redirectedFrom },
    });
  }, [detail, ref, navigate, queryClient]);

  if (view.isPending) return <SectionLoader />;
  if (isApiError(view.error) && view.error.status === 404) return <NotFound />;
  if (view.error) return <QueryError error={view.error} onRetry={() => void view.refetch()} />;
  const mergedFrom =
    (location.state as { mergedFrom?: string } | null)?.mergedFrom ?? view.data.redirectedFrom;
  return <CaseView key={view.data.id} detail={view.data} mergedFrom={mergedFrom} />;
}

function CaseView({ detail, mergedFrom }: { detail: CaseDetail; mergedFrom: string | null }) {
  const { t } = useTranslation('cases');
  const me = useCurrentMe();
  const actions = useCaseActions(detail);
  const presence = usePresence(detail.id, me.id);
  const closed = detail.status === 'closed';

  return (
    <Stack data-testid="case-page" data-case-id={detail.id}>
      <Breadcrumbs>
        <Anchor component={Link} to="/agent/cases" size="sm">
          {t('inbox.title')}
        </Anchor>
        <span>{detail.number}</span>
      </Breadcrumbs>
      {mergedFrom && (
        <Alert color="blue" data-testid="case-merged-notice">
          {t('case.merged', { from: mergedFrom, to: detail.number })}
        </Alert>
      )}
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <Stack gap={4} style={{ flex: 1, minWidth: 280 }}>
          <Group gap="xs">
            <Text ff="monospace" c="dimmed" data-testid="case-number">
              {detail.number}
            </Text>
            <StatusBadge status={detail.status} />
          </Group>
          <SubjectEditor subject={detail.subject} actions={actions} disabled={closed} />
        </Stack>
        <Group gap="xs">
          <PresenceList others={presence.others} />
          <FollowButton detail={detail} actions={actions} />
          <LogCallButton actions={actions} disabled={closed} />
          <MergeButton detail={detail} disabled={closed} />
          <ShortcutsHelp />
        </Group>
      </Group>
      <CaseProperties detail={detail} actions={actions} disabled={closed} />
      <Grid>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack>
            <Timeline messages={detail.timeline} />
            {closed ? (
              <Alert color="gray" data-testid="case-closed-hint">
                {t('case.closedHint')}
              </Alert>
            ) : (
              <Composer caseId={detail.id} actions={actions} onTyping={presence.typing} />
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack>
            <CustomerCard detail={detail} />
            <SlaCard detail={detail} />
            <LinksCard detail={detail} actions={actions} disabled={closed} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
