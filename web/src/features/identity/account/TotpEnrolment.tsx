import { Alert, Button, Code, Group, Image, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import QRCode from 'qrcode';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { identityApi } from '../api';

interface TotpEnrolmentProps {
  enrolment: { secret: string; otpauthUrl: string };
  onConfirmed: (recoveryCodes: string[]) => void;
  onCancel: () => void;
}

/** Shows the QR code and the secret of a started enrolment, then confirms it with a first code. */
export function TotpEnrolment({ enrolment, onConfirmed, onCancel }: TotpEnrolmentProps) {
  const { t } = useTranslation(['identity', 'common']);
  const [qrDataUrl, setQrDataUrl] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const confirm = useMutation({
    mutationFn: (value: string) => identityApi.confirmTotp(value),
    onSuccess: ({ recoveryCodes }) => onConfirmed(recoveryCodes),
    meta: { silent: true },
  });

  useEffect(() => {
    let current = true;
    QRCode.toDataURL(enrolment.otpauthUrl, { margin: 1, width: 200 }).then(
      (url) => current && setQrDataUrl(url),
      () => current && setQrDataUrl(null),
    );
    return () => {
      current = false;
    };
  }, [enrolment.otpauthUrl]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (code.trim()) confirm.mutate(code.trim());
  };

  return (
    <Stack data-testid="totp-enrolment">
      <Text size="sm">{t('totp.scan')}</Text>
      <Group align="flex-start" gap="xl">
        {qrDataUrl && (
          <Image src={qrDataUrl} alt={t('totp.qrAlt')} w={200} h={200} fit="contain" data-testid="totp-qr" />
        )}
        <Stack gap={4} maw={360}>
          <Text size="sm" c="dimmed">
            {t('totp.manualEntry')}
          </Text>
          <Code fz="md" data-testid="totp-secret" style={{ wordBreak: 'break-all' }}>
            {enrolment.secret}
          </Code>
        </Stack>
      </Group>
      <form onSubmit={submit}>
        <Stack gap="sm" maw={320}>
          {confirm.error && <Alert color="red">{confirm.error.message}</Alert>}
          <TextInput
            label={t('totp.codeLabel')}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={8}
            value={code}
            onChange={(event) => setCode(event.currentTarget.value)}
            data-testid="totp-code"
          />
          <Group>
            <Button type="submit" loading={confirm.isPending} data-testid="totp-confirm">
              {t('totp.confirm')}
            </Button>
            <Button variant="default" onClick={onCancel}>
              {t('common:actions.cancel')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
