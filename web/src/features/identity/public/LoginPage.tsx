import { Alert, Anchor, Button, Group, Paper, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { FullPageLoader } from '../../../app/components/QueryState';
import { identityApi } from '../api';
import { homePathFor, useMe, useSetMe } from '../session';
import type { Me } from '../types';

/** Only same-app paths are followed after login, and only into the area the principal may use. */
function targetAfterLogin(me: Me, next: string | null): string {
  const area = me.kind === 'customer' ? '/portal' : '/agent';
  if (next?.startsWith(area) && !next.startsWith('//')) return next;
  return homePathFor(me);
}

export function LoginPage() {
  const { t } = useTranslation(['identity', 'common']);
  const { data: me, isPending } = useMe();
  const setMe = useSetMe();
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const next = searchParams.get('next');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  const login = useMutation({
    mutationFn: () => identityApi.login(email.trim(), password),
    onSuccess: ({ user }) => {
      setMe(user);
      navigate(targetAfterLogin(user, next), { replace: true });
    },
    meta: { silent: true },
  });

  if (isPending) return <FullPageLoader />;
  if (me && !login.isSuccess) return <Navigate to={targetAfterLogin(me, next)} replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate();
  };

  return (
    <Paper withBorder shadow="sm" p="xl" maw={420} mx="auto" radius="md">
      <form onSubmit={submit} data-testid="login-form">
        <Stack>
          <Title order={2}>{t('login.title')}</Title>
          {login.error && (
            <Alert color="red" data-testid="login-error">
              {login.error.message}
            </Alert>
          )}
          <TextInput
            label={t('login.email')}
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
            data-testid="login-email"
          />
          <PasswordInput
            label={t('login.password')}
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
            data-testid="login-password"
          />
          <Button type="submit" loading={login.isPending} fullWidth data-testid="login-submit">
            {t('login.submit')}
          </Button>
          <Group justify="center">
            <Anchor component={Link} to="/forgot-password" size="sm" data-testid="forgot-password-link">
              {t('login.forgot')}
            </Anchor>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
