import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { identityKeys } from '../features/identity/api';
import { isApiError } from './api/client';
import { notifyError } from './notify';

declare module '@tanstack/react-query' {
  interface Register {
    /** `silent`: the screen shows the error itself, so no notification is raised. */
    mutationMeta: { silent?: boolean };
  }
}

function handleError(error: unknown, silent: boolean | undefined): void {
  // An expired session sends everyone back to the login page (via the guards).
  if (isApiError(error, 'unauthenticated')) {
    queryClient.setQueryData(identityKeys.me, null);
    return;
  }
  if (!silent) notifyError(error);
}

export const queryClient: QueryClient = new QueryClient({
  // Screens show a failed query in place; only failed actions raise a notification.
  queryCache: new QueryCache({ onError: (error) => handleError(error, true) }),
  mutationCache: new MutationCache({
    onError: (error, _variables, _context, mutation) => handleError(error, mutation.meta?.silent),
  }),
  defaultOptions: {
    queries: {
      retry: (failureCount, error) => !isApiError(error) || (error.status >= 500 && failureCount < 2),
      refetchOnWindowFocus: false,
    },
  },
});
