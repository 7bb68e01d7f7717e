import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/browser';
import { api, isApiError } from '../../app/api/client';
import type { Language } from '../../app/i18n';
import type { ApiToken, AuditEntry, AuditFilters, ListResponse, Market, Me, Passkey, User } from './types';

export const identityKeys = {
  me: ['me'] as const,
  passkeys: ['me', 'passkeys'] as const,
  markets: ['identity', 'markets'] as const,
  users: (q: string, role: string) => ['identity', 'users', q, role] as const,
  allUsers: ['identity', 'users'] as const,
  apiTokens: ['identity', 'api-tokens'] as const,
  audit: (filters: AuditFilters) => ['identity', 'audit', filters] as const,
};

/** The current session, or null when nobody is signed in (401). */
export async function fetchMe(): Promise<Me | null> {
  try {
    return await api.get<Me>('/api/me');
  } catch (error) {
    if (isApiError(error) && error.status === 401) return null;
    throw error;
  }
}

export const identityApi = {
  login: (email: string, password: string) =>
    api.post<{ user: Me }>('/api/auth/login', { email, password }, { stepUp: false }),
  logout: () => api.post<void>('/api/auth/logout', undefined, { stepUp: false }),
  updateMyLanguage: (language: Language) => api.patch<Me>('/api/me', { language }),
  requestPasswordReset: (email: string) => api.post<void>('/api/auth/password-reset/request', { email }),
  confirmPasswordReset: (token: string, password: string) =>
    api.post<void>('/api/auth/password-reset/confirm', { token, password }),

  enrolTotp: () => api.post<{ secret: string; otpauthUrl: string }>('/api/me/totp/enrol'),
  confirmTotp: (code: string) => api.post<{ recoveryCodes: string[] }>('/api/me/totp/confirm', { code }),
  removeTotp: () => api.delete('/api/me/totp'),
  stepUpWithTotp: (credential: { code: string } | { recoveryCode: string }) =>
    api.post<{ elevatedUntil: string }>('/api/auth/step-up/totp', credential, { stepUp: false }),
  passkeyStepUpOptions: () =>
    api.post<PublicKeyCredentialRequestOptionsJSON>('/api/auth/step-up/passkey/options', undefined, {
      stepUp: false,
    }),
  stepUpWithPasskey: (response: AuthenticationResponseJSON) =>
    api.post<{ elevatedUntil: string }>('/api/auth/step-up/passkey', { response }, { stepUp: false }),

  passkeys: () => api.get<ListResponse<Passkey>>('/api/me/passkeys'),
  passkeyRegistrationOptions: () =>
    api.post<PublicKeyCredentialCreationOptionsJSON>('/api/me/passkeys/registration-options'),
  registerPasskey: (response: RegistrationResponseJSON, name: string) =>
    api.post<Passkey>('/api/me/passkeys/registration', { response, name }),
  removePasskey: (id: string) => api.delete(`/api/me/passkeys/${encodeURIComponent(id)}`),

  markets: () => api.get<ListResponse<Market>>('/api/identity/markets'),
  users: (q: string, role: string) =>
    api.get<ListResponse<User> & { total: number }>('/api/identity/users', { q, role }),
  createUser: (input: {
    email: string;
    name: string;
    roles: string[];
    markets: string[];
    language: Language;
    password: string;
  }) => api.post<User>('/api/identity/users', input),
  updateUser: (
    id: string,
    patch: { name?: string; roles?: string[]; markets?: string[]; disabled?: boolean },
  ) => api.patch<User>(`/api/identity/users/${encodeURIComponent(id)}`, patch),

  apiTokens: () => api.get<ListResponse<ApiToken>>('/api/identity/api-tokens'),
  createApiToken: (input: { name: string; scopes: string[]; expiresInDays?: number }) =>
    api.post<{ token: string; item: ApiToken }>('/api/identity/api-tokens', input),
  revokeApiToken: (id: string) => api.delete(`/api/identity/api-tokens/${encodeURIComponent(id)}`),

  audit: (filters: AuditFilters, before: string | undefined) =>
    api.get<ListResponse<AuditEntry> & { nextBefore: string | null }>('/api/identity/audit', {
      ...filters,
      before,
    }),
};
