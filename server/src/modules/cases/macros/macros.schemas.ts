import { type Static, Type } from 'typebox';

// The statuses a macro may set (the table's CHECK): never back to new, never closed.
export const macroStatuses = ['open', 'pending_customer', 'pending_third_party', 'solved'] as const;
export type MacroStatus = (typeof macroStatuses)[number];
const MacroStatusSchema = Type.Unsafe<MacroStatus>({ type: 'string', enum: [...macroStatuses] });

const Title = Type.String({ minLength: 1, maxLength: 120 });
const MacroBody = Type.String({ minLength: 1, maxLength: 20000 });
const Tag = Type.String({ minLength: 1, maxLength: 50, pattern: '^[\\p{L}\\p{N}:_.-]+$' });
const Tags = Type.Array(Tag, { maxItems: 20, uniqueItems: true });
const NullableStatus = Type.Union([MacroStatusSchema, Type.Null()]);

export const Macro = Type.Object({
  id: Type.String(),
  title: Type.String(),
  bodyDe: Type.String(),
  bodyEn: Type.String(),
  setStatus: NullableStatus,
  addTags: Type.Array(Type.String()),
});
export type Macro = Static<typeof Macro>;

export const CreateMacroBody = Type.Object(
  {
    title: Title,
    bodyDe: MacroBody,
    bodyEn: MacroBody,
    setStatus: Type.Optional(NullableStatus),
    addTags: Type.Optional(Tags),
  },
  { additionalProperties: false },
);
export type CreateMacroInput = Static<typeof CreateMacroBody>;

export const UpdateMacroBody = Type.Object(
  {
    title: Type.Optional(Title),
    bodyDe: Type.Optional(MacroBody),
    bodyEn: Type.Optional(MacroBody),
    setStatus: Type.Optional(NullableStatus),
    addTags: Type.Optional(Tags),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateMacroInput = Static<typeof UpdateMacroBody>;

export const MacroParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const CaseMacroParams = Type.Object({
  ref: Type.String({ minLength: 1, maxLength: 40 }),
  macroId: Type.String({ format: 'uuid' }),
});
export const RenderedMacro = Type.Object({ body: Type.String() });
