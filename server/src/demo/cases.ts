// Demo cases: teams, SLA policies, macros and a few dozen conversations in German and
// English, spread over the markets and the last days, so the inbox looks like a Monday.
import { sql } from 'kysely';
import { nextCaseNumber } from '../modules/cases/cases.events.js';
import type { Db, Transaction } from '../platform/database.js';
import { emitEvent } from '../platform/events.js';
import { type CaseStory, englishStories, germanStories } from './case-stories.js';
import { demoOwners, demoStaff } from './people.js';
import { DemoRandom } from './random.js';

const office = {
  mon: ['08:00', '18:00'],
  tue: ['08:00', '18:00'],
  wed: ['08:00', '18:00'],
  thu: ['08:00', '18:00'],
  fri: ['08:00', '18:00'],
  sat: null,
  sun: null,
};
const DACH = ['DE', 'AT', 'CH'];
const NORTH = ['NL', 'SE', 'UK'];

const macros = [
  {
    title: 'Ask for a photo',
    body_de:
      'Hallo {{customer.firstName}},\n\ndanke für Ihre Nachricht zu Fall {{case.number}}. Könnten Sie uns ein Foto schicken? Dann können wir Ihren {{vehicle.model}} schneller einschätzen.\n\nViele Grüße\n{{agent.name}}',
    body_en:
      'Hello {{customer.firstName}},\n\nthank you for your message about case {{case.number}}. Could you send us a photo? It helps us assess your {{vehicle.model}} faster.\n\nKind regards\n{{agent.name}}',
    set_status: 'pending_customer' as const,
    add_tags: ['photo-requested'],
  },
  {
    title: 'Restart after software update',
    body_de:
      'Hallo {{customer.firstName}},\n\nbitte verriegeln Sie Ihr Fahrzeug und lassen Sie es 10 Minuten stehen; danach setzt das Update fort. Melden Sie sich, wenn es nicht klappt.\n\n{{agent.name}}',
    body_en:
      'Hello {{customer.firstName}},\n\nplease lock your car and leave it for 10 minutes; the update then resumes. Let us know if it does not.\n\n{{agent.name}}',
    set_status: 'pending_customer' as const,
    add_tags: ['software'],
  },
  {
    title: 'Solved – thank you',
    body_de:
      'Hallo {{customer.name}},\n\nschön, dass alles wieder funktioniert. Wir schließen den Fall {{case.number}}; antworten Sie einfach, falls noch etwas ist.\n\n{{agent.name}}',
    body_en:
      'Hello {{customer.name}},\n\nglad everything works again. We are marking case {{case.number}} as solved; just reply if anything else comes up.\n\n{{agent.name}}',
    set_status: 'solved' as const,
    add_tags: [],
  },
];

interface CaseTarget {
  customerId: string;
  name: string;
  market: string;
  language: 'de' | 'en';
  userId: string | null;
}

async function teamsAndPolicies(trx: Transaction, staffIds: Map<string, string>) {
  const teams = new Map<string, string>();
  for (const [name, markets] of [
    ['DACH Care', DACH],
    ['North Care', NORTH],
  ] as const) {
    const row = await trx
      .insertInto('teams')
      .values({ name, markets: [...markets] })
      .returning('id')
      .executeTakeFirstOrThrow();
    teams.set(name, row.id);
    const members = demoStaff.filter(
      (s) =>
        ['agent', 'order_manager', 'service_advisor'].includes(s.role) &&
        s.markets.some((m) => markets.includes(m as never)),
    );
    for (const member of members) {
      const userId = staffIds.get(member.email);
      if (userId) await trx.insertInto('team_members').values({ team_id: row.id, user_id: userId }).execute();
    }
  }
  for (const market of [...DACH, ...NORTH]) {
    const team = teams.get(DACH.includes(market) ? 'DACH Care' : 'North Care') ?? null;
    await trx
      .insertInto('sla_policies')
      .values([
        {
          name: `${market} standard`,
          market,
          priority: null,
          channel: null,
          first_response_minutes: 240,
          next_response_minutes: 480,
          resolution_minutes: 2400,
          business_hours: JSON.stringify(office),
          on_breach: 'notify',
          escalation_team_id: null,
        },
        {
          name: `${market} urgent`,
          market,
          priority: 'urgent',
          channel: null,
          first_response_minutes: 60,
          next_response_minutes: 120,
          resolution_minutes: 600,
          business_hours: JSON.stringify(office),
          on_breach: 'reassign',
          escalation_team_id: team,
        },
      ])
      .execute();
  }
  await trx.insertInto('macros').values(macros).execute();
  return teams;
}

async function targets(trx: Transaction, random: DemoRandom, perMarket: number): Promise<CaseTarget[]> {
  const rows = await sql<{
    id: string;
    first_name: string;
    last_name: string;
    market: string;
    language: 'de' | 'en';
    user_id: string | null;
  }>`
    SELECT c.id, c.first_name, c.last_name, c.market, c.language, u.id AS user_id
    FROM customers c LEFT JOIN users u ON u.customer_id = c.id ORDER BY c.id`.execute(trx);
  const owners = new Set(demoOwners.map((o) => `${o.firstName} ${o.lastName}`));
  const picked: CaseTarget[] = [];
  for (const market of [...DACH, ...NORTH]) {
    const inMarket = rows.rows.filter((r) => r.market === market);
    const named = inMarket.filter((r) => owners.has(`${r.first_name} ${r.last_name}`));
    const others = inMarket.filter((r) => !owners.has(`${r.first_name} ${r.last_name}`));
    const chosen = [
      ...named,
      ...Array.from({ length: Math.min(perMarket, others.length) }, () => random.pick(others)),
    ];
    for (const r of chosen)
      picked.push({
        customerId: r.id,
        name: `${r.first_name} ${r.last_name}`,
        market: r.market,
        language: r.language,
        userId: r.user_id,
      });
  }
  return picked;
}

async function writeCase(
  trx: Transaction,
  story: CaseStory,
  target: CaseTarget,
  agent: { id: string; name: string } | null,
  teamId: string | null,
  ageHours: number,
) {
  const opened = new Date(Date.now() - ageHours * 3600_000);
  const at = (hours: number) => new Date(opened.getTime() + hours * 3600_000);
  const vehicle = await trx
    .selectFrom('vehicle_ownerships')
    .select('vehicle_id')
    .where('customer_id', '=', target.customerId)
    .where('owned_until', 'is', null)
    .executeTakeFirst();
  const assigned = story.status !== 'new' ? agent : null;
  const row = await trx
    .insertInto('cases')
    .values({
      number: await nextCaseNumber(trx, opened),
      subject: story.subject,
      status: story.status,
      priority: story.priority ?? 'normal',
      channel: story.call ? 'phone' : target.userId ? 'portal' : 'email',
      customer_id: target.customerId,
      vehicle_id: vehicle?.vehicle_id ?? null,
      market: target.market,
      team_id: teamId,
      assignee_id: assigned?.id ?? null,
      tags: [`topic:${story.topic}`],
      language: target.language,
      created_at: opened,
      updated_at: at(story.followUp ? 3 : 1),
      last_customer_message_at: opened,
      first_response_at: story.reply ? at(1) : null,
      solved_at: ['solved', 'closed'].includes(story.status) ? at(2) : null,
      closed_at: story.status === 'closed' ? at(2.5) : null,
    } as never)
    .returning(['id', 'number'])
    .executeTakeFirstOrThrow();
  const messages: Array<Record<string, unknown>> = [
    {
      kind: 'reply',
      internal: false,
      author_kind: 'customer',
      author_id: target.userId,
      author_name: target.name,
      channel: target.userId ? 'portal' : 'email',
      body_text: story.customer,
      created_at: opened,
    },
  ];
  if (story.call && assigned)
    messages.push({
      kind: 'phone_call',
      internal: true,
      author_kind: 'staff',
      author_id: assigned.id,
      author_name: assigned.name,
      channel: 'phone',
      body_text: story.call.notes,
      call: JSON.stringify({
        direction: story.call.direction,
        durationSeconds: story.call.durationSeconds,
        outcome: story.call.outcome,
      }),
      created_at: at(0.5),
    });
  if (story.note && assigned)
    messages.push({
      kind: 'note',
      internal: true,
      author_kind: 'staff',
      author_id: assigned.id,
      author_name: assigned.name,
      channel: 'email',
      body_text: story.note,
      created_at: at(0.8),
    });
  if (story.reply && assigned)
    messages.push({
      kind: 'reply',
      internal: false,
      author_kind: 'staff',
      author_id: assigned.id,
      author_name: assigned.name,
      channel: 'email',
      body_text: story.reply,
      created_at: at(1),
    });
  if (story.followUp)
    messages.push({
      kind: 'reply',
      internal: false,
      author_kind: 'customer',
      author_id: target.userId,
      author_name: target.name,
      channel: 'email',
      body_text: story.followUp,
      created_at: at(3),
    });
  await trx
    .insertInto('case_messages')
    .values(messages.map((m) => ({ ...m, case_id: row.id })) as never)
    .execute();
  // Open cases start their SLA clocks through the same event the app emits.
  if (!['solved', 'closed'].includes(story.status)) {
    await emitEvent(
      trx,
      { actorId: null, requestId: null },
      {
        type: 'case.created',
        entityType: 'case',
        entityId: row.id,
        payload: { number: row.number, market: target.market, demo: true },
      },
    );
  }
}

/** Writes the demo cases once (after the customers exist). Returns how many. */
export async function seedDemoCases(db: Db, options: { seed: number; perMarket?: number }): Promise<number> {
  const random = DemoRandom.stream(options.seed, 'cases');
  return db.transaction().execute(async (trx) => {
    const staff = await trx
      .selectFrom('users')
      .select(['id', 'email', 'name'])
      .where('kind', '=', 'staff')
      .execute();
    const staffIds = new Map(staff.map((s) => [s.email, s.id]));
    const teams = await teamsAndPolicies(trx, staffIds);
    const agentsFor = (market: string) =>
      demoStaff
        .filter(
          (s) =>
            ['agent', 'order_manager', 'service_advisor'].includes(s.role) &&
            s.markets.includes(market as never),
        )
        .flatMap((s) =>
          staffIds.has(s.email) ? [{ id: staffIds.get(s.email) as string, name: s.name }] : [],
        );
    let count = 0;
    for (const target of await targets(trx, random, options.perMarket ?? 6)) {
      const stories = target.language === 'de' ? germanStories : englishStories;
      const agents = agentsFor(target.market);
      const teamId = teams.get(DACH.includes(target.market) ? 'DACH Care' : 'North Care') ?? null;
      await writeCase(
        trx,
        random.pick(stories),
        target,
        agents.length > 0 ? random.pick(agents) : null,
        teamId,
        random.int(1, 120),
      );
      count++;
    }
    return count;
  });
}
