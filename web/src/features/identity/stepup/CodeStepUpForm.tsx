import { Alert, Button, Group, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { identityApi } from '../api';
import type { StepUpResult } from './StepUpProvider';

interface CodeStepUpFormProps {
  kind: 'totp' | 'recovery';
  onSuccess: (result: StepUpResult) => void;
  onCancel: () => void;
}

/** Step-up with a code from the authenticator app, or with one of the recovery codes. */
export function CodeStepUpForm({ kind, onSuccess, onCancel }: CodeStepUpFormProps) {
  const { t } = useTranslation(['identity', 'common']);
  const [code, setCode] = useState('');
  const verify = useMutation({
    mutationFn: (value: string) =>
      identityApi.stepUpWithTotp(kind === 'totp' ? { code: value } : { recoveryCode: value }),
    onSuccess,
    meta: { silent: true },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = code.trim();
    if (value) verify.mutate(value);
  };

  return (
    <form onSubmit={submit}>
      {verify.error && (
        <Alert color="red" mb="sm" data-testid="stepup-error">
          {verify.error.message}
        </Alert>
      )}
      {kind === 'totp' ? (
        <TextInput
          label={t('stepUp.codeLabel')}
          description={t('stepUp.codeHint')}
          value={code}
          onChange={(event) => setCode(event.currentTarget.value)}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={8}
          autoFocus
          data-testid="stepup-code"
        />
      ) : (
        <TextInput
          label={t('stepUp.recoveryLabel')}
          description={t('stepUp.recoveryHint')}
          value={code}
          onChange={(event) => setCode(event.currentTarget.value)}
          autoComplete="off"
          autoFocus
          data-testid="stepup-recovery-code"
        />
      )}
      <Group justify="flex-end" mt="md">
        <Button variant="default" onClick={onCancel}>
          {t('common:actions.cancel')}
        </Button>
        <Button type="submit" loading={verify.isPending} data-testid="stepup-submit">
          {t('stepUp.verify')}
        </Button>
      </Group>
    </form>
  );
}
