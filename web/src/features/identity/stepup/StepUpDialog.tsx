import { Alert, Anchor, Modal, SegmentedControl, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMe } from '../session';
import { CodeStepUpForm } from './CodeStepUpForm';
import { PasskeyStepUp } from './PasskeyStepUp';
import type { StepUpResult } from './StepUpProvider';

type Method = 'totp' | 'recovery' | 'passkey';

interface StepUpDialogProps {
  opened: boolean;
  onDone: (result: StepUpResult | null) => void;
}

export function StepUpDialog({ opened, onDone }: StepUpDialogProps) {
  const { t } = useTranslation('identity');
  const { data: me } = useMe();
  const totpEnrolled = me?.stepUp.totpEnrolled ?? false;
  const hasPasskey = (me?.stepUp.passkeyCount ?? 0) > 0;
  const [method, setMethod] = useState<Method>('totp');

  useEffect(() => {
    if (opened) setMethod(!totpEnrolled && hasPasskey ? 'passkey' : 'totp');
  }, [opened, totpEnrolled, hasPasskey]);

  const methods = [
    { value: 'totp', label: t('stepUp.methods.totp') },
    { value: 'recovery', label: t('stepUp.methods.recovery') },
    { value: 'passkey', label: t('stepUp.methods.passkey') },
  ];
  const accountPath = me?.kind === 'customer' ? '/portal/account' : '/agent/account';

  return (
    <Modal
      opened={opened}
      onClose={() => onDone(null)}
      title={t('stepUp.title')}
      centered
      // Above any other dialog: a step-up can be asked for by an action inside a modal.
      zIndex={1000}
      closeOnEscape={false}
      data-testid="stepup-dialog"
    >
      <Stack>
        <Text size="sm" c="dimmed">
          {t('stepUp.intro')}
        </Text>
        {!totpEnrolled && !hasPasskey && (
          <Alert color="yellow">
            {t('stepUp.noMethod')}{' '}
            <Anchor component={Link} to={accountPath} onClick={() => onDone(null)}>
              {t('stepUp.openAccount')}
            </Anchor>
          </Alert>
        )}
        <SegmentedControl
          fullWidth
          value={method}
          onChange={(value) => setMethod(value as Method)}
          data={methods}
          data-testid="stepup-method"
        />
        {method === 'passkey' ? (
          <PasskeyStepUp onSuccess={onDone} />
        ) : (
          <CodeStepUpForm key={method} kind={method} onSuccess={onDone} onCancel={() => onDone(null)} />
        )}
      </Stack>
    </Modal>
  );
}
