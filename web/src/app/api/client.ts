import i18n from '../i18n';

/** An error answered by the API (`{ error: { code, message, details } }`) or raised while calling it. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export function isApiError(error: unknown, code?: string): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}

export interface ApiClientHooks {
  /** The CSRF token of the current session (from Me), if any. */
  getCsrfToken: () => string | undefined;
  /** Asks the user to verify themselves; resolves true when the session is elevated. */
  requestStepUp: () => Promise<boolean>;
}

const hooks: ApiClientHooks = {
  getCsrfToken: () => undefined,
  requestStepUp: async () => false,
};

export function configureApiClient(next: Partial<ApiClientHooks>): void {
  Object.assign(hooks, next);
}

export type QueryParams = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: QueryParams;
  /** Set to false for calls that are themselves part of the step-up flow. */
  stepUp?: boolean;
  signal?: AbortSignal;
  /** Sees the successful response before its body is read (e.g. for a response header). */
  onResponse?: (response: Response) => void;
}

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function buildUrl(path: string, query?: QueryParams): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': i18n.resolvedLanguage ?? i18n.language ?? 'en',
  };
  // A FormData body (file upload) is sent as multipart; the browser sets its Content-Type.
  const isForm = options.body instanceof FormData;
  if (options.body !== undefined && !isForm) headers['Content-Type'] = 'application/json';
  const csrfToken = hooks.getCsrfToken();
  if (unsafeMethods.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  try {
    return await fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body:
        options.body === undefined
          ? undefined
          : isForm
            ? (options.body as FormData)
            : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'network_error', i18n.t('common:errors.network'));
  }
}

async function toApiError(response: Response): Promise<ApiError> {
  const payload: unknown = await response.json().catch(() => null);
  const error = (payload as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)
    ?.error;
  if (error && typeof error.code === 'string') {
    const message = typeof error.message === 'string' && error.message ? error.message : error.code;
    return new ApiError(response.status, error.code, message, error.details);
  }
  return new ApiError(
    response.status,
    'http_error',
    i18n.t('common:errors.http', { status: response.status }),
  );
}

/**
 * Calls the Pitwall API. Answers 204 as `undefined`. When the server asks for a
 * step-up, the step-up dialog is opened and the call is retried once after success.
 */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  let response = await send(path, options);
  if (!response.ok) {
    let error = await toApiError(response);
    if (error.code !== 'step_up_required' || options.stepUp === false) throw error;
    const elevated = await hooks.requestStepUp();
    if (!elevated) throw new ApiError(403, 'step_up_cancelled', i18n.t('common:errors.stepUpCancelled'));
    response = await send(path, options);
    if (!response.ok) {
      error = await toApiError(response);
      throw error;
    }
  }
  options.onResponse?.(response);
  if (response.status === 204 || response.status === 202) {
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
  return (await response.json()) as T;
}

export const api = {
  get: <T>(path: string, query?: QueryParams, signal?: AbortSignal) =>
    apiRequest<T>(path, { method: 'GET', query, signal }),
  post: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    apiRequest<T>(path, { ...options, method: 'POST', body }),
  patch: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    apiRequest<T>(path, { ...options, method: 'PATCH', body }),
  put: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    apiRequest<T>(path, { ...options, method: 'PUT', body }),
  delete: <T = void>(path: string, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    apiRequest<T>(path, { ...options, method: 'DELETE' }),
};
