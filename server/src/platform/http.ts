// Request validation and the one error shape: `{ error: { code, message, details } }`,
// with the message in the caller's language.
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsImport from 'ajv-formats';
import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifySchemaCompiler,
} from 'fastify';
import { type Static, Type } from 'typebox';
import { AppError } from './errors.js';
import { type Language, translator } from './i18n.js';

const addFormats = addFormatsImport as unknown as (ajv: Ajv) => Ajv;

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { $id: 'ErrorBody', description: 'Every failure has this shape.' },
);
export type ErrorBody = Static<typeof ErrorBody>;

/** Response schemas for the error statuses a route can answer with. */
export function errorResponses(...statuses: number[]): Record<number, typeof ErrorBody> {
  return Object.fromEntries(statuses.map((status) => [status, ErrorBody]));
}

function makeAjv(coerceTypes: boolean | 'array'): Ajv {
  // Unknown fields are rejected (not silently removed) and bodies are never coerced:
  // `"age": "12"` is a wrong type. Query strings and params are text, so they are coerced.
  const ajv = new Ajv({
    allErrors: true,
    useDefaults: true,
    removeAdditional: false,
    coerceTypes,
    strict: false,
  });
  addFormats(ajv);
  return ajv;
}

const strictAjv = makeAjv(false);
const coercingAjv = makeAjv('array');

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? strictAjv : coercingAjv;
  return ajv.compile(schema as object) as ReturnType<FastifySchemaCompiler<unknown>>;
};

function fieldOf(error: ErrorObject, context: string | undefined): string {
  const path = error.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const params = error.params as Record<string, unknown>;
  const leaf = (params.missingProperty ?? params.additionalProperty) as string | undefined;
  const parts = [path, leaf].filter((p) => p && p.length > 0);
  return parts.length > 0 ? parts.join('.') : (context ?? 'body');
}

function describe(error: ErrorObject, context: string | undefined, language: Language): string {
  const t = translator(language);
  const field = fieldOf(error, context);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return t('validation.required', { field });
    case 'additionalProperties':
      return t('validation.additional', { field });
    case 'type':
      return t('validation.type', { field, type: params.type });
    case 'format':
      return t('validation.format', { field, format: params.format });
    case 'enum':
      return t('validation.enum', { field, values: (params.allowedValues as unknown[]).join(', ') });
    case 'const':
      return t('validation.enum', { field, values: String(params.allowedValue) });
    case 'minLength':
    case 'maxLength':
    case 'minimum':
    case 'maximum':
      return t(`validation.${error.keyword}`, { field, limit: params.limit });
    case 'pattern':
      return t('validation.pattern', { field });
    default:
      return t('validation.other', { field });
  }
}

export function sendError(
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
  details?: unknown,
): FastifyReply {
  const body: ErrorBody = { error: { code, message, ...(details === undefined ? {} : { details }) } };
  return reply.status(status).type('application/json').send(body);
}

function languageOf(request: FastifyRequest): Language {
  return (request as { language?: Language }).language ?? 'en';
}

export function installErrorHandling(app: FastifyInstance, bodyLimit: number): void {
  app.setValidatorCompiler(validatorCompiler);
  app.setSchemaErrorFormatter((errors, dataVar) => {
    const error = new Error(dataVar) as Error & { validation: unknown; validationContext: string };
    error.validation = errors;
    error.validationContext = dataVar;
    return error;
  });

  app.setErrorHandler((error: FastifyError & { validationContext?: string }, request, reply) => {
    const language = languageOf(request);
    const t = translator(language);
    if (error instanceof AppError) {
      if (error.status === 429 && typeof error.params.seconds === 'number') {
        reply.header('retry-after', String(error.params.seconds));
      }
      const entity =
        typeof error.params.entity === 'string'
          ? t(`entities.${error.params.entity}`, { defaultValue: error.params.entity })
          : undefined;
      return sendError(
        reply,
        error.status,
        error.code,
        t(`errors.${error.code}`, { ...error.params, entity }),
        error.details,
      );
    }
    if (error.validation) {
      const problems = (error.validation as ErrorObject[]).map((e) => ({
        field: fieldOf(e, error.validationContext),
        message: describe(e, error.validationContext, language),
      }));
      const summary = problems.map((p) => p.message).join('; ');
      return sendError(reply, 400, 'validation_failed', t('errors.validation_failed', { summary }), problems);
    }
    switch (error.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendError(
          reply,
          413,
          'payload_too_large',
          t('errors.payload_too_large', { limit: bodyLimit }),
        );
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return sendError(
          reply,
          415,
          'unsupported_media_type',
          t('errors.unsupported_media_type', { type: request.headers['content-type'] ?? '-' }),
        );
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return sendError(reply, 400, 'invalid_json', t('errors.invalid_json', { reason: error.message }));
    }
    if (error instanceof SyntaxError || (error.statusCode === 400 && error.code?.startsWith('FST_ERR_CTP'))) {
      return sendError(reply, 400, 'invalid_json', t('errors.invalid_json', { reason: error.message }));
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendError(reply, error.statusCode, 'bad_request', error.message);
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendError(reply, 500, 'internal_error', t('errors.internal_error', { requestId: request.id }));
  });

  app.setNotFoundHandler((request, reply) => {
    const t = translator(languageOf(request));
    return sendError(
      reply,
      404,
      'route_not_found',
      t('errors.route_not_found', { method: request.method, url: request.url.split('?')[0] }),
    );
  });
}
