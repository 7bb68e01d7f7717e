// Macros: canned replies in German and English that agents render into a case (in the
// case's language) or apply in one step (reply + status + tags). Admins manage them.
import { sql } from 'kysely';
import type { Db, Executor } from '../../../platform/database.js';
import { errors } from '../../../platform/errors.js';
import { customerContacts, vehicleBriefs } from '../../customers/index.js';
import { type Principal, type RequestContext, recordAudit } from '../../identity/index.js';
import { findVisibleCase } from '../cases.access.js';
import { addMessage } from '../cases.messages.js';
import type { MessageView } from '../cases.schemas.js';
import { updateCase } from '../cases.service.js';
import type { MacrosTable } from '../cases.tables.js';
import { type MacroFacts, renderMacro, unknownPlaceholders } from './macros.render.js';
import type { CreateMacroInput, Macro, MacroStatus, UpdateMacroInput } from './macros.schemas.js';

type MacroRow = {
  id: string;
  title: string;
  body_de: string;
  body_en: string;
  set_status: MacrosTable['set_status'];
  add_tags: string[];
};

function toMacro(row: MacroRow): Macro {
  return {
    id: row.id,
    title: row.title,
    bodyDe: row.body_de,
    bodyEn: row.body_en,
    setStatus: row.set_status as MacroStatus | null,
    addTags: row.add_tags,
  };
}

const columns = ['id', 'title', 'body_de', 'body_en', 'set_status', 'add_tags'] as const;

function assertPlaceholdersKnown(...templates: (string | undefined)[]): void {
  const unknown = [
    ...new Set(templates.flatMap((template) => (template ? unknownPlaceholders(template) : []))),
  ];
  if (unknown.length > 0)
    throw errors.invalid('macro_placeholder_unknown', {
      placeholders: unknown.map((p) => `{{${p}}}`).join(', '),
    });
}

export async function listMacros(db: Executor): Promise<Macro[]> {
  const rows = await db.selectFrom('macros').select(columns).orderBy('title').orderBy('id').execute();
  return rows.map(toMacro);
}

async function loadMacro(db: Executor, id: string, forUpdate = false): Promise<MacroRow> {
  let query = db.selectFrom('macros').select(columns).where('id', '=', id);
  if (forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw errors.notFound('macro');
  return row;
}

function createdBy(context: RequestContext): string | null {
  const principal = context.principal;
  return principal?.kind === 'staff' ? principal.userId : null;
}

export async function createMacro(db: Db, context: RequestContext, input: CreateMacroInput): Promise<Macro> {
  assertPlaceholdersKnown(input.bodyDe, input.bodyEn);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('macros')
      .values({
        title: input.title,
        body_de: input.bodyDe,
        body_en: input.bodyEn,
        set_status: input.setStatus ?? null,
        add_tags: input.addTags ?? [],
        created_by: createdBy(context),
      })
      .returning(columns)
      .executeTakeFirstOrThrow();
    const macro = toMacro(row);
    await recordAudit(trx, context, {
      action: 'macro.created',
      entityType: 'macro',
      entityId: row.id,
      after: macro,
    });
    return macro;
  });
}

export async function updateMacro(
  db: Db,
  context: RequestContext,
  id: string,
  input: UpdateMacroInput,
): Promise<Macro> {
  assertPlaceholdersKnown(input.bodyDe, input.bodyEn);
  return db.transaction().execute(async (trx) => {
    const before = toMacro(await loadMacro(trx, id, true));
    const row = await trx
      .updateTable('macros')
      .set({
        ...(input.title !== undefined && { title: input.title }),
        ...(input.bodyDe !== undefined && { body_de: input.bodyDe }),
        ...(input.bodyEn !== undefined && { body_en: input.bodyEn }),
        ...(input.setStatus !== undefined && { set_status: input.setStatus }),
        ...(input.addTags !== undefined && { add_tags: input.addTags }),
        updated_at: sql`now()`,
      })
      .where('id', '=', id)
      .returning(columns)
      .executeTakeFirstOrThrow();
    const after = toMacro(row);
    await recordAudit(trx, context, {
      action: 'macro.updated',
      entityType: 'macro',
      entityId: id,
      before,
      after,
    });
    return after;
  });
}

export async function deleteMacro(db: Db, context: RequestContext, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = toMacro(await loadMacro(trx, id, true));
    await trx.deleteFrom('macros').where('id', '=', id).execute();
    await recordAudit(trx, context, { action: 'macro.deleted', entityType: 'macro', entityId: id, before });
  });
}

/** The macro's text for this case: in the case's language, placeholders filled. */
export async function renderMacroForCase(
  db: Executor,
  principal: Principal,
  ref: string,
  macroId: string,
): Promise<{ body: string; macro: MacroRow }> {
  const row = await findVisibleCase(db, principal, ref);
  const macro = await loadMacro(db, macroId);
  const [customers, vehicles] = await Promise.all([
    customerContacts(db, [row.customer_id]),
    vehicleBriefs(db, row.vehicle_id ? [row.vehicle_id] : []),
  ]);
  const customer = customers.get(row.customer_id);
  const vehicle = row.vehicle_id ? vehicles.get(row.vehicle_id) : undefined;
  const facts: MacroFacts = {
    customer: { firstName: customer?.firstName ?? '', name: customer?.name ?? '' },
    case: { number: row.number },
    vehicle: vehicle ? { model: vehicle.model, vin: vehicle.vin } : null,
    agent: { name: principal.name },
  };
  const template = row.language === 'de' ? macro.body_de : macro.body_en;
  return { body: renderMacro(template, facts), macro };
}

/** Posts the rendered macro as a reply (setting its status), then adds its tags. */
export async function applyMacro(
  db: Db,
  context: RequestContext,
  ref: string,
  macroId: string,
): Promise<{ message: MessageView; followUpCaseNumber: string | null }> {
  const principal = context.principal;
  if (!principal) throw errors.unauthenticated();
  const { body, macro } = await renderMacroForCase(db, principal, ref, macroId);
  const result = await addMessage(db, context, ref, {
    kind: 'reply',
    body,
    ...(macro.set_status ? { status: macro.set_status } : {}),
  });
  if (macro.add_tags.length > 0) {
    const row = await findVisibleCase(db, principal, ref);
    const tags = [...new Set([...row.tags, ...macro.add_tags])];
    if (tags.length !== row.tags.length) await updateCase(db, context, row.id, { tags });
  }
  return result;
}
