import { type Static, Type } from 'typebox';
import { type CaseChannel, type CasePriority, caseChannels, casePriorities } from '../cases.tables.js';
import { type BreachAction, breachActions } from './sla.tables.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const Priority = Type.Unsafe<CasePriority>({ type: 'string', enum: [...casePriorities] });
const Channel = Type.Unsafe<CaseChannel>({ type: 'string', enum: [...caseChannels] });
const OnBreach = Type.Unsafe<BreachAction>({ type: 'string', enum: [...breachActions] });
const MarketCode = Type.String({ pattern: '^[A-Z]{2}$' });
/** At most one year of business minutes. */
const Minutes = Type.Integer({ minimum: 1, maximum: 525_600 });
const TimeOfDay = Type.String({ pattern: '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$' });
const Day = Nullable(Type.Tuple([TimeOfDay, TimeOfDay]));

export const BusinessHours = Type.Object(
  { mon: Day, tue: Day, wed: Day, thu: Day, fri: Day, sat: Day, sun: Day },
  {
    additionalProperties: false,
    description: "Opening hours per weekday in the market's time zone; null = closed.",
  },
);

export const SlaPolicy = Type.Object({
  id: Type.String(),
  name: Type.String(),
  market: Type.String(),
  priority: Nullable(Priority),
  channel: Nullable(Channel),
  firstResponseMinutes: Type.Integer(),
  nextResponseMinutes: Type.Integer(),
  resolutionMinutes: Type.Integer(),
  businessHours: BusinessHours,
  observeHolidays: Type.Boolean(),
  onBreach: OnBreach,
  escalationTeamId: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type SlaPolicy = Static<typeof SlaPolicy>;

export const CreateSlaPolicyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    market: MarketCode,
    priority: Type.Optional(Nullable(Priority)),
    channel: Type.Optional(Nullable(Channel)),
    firstResponseMinutes: Minutes,
    nextResponseMinutes: Minutes,
    resolutionMinutes: Minutes,
    businessHours: BusinessHours,
    observeHolidays: Type.Optional(
      Type.Boolean({ description: 'Public holidays are closed days (default true).' }),
    ),
    onBreach: OnBreach,
    escalationTeamId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
  },
  { additionalProperties: false },
);
export type CreateSlaPolicyBody = Static<typeof CreateSlaPolicyBody>;

export const UpdateSlaPolicyBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    priority: Type.Optional(Nullable(Priority)),
    channel: Type.Optional(Nullable(Channel)),
    firstResponseMinutes: Type.Optional(Minutes),
    nextResponseMinutes: Type.Optional(Minutes),
    resolutionMinutes: Type.Optional(Minutes),
    businessHours: Type.Optional(BusinessHours),
    observeHolidays: Type.Optional(Type.Boolean()),
    onBreach: Type.Optional(OnBreach),
    escalationTeamId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
  },
  { additionalProperties: false },
);
export type UpdateSlaPolicyBody = Static<typeof UpdateSlaPolicyBody>;

export const SlaPolicyQuery = Type.Object(
  { market: Type.Optional(MarketCode) },
  { additionalProperties: false },
);
export type SlaPolicyQuery = Static<typeof SlaPolicyQuery>;
