import { Alert, Anchor, Button, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { identityApi } from '../api';

export function ForgotPasswordPage() {
  const { t } = useTranslation('identity');
  const [email, setEmail] = useState('');
  const request = useMutation({
    mutationFn: () => identityApi.requestPasswordReset(email.trim()),
    meta: { silent: true },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    request.mutate();
  };

  return (
    <Paper withBorder shadow="sm" p="xl" maw={420} mx="auto" radius="md">
      <Stack>
        <Title order={2}>{t('forgot.title')}</Title>
        {request.isSuccess ? (
          <Alert color="teal" data-testid="forgot-sent">
            {t('forgot.sent')}
          </Alert>
        ) : (
          <form onSubmit={submit}>
            <Stack>
              <Text size="sm" c="dimmed">
                {t('forgot.intro')}
              </Text>
              {request.error && <Alert color="red">{request.error.message}</Alert>}
              <TextInput
                label={t('login.email')}
                type="email"
                autoComplete="username"
                required
                value={email}
                onChange={(event) => setEmail(event.currentTarget.value)}
                data-testid="forgot-email"
              />
              <Button type="submit" loading={request.isPending} data-testid="forgot-submit">
                {t('forgot.submit')}
              </Button>
            </Stack>
          </form>
        )}
        <Anchor component={Link} to="/login" size="sm" ta="center">
          {t('forgot.backToLogin')}
        </Anchor>
      </Stack>
    </Paper>
  );
}
