import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { casesApi } from '../api';
import type { CaseDetail } from '../types';
import { useRefreshCase } from './useCaseActions';

/** Merges this case into another; the page then shows the target. */
export function MergeButton({ detail, disabled }: { detail: CaseDetail; disabled?: boolean }) {
  const { t } = useTranslation(['cases', 'common']);
  const navigate = useNavigate();
  const refresh = useRefreshCase();
  const [opened, { open, close }] = useDisclosure();
  const [into, setInto] = useState('');
  const merge = useMutation({
    mutationFn: () => casesApi.merge(detail.id, into.trim()),
    onSuccess: (target) => {
      refresh(detail);
      refresh(target, target);
      close();
      navigate(`/agent/cases/${encodeURIComponent(target.number)}`, {
        state: { mergedFrom: detail.number },
      });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (into.trim()) merge.mutate();
  };

  return (
    <>
      <Button variant="default" size="xs" onClick={open} disabled={disabled} data-testid="case-merge">
        {t('merge.action')}
      </Button>
      <Modal opened={opened} onClose={close} title={t('merge.title')} data-testid="merge-dialog">
        <form onSubmit={submit}>
          <Stack>
            <Text size="sm">{t('merge.intro', { number: detail.number })}</Text>
            <TextInput
              label={t('merge.into')}
              placeholder="PW-2026-000123"
              value={into}
              onChange={(event) => setInto(event.currentTarget.value)}
              data-autofocus
              data-testid="merge-into"
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('common:actions.cancel')}
              </Button>
              <Button type="submit" color="red" loading={merge.isPending} data-testid="merge-submit">
                {t('merge.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
