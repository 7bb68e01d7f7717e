import { Alert, Anchor, Button, Paper, PasswordInput, Stack, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { identityApi } from '../api';

export function ResetPasswordPage() {
  const { t } = useTranslation('identity');
  const [searchParams] = useSearchParams();
  const token = searchParams.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const reset = useMutation({
    mutationFn: () => identityApi.confirmPasswordReset(token, password),
    meta: { silent: true },
  });

  const mismatch = repeated.length > 0 && repeated !== password;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!mismatch && password) reset.mutate();
  };

  return (
    <Paper withBorder shadow="sm" p="xl" maw={420} mx="auto" radius="md">
      <Stack>
        <Title order={2}>{t('reset.title')}</Title>
        {!token && <Alert color="red">{t('reset.missingToken')}</Alert>}
        {reset.isSuccess ? (
          <Alert color="teal" data-testid="reset-done">
            {t('reset.done')}
          </Alert>
        ) : (
          token && (
            <form onSubmit={submit}>
              <Stack>
                {reset.error && <Alert color="red">{reset.error.message}</Alert>}
                <PasswordInput
                  label={t('reset.password')}
                  autoComplete="new-password"
                  required
                  value={password}
                  onChange={(event) => setPassword(event.currentTarget.value)}
                  data-testid="reset-password"
                />
                <PasswordInput
                  label={t('reset.repeat')}
                  autoComplete="new-password"
                  required
                  value={repeated}
                  error={mismatch ? t('reset.mismatch') : undefined}
                  onChange={(event) => setRepeated(event.currentTarget.value)}
                  data-testid="reset-password-repeat"
                />
                <Button type="submit" loading={reset.isPending} data-testid="reset-submit">
                  {t('reset.submit')}
                </Button>
              </Stack>
            </form>
          )
        )}
        <Anchor component={Link} to="/login" size="sm" ta="center">
          {t('forgot.backToLogin')}
        </Anchor>
      </Stack>
    </Paper>
  );
}
