import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router';
import { identityKeys } from '../features/identity/api';
import type { Me } from '../features/identity/types';
import { configureApiClient } from './api/client';
import { queryClient } from './queryClient';
import { router } from './router';
import { theme } from './theme';

configureApiClient({
  getCsrfToken: () => queryClient.getQueryData<Me | null>(identityKeys.me)?.csrfToken,
});

export function App() {
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  );
}
