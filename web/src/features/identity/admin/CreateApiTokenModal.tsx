import {
  Alert,
  Button,
  Code,
  CopyButton,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  Stack,
  TextInput,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { identityApi, identityKeys } from '../api';
import { tokenScopes } from './roles';

interface CreateApiTokenModalProps {
  opened: boolean;
  onClose: () => void;
}

/** Creates an API token (a step-up may be asked for) and shows its secret exactly once. */
export function CreateApiTokenModal({ opened, onClose }: CreateApiTokenModalProps) {
  const { t } = useTranslation(['identity', 'common']);
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>([]);
  const [expiresInDays, setExpiresInDays] = useState<number | string>(90);
  const create = useMutation({
    mutationFn: () =>
      identityApi.createApiToken({
        name: name.trim(),
        scopes,
        expiresInDays: typeof expiresInDays === 'number' ? expiresInDays : undefined,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: identityKeys.apiTokens }),
  });

  const close = () => {
    create.reset();
    setName('');
    setScopes([]);
    setExpiresInDays(90);
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };

  return (
    <Modal opened={opened} onClose={close} title={t('apiTokens.create')} size="lg">
      {create.data ? (
        <Stack>
          <Alert color="yellow" title={t('apiTokens.createdTitle')}>
            {t('apiTokens.createdText')}
          </Alert>
          <Code block data-testid="api-token-secret" style={{ wordBreak: 'break-all' }}>
            {create.data.token}
          </Code>
          <Group justify="flex-end">
            <CopyButton value={create.data.token}>
              {({ copied, copy }) => (
                <Button variant="light" onClick={copy}>
                  {copied ? t('common:actions.copied') : t('common:actions.copy')}
                </Button>
              )}
            </CopyButton>
            <Button onClick={close}>{t('common:actions.done')}</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit}>
          <Stack>
            <TextInput
              label={t('common:fields.name')}
              required
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
              data-testid="api-token-name"
            />
            <MultiSelect
              label={t('apiTokens.scopes')}
              data={[...tokenScopes]}
              value={scopes}
              onChange={setScopes}
              required
              data-testid="api-token-scopes"
            />
            <NumberInput
              label={t('apiTokens.expiresInDays')}
              description={t('apiTokens.expiresInDaysHint')}
              min={1}
              max={3650}
              allowDecimal={false}
              value={expiresInDays}
              onChange={setExpiresInDays}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('common:actions.cancel')}
              </Button>
              <Button
                type="submit"
                loading={create.isPending}
                disabled={!name.trim() || scopes.length === 0}
                data-testid="api-token-submit"
              >
                {t('apiTokens.create')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
