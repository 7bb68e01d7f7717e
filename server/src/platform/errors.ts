// Every failure the API reports is an AppError with a stable code and a translation
// key; the error handler turns it into `{ error: { code, message, details } }`.

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly params: Record<string, unknown> = {},
    readonly details?: unknown,
  ) {
    super(code);
    this.name = 'AppError';
  }
}

export const errors = {
  unauthenticated: () => new AppError(401, 'unauthenticated'),
  /** Not found and not allowed look the same, so ids cannot be probed. */
  notFound: (entity: string) => new AppError(404, 'not_found', { entity }),
  forbidden: () => new AppError(403, 'forbidden'),
  csrf: () => new AppError(403, 'csrf_token_invalid'),
  stepUpRequired: () => new AppError(403, 'step_up_required'),
  invalidCredentials: () => new AppError(401, 'invalid_credentials'),
  accountLocked: (until: Date) => new AppError(423, 'account_locked', { until: until.toISOString() }),
  tooManyAttempts: (retryAfterSeconds: number) =>
    new AppError(429, 'too_many_attempts', { seconds: retryAfterSeconds }, { retryAfterSeconds }),
  conflict: (code: string, params: Record<string, unknown> = {}) => new AppError(409, code, params),
  invalid: (code: string, params: Record<string, unknown> = {}, details?: unknown) =>
    new AppError(422, code, params, details),
};
