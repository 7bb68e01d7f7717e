import { type Static, Type } from 'typebox';
import { VIN_PATTERN } from './customers.vin.js';

const Language = Type.Union([Type.Literal('de'), Type.Literal('en')]);
const MarketCode = Type.String({ pattern: '^[A-Z]{2}$' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const IsoDate = Type.String({ format: 'date' });
const Phone = Type.String({ pattern: '^\\+?[0-9 ()/-]{5,30}$' });

export const CustomerSummary = Type.Object({
  id: Type.String(),
  name: Type.String(),
  email: Nullable(Type.String()),
  market: Type.String(),
  language: Language,
  vehicleCount: Type.Integer(),
});

export const Vehicle = Type.Object({
  id: Type.String(),
  vin: Type.String(),
  model: Type.String(),
  modelYear: Type.Integer(),
  market: Type.String(),
  softwareVersion: Nullable(Type.String()),
  firstRegistration: Nullable(IsoDate),
  ownedSince: IsoDate,
});

export const Customer360 = Type.Object({
  customer: Type.Object({
    id: Type.String(),
    firstName: Type.String(),
    lastName: Type.String(),
    name: Type.String(),
    emails: Type.Array(
      Type.Object({ address: Type.String(), verified: Type.Boolean(), primary: Type.Boolean() }),
    ),
    phones: Type.Array(Type.String()),
    language: Language,
    market: Type.String(),
    consents: Type.Array(
      Type.Object({
        purpose: Type.String(),
        granted: Type.Boolean(),
        changedAt: Type.String({ format: 'date-time' }),
      }),
    ),
    createdAt: Type.String({ format: 'date-time' }),
  }),
  vehicles: Type.Array(Vehicle),
});
export type Customer360 = Static<typeof Customer360>;

export const SearchQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    market: Type.Optional(MarketCode),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 25 }),
    offset: Type.Integer({ minimum: 0, maximum: 10000, default: 0 }),
  },
  { additionalProperties: false },
);
export type SearchQuery = Static<typeof SearchQuery>;

export const consentPurposes = [
  'marketing_email',
  'marketing_phone',
  'service_reminders',
  'vehicle_data',
] as const;
const ConsentPurpose = Type.Unsafe<(typeof consentPurposes)[number]>({
  type: 'string',
  enum: [...consentPurposes],
});

export const CreateCustomerBody = Type.Object(
  {
    firstName: Type.String({ minLength: 1, maxLength: 100 }),
    lastName: Type.String({ minLength: 1, maxLength: 100 }),
    email: Type.String({ format: 'email', maxLength: 320 }),
    phones: Type.Optional(Type.Array(Phone, { maxItems: 5 })),
    language: Language,
    market: MarketCode,
  },
  { additionalProperties: false },
);
export type CreateCustomerBody = Static<typeof CreateCustomerBody>;

export const UpdateCustomerBody = Type.Object(
  {
    firstName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    lastName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    phones: Type.Optional(Type.Array(Phone, { maxItems: 5 })),
    language: Type.Optional(Language),
    consents: Type.Optional(
      Type.Array(
        Type.Object({ purpose: ConsentPurpose, granted: Type.Boolean() }, { additionalProperties: false }),
      ),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateCustomerBody = Static<typeof UpdateCustomerBody>;

export const AddVehicleBody = Type.Object(
  {
    vin: Type.String({ minLength: 1, maxLength: 40 }),
    model: Type.String({ minLength: 1, maxLength: 100 }),
    modelYear: Type.Integer({ minimum: 1990, maximum: 2100 }),
    softwareVersion: Type.Optional(Type.String({ maxLength: 50 })),
    firstRegistration: Type.Optional(IsoDate),
    ownedFrom: Type.Optional(IsoDate),
  },
  { additionalProperties: false },
);
export type AddVehicleBody = Static<typeof AddVehicleBody>;
export { VIN_PATTERN };
