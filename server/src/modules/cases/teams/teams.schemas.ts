import { type Static, Type } from 'typebox';

const Uuid = Type.String({ format: 'uuid' });
const MarketCode = Type.String({ pattern: '^[A-Z]{2}$' });
/** A team serves at least one market: its members are the staff who cover one of them. */
const Markets = Type.Array(MarketCode, { minItems: 1, maxItems: 50, uniqueItems: true });
const TeamName = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });

export const TeamMember = Type.Object({
  id: Type.String(),
  name: Type.String(),
  email: Type.String(),
  markets: Type.Array(Type.String()),
});

export const TeamDetail = Type.Object({
  id: Type.String(),
  name: Type.String(),
  markets: Type.Array(Type.String()),
  members: Type.Array(TeamMember),
  createdAt: Type.String({ format: 'date-time' }),
});
export type TeamDetail = Static<typeof TeamDetail>;

export const CreateTeamBody = Type.Object(
  { name: TeamName, markets: Markets },
  { additionalProperties: false },
);
export type CreateTeamInput = Static<typeof CreateTeamBody>;

export const UpdateTeamBody = Type.Object(
  { name: Type.Optional(TeamName), markets: Type.Optional(Markets) },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateTeamInput = Static<typeof UpdateTeamBody>;

export const TeamMembersBody = Type.Object(
  { userIds: Type.Array(Uuid, { maxItems: 500, uniqueItems: true }) },
  { additionalProperties: false },
);

export const TeamParams = Type.Object({ id: Uuid });
