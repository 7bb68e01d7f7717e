import { Button, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CaseDetail } from '../types';
import type { CaseActions } from './useCaseActions';

/** Follow to be notified of every change; the tooltip names who follows already. */
export function FollowButton({ detail, actions }: { detail: CaseDetail; actions: CaseActions }) {
  const { t } = useTranslation('cases');
  const followers = detail.followers.map((follower) => follower.name).join(', ');
  return (
    <Tooltip label={t('case.followers', { names: followers || '—' })}>
      <Button
        size="xs"
        variant={detail.viewerIsFollower ? 'light' : 'default'}
        loading={actions.follow.isPending}
        onClick={() => actions.follow.mutate(!detail.viewerIsFollower)}
        data-testid="case-follow"
        data-following={detail.viewerIsFollower}
      >
        {detail.viewerIsFollower ? t('case.unfollow') : t('case.follow')}
      </Button>
    </Tooltip>
  );
}
