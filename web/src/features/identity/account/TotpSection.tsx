import { Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { notifySuccess } from '../../../app/notify';
import { identityApi, identityKeys } from '../api';
import { useCurrentMe } from '../session';
import { RecoveryCodes } from './RecoveryCodes';
import { TotpEnrolment } from './TotpEnrolment';

/** The authenticator app: enrol, confirm, see the recovery codes once, or remove it. */
export function TotpSection() {
  const { t } = useTranslation(['identity', 'common']);
  const me = useCurrentMe();
  const queryClient = useQueryClient();
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const refreshMe = () => queryClient.invalidateQueries({ queryKey: identityKeys.me, exact: true });

  const enrol = useMutation({ mutationFn: identityApi.enrolTotp });
  const remove = useMutation({
    mutationFn: identityApi.removeTotp,
    onSuccess: () => {
      setRecoveryCodes(null);
      notifySuccess(t('totp.removed'));
      return refreshMe();
    },
  });

  const confirmed = (codes: string[]) => {
    enrol.reset();
    setRecoveryCodes(codes);
    void refreshMe();
  };

  const enrolled = me.stepUp.totpEnrolled;
  return (
    <Card withBorder padding="lg" data-testid="totp-section">
      <Group justify="space-between" mb="sm">
        <Title order={4}>{t('totp.title')}</Title>
        <Badge color={enrolled ? 'teal' : 'gray'} variant="light" data-testid="totp-status">
          {enrolled ? t('totp.enabled') : t('totp.disabled')}
        </Badge>
      </Group>
      <Stack>
        <Text size="sm" c="dimmed">
          {t('totp.description')}
        </Text>
        {recoveryCodes && <RecoveryCodes codes={recoveryCodes} />}
        {enrol.data ? (
          <TotpEnrolment enrolment={enrol.data} onConfirmed={confirmed} onCancel={() => enrol.reset()} />
        ) : (
          <Group>
            {enrolled ? (
              <Button
                color="red"
                variant="light"
                onClick={() => remove.mutate()}
                loading={remove.isPending}
                data-testid="totp-remove"
              >
                {t('totp.remove')}
              </Button>
            ) : (
              <Button onClick={() => enrol.mutate()} loading={enrol.isPending} data-testid="totp-enrol">
                {t('totp.enrol')}
              </Button>
            )}
          </Group>
        )}
      </Stack>
    </Card>
  );
}
