import { type Static, Type } from 'typebox';
import { CaseStatusSchema, CaseSummary } from '../cases.schemas.js';

export const MAX_QUERY_LENGTH = 500;

export const CaseSearchQuery = Type.Object(
  {
    q: Type.String({
      minLength: 1,
      maxLength: MAX_QUERY_LENGTH,
      description:
        'Words (German and English stemming), "a phrase", -excluded, OR; or a case number, VIN or customer email',
    }),
    status: Type.Optional(Type.Array(CaseStatusSchema, { maxItems: 6, description: 'May repeat' })),
    market: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
    assigneeId: Type.Optional(Type.String({ format: 'uuid' })),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Cases created at or after' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Cases created before' })),
    model: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Vehicle model' })),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 25 }),
    offset: Type.Integer({ minimum: 0, maximum: 900, default: 0 }),
  },
  { additionalProperties: false },
);
export type CaseSearchQuery = Static<typeof CaseSearchQuery>;

export const CaseSearchHit = Type.Object({
  case: CaseSummary,
  /** 1 for a case number, VIN or email hit; otherwise ts_rank_cd scaled into [0, 1). */
  rank: Type.Number(),
  /** HTML: the matched words in <mark>, everything else escaped. */
  snippet: Type.String(),
});

export const CaseSearchResult = Type.Object({
  items: Type.Array(CaseSearchHit),
  total: Type.Integer(),
  truncated: Type.Boolean({
    description:
      'More messages matched than search ranks (the newest ones are ranked); `total` counts the ranked ones',
  }),
});
export type CaseSearchResult = Static<typeof CaseSearchResult>;
