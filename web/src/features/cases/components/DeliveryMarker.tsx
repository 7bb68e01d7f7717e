import { Group, Text, Tooltip } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { api } from '../../../app/api/client';
import type { Message } from '../types';

interface Delivery {
  outboxId: string;
  caseMessageId: string;
  to: string;
  status: 'queued' | 'outbox' | 'sent' | 'failed' | 'bounced';
  lastError: string | null;
  attempts: number;
}

/** The mails of the case on screen (one request per case, shared by every entry). The key
 * starts with `cases`, so a live change of the case refreshes it too. */
function useCaseDeliveries() {
  const { ref = '' } = useParams();
  return useQuery({
    queryKey: ['cases', 'deliveries', ref],
    queryFn: () => api.get<{ items: Delivery[] }>('/api/channels/deliveries', { caseId: ref }),
    enabled: ref !== '',
    staleTime: 30_000,
    // While a mail is still being tried, look again now and then.
    refetchInterval: (query) => (query.state.data?.items.some((d) => d.status === 'queued') ? 30_000 : false),
  });
}

/** A red line under a staff reply whose mail failed for good or bounced, with the reason. */
export function DeliveryMarker({ message }: { message: Message }) {
  if (message.kind !== 'reply' || message.internal || message.author.kind !== 'staff') return null;
  return <FailedDeliveries messageId={message.id} />;
}

function FailedDeliveries({ messageId }: { messageId: string }) {
  const { t } = useTranslation('cases');
  const deliveries = useCaseDeliveries();
  const failed = (deliveries.data?.items ?? []).filter(
    (delivery) =>
      delivery.caseMessageId === messageId && (delivery.status === 'failed' || delivery.status === 'bounced'),
  );
  if (failed.length === 0) return null;
  return (
    <>
      {failed.map((delivery) => (
        <Group
          key={delivery.outboxId}
          gap={6}
          wrap="nowrap"
          data-testid="delivery-failed"
          data-status={delivery.status}
        >
          <Tooltip label={t('emailBody.deliveryTo', { to: delivery.to, attempts: delivery.attempts })}>
            <Text size="xs" c="red" fw={600}>
              {t(delivery.status === 'bounced' ? 'emailBody.bounced' : 'emailBody.notDelivered', {
                reason: delivery.lastError ?? '—',
              })}
            </Text>
          </Tooltip>
        </Group>
      ))}
    </>
  );
}
