import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { identityApi, identityKeys } from './api';

/** Signs out, forgets every cached answer and returns to the login page. */
export function useLogout() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: identityApi.logout,
    onSettled: () => {
      navigate('/login', { replace: true });
      queryClient.clear();
      queryClient.setQueryData(identityKeys.me, null);
    },
  });
}
