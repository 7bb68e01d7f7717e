import { Alert, Button, Stack, Text } from '@mantine/core';
import { browserSupportsWebAuthn, startAuthentication } from '@simplewebauthn/browser';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { identityApi } from '../api';
import type { StepUpResult } from './StepUpProvider';

/** Step-up with a passkey: the server's challenge, the browser's prompt, the server's check. */
export function PasskeyStepUp({ onSuccess }: { onSuccess: (result: StepUpResult) => void }) {
  const { t } = useTranslation('identity');
  const verify = useMutation({
    mutationFn: async () => {
      const optionsJSON = await identityApi.passkeyStepUpOptions();
      const response = await startAuthentication({ optionsJSON });
      return identityApi.stepUpWithPasskey(response);
    },
    onSuccess,
    meta: { silent: true },
  });

  if (!browserSupportsWebAuthn()) {
    return <Alert color="yellow">{t('passkeys.unsupported')}</Alert>;
  }
  return (
    <Stack>
      {verify.error && <Alert color="red">{verify.error.message}</Alert>}
      <Text size="sm">{t('stepUp.passkeyHint')}</Text>
      <Button onClick={() => verify.mutate()} loading={verify.isPending} data-testid="stepup-passkey">
        {t('stepUp.usePasskey')}
      </Button>
    </Stack>
  );
}
