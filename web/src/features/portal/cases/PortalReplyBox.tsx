import { Button, Card, Group, Stack, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { notifySuccess } from '../../../app/notify';
import { caseKeys, casesApi } from '../../cases/api';
import { AttachmentPicker, useAttachmentUploads } from '../../cases/components/AttachmentPicker';
import type { CaseDetail } from '../../cases/types';

interface PortalReplyBoxProps {
  detail: CaseDetail;
  onFollowUp: (number: string) => string;
}

/** The owner's reply; on a closed request the server opens a follow-up request instead. */
export function PortalReplyBox({ detail, onFollowUp }: PortalReplyBoxProps) {
  const { t } = useTranslation('portal');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const uploads = useAttachmentUploads();
  const [body, setBody] = useState('');
  const reply = useMutation({
    mutationFn: () =>
      casesApi.addMessage(detail.id, {
        kind: 'reply',
        body: body.trim(),
        attachmentIds: uploads.items.map((item) => item.id),
      }),
    onSuccess: ({ followUpCase }) => {
      setBody('');
      uploads.reset();
      void queryClient.invalidateQueries({ queryKey: caseKeys.lists });
      void queryClient.invalidateQueries({ queryKey: caseKeys.detail(detail.number) });
      if (followUpCase) {
        navigate(onFollowUp(followUpCase), { state: { followUpOf: detail.number } });
      } else {
        notifySuccess(t('case.replySent'));
      }
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (body.trim() || uploads.items.length > 0) reply.mutate();
  };

  return (
    <Card withBorder padding="md">
      <form onSubmit={submit}>
        <Stack gap="sm">
          <Textarea
            label={t('case.reply')}
            placeholder={t('case.replyPlaceholder')}
            value={body}
            onChange={(event) => setBody(event.currentTarget.value)}
            autosize
            minRows={3}
            data-testid="portal-reply-body"
          />
          <Group justify="space-between">
            <AttachmentPicker
              uploads={uploads}
              buttonTestId="portal-reply-attach"
              inputTestId="portal-reply-file"
            />
            <Button
              type="submit"
              loading={reply.isPending}
              disabled={uploads.uploading || (!body.trim() && uploads.items.length === 0)}
              data-testid="portal-reply-submit"
            >
              {t('case.send')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
