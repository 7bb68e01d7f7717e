// Generates customers with their emails, consents, vehicles and ownerships, chunk by
// chunk, from one seeded stream. Nothing here touches the database, so the next chunk
// can be generated while the previous one is being written.
import type { Insertable } from 'kysely';
import type {
  CustomerConsentsTable,
  CustomerEmailsTable,
  CustomersTable,
  VehicleOwnershipsTable,
  VehiclesTable,
} from '../modules/customers/customers.tables.js';
import type { NewUser } from '../modules/identity/identity.tables.js';
import {
  buildVin,
  DEMO_TODAY,
  type DemoMarketInfo,
  type DemoModel,
  demoMarkets,
  demoModels,
  MODEL_YEARS,
  SOFTWARE_RELEASES,
} from './brand.js';
import { asciiName, type DemoMarket, firstNamesOf, fullLastName, lastNamesOf } from './names.js';
import { type DemoOwner, demoOwners } from './people.js';
import { addDays, DemoRandom, daysBetween } from './random.js';

export interface DemoChunk {
  customers: (Insertable<CustomersTable> & { id: string })[];
  emails: Insertable<CustomerEmailsTable>[];
  consents: Insertable<CustomerConsentsTable>[];
  vehicles: (Insertable<VehiclesTable> & { id: string; vin: string })[];
  ownerships: Insertable<VehicleOwnershipsTable>[];
  portalAccounts: NewUser[];
}

const CONSENTS: readonly (readonly [string, number])[] = [
  ['marketing_email', 0.45],
  ['marketing_phone', 0.15],
  ['service_reminders', 0.85],
  ['vehicle_data', 0.7],
];
const CONSENT_SOURCES: readonly (readonly [string, number])[] = [
  ['order', 50],
  ['portal', 30],
  ['agent', 15],
  ['service_centre', 5],
];
/** 0–3 vehicles per customer, 1.5 on average (prospective buyers own none yet). */
const VEHICLE_COUNTS: readonly (readonly [number, number])[] = [
  [0, 5],
  [1, 50],
  [2, 35],
  [3, 10],
];
const MODEL_YEAR_SHARES = MODEL_YEARS.map((year, i) => [year, [15, 25, 30, 30][i] ?? 1] as const);
const USED_VEHICLE_SHARE = 0.12;
const PHONE_COUNTS: readonly (readonly [number, number])[] = [
  [0, 20],
  [1, 70],
  [2, 10],
];
const MARKET_SHARES = demoMarkets.map((market) => [market, market.weight] as const);
const MODEL_SHARES = demoModels.map((model) => [model, model.weight] as const);
/** Most cars take every over-the-air release, a few lag behind; none runs software
 * released before its model year began. */
const SOFTWARE_SHARES = new Map(
  MODEL_YEARS.map((year) => {
    const newestFirst = SOFTWARE_RELEASES.filter(
      (release) => Number(release.slice(0, 4)) >= year - 1,
    ).reverse();
    return [year, newestFirst.map((release, i) => [release, i === 0 ? 60 : 40 / 2 ** i] as const)] as const;
  }),
);
const MAIL_PROVIDERS = [
  'mail.example',
  'post.example',
  'inbox.example',
  'webmail.example',
  'postbox.example',
];
const RECENT_OWNERS_KEPT = 200;

export class DemoCustomerGenerator {
  private readonly random: DemoRandom;
  private readonly serials = new Map<number, number>();
  /** Earlier customers per market, candidates for a used car's previous owner. */
  private readonly recent = new Map<DemoMarket, string[]>();
  private index = 0;

  constructor(
    seed: number,
    private readonly passwordHash: string,
  ) {
    this.random = DemoRandom.stream(seed, 'customers');
  }

  /** The next `count` customers (the named demo owners come first). */
  nextChunk(count: number): DemoChunk {
    const chunk: DemoChunk = {
      customers: [],
      emails: [],
      consents: [],
      vehicles: [],
      ownerships: [],
      portalAccounts: [],
    };
    for (let i = 0; i < count; i++) this.addCustomer(chunk, demoOwners[this.index]);
    return chunk;
  }

  private addCustomer(chunk: DemoChunk, owner: DemoOwner | undefined): void {
    const r = this.random;
    const market = owner ? marketInfo(owner.market) : r.weighted(MARKET_SHARES);
    const id = r.uuid();
    const first = owner?.firstName ?? r.pick(firstNamesOf(market.code));
    const lastBase = r.pick(lastNamesOf(market.code));
    const last = owner?.lastName ?? fullLastName(market.code, lastBase);
    const phoneCount = r.weighted(PHONE_COUNTS);
    const digits = (n: number) => String(r.int(0, 10 ** n - 1)).padStart(n, '0');
    const phones = Array.from({ length: phoneCount }, () => market.phone(digits));
    chunk.customers.push({
      id,
      first_name: first,
      last_name: last,
      language: market.language,
      market: market.code,
      phones,
    });

    const primary = this.addEmails(chunk, id, first, lastBase, market.code, owner);
    for (const [purpose, share] of CONSENTS) {
      chunk.consents.push({
        customer_id: id,
        purpose,
        granted: r.chance(share),
        source: r.weighted(CONSENT_SOURCES),
        changed_at: r.officeHours('2023-01-10', DEMO_TODAY),
      });
    }
    const vehicleCount = owner?.vehicles ?? r.weighted(VEHICLE_COUNTS);
    for (let v = 0; v < vehicleCount; v++) {
      const used = owner ? owner.usedVehicle && v === vehicleCount - 1 : r.chance(USED_VEHICLE_SHARE);
      this.addVehicle(chunk, id, market, used);
    }
    if (owner) {
      chunk.portalAccounts.push({
        id: r.uuid(),
        kind: 'customer',
        email: primary,
        name: `${first} ${last}`,
        password_hash: this.passwordHash,
        customer_id: id,
        language: market.language,
      });
    }
    this.remember(market.code, id);
    this.index++;
  }

  /** A verified primary address, for a quarter of the customers a work address too. */
  private addEmails(
    chunk: DemoChunk,
    customerId: string,
    first: string,
    last: string,
    market: DemoMarket,
    owner: DemoOwner | undefined,
  ): string {
    const r = this.random;
    const primary = owner?.email ?? this.emailAddress(first, last, market);
    const emails: DemoChunk['emails'] = [
      { id: r.uuid(), customer_id: customerId, address: primary, verified: true, is_primary: true },
    ];
    if (r.chance(0.25)) {
      const address = `${asciiName(first, market)[0]}.${asciiName(last, market)}@work${r.int(1, 400)}.example`;
      emails.push({
        id: r.uuid(),
        customer_id: customerId,
        address,
        verified: r.chance(0.5),
        is_primary: false,
      });
    }
    // Stored in address order: the search-text trigger joins the addresses in whatever
    // order PostgreSQL reads them (heap or index), and this way both orders agree.
    emails.sort((a, b) => (a.address < b.address ? -1 : 1));
    chunk.emails.push(...emails);
    return primary;
  }

  private emailAddress(first: string, last: string, market: DemoMarket): string {
    const f = asciiName(first, market);
    const l = asciiName(last, market);
    const style = this.random.int(0, 3);
    const local =
      style === 0 ? `${f}.${l}` : style === 1 ? `${f[0]}.${l}` : style === 2 ? `${f}${l}` : `${l}.${f}`;
    // The customer's number keeps every address unique however common the name.
    return `${local}${this.index + 1}@${this.random.pick(MAIL_PROVIDERS)}`;
  }

  private addVehicle(chunk: DemoChunk, customerId: string, market: DemoMarketInfo, used: boolean): void {
    const r = this.random;
    const model: DemoModel = r.weighted(MODEL_SHARES);
    // A used car has been on the road for a while: an older model year.
    const modelYear = r.weighted(used ? MODEL_YEAR_SHARES.slice(0, -1) : MODEL_YEAR_SHARES);
    const serial = (this.serials.get(modelYear) ?? 10_000) + 1;
    this.serials.set(modelYear, serial);
    const id = r.uuid();
    const vin = buildVin(model, r.weighted(model.drives), modelYear, serial);
    const latestRegistration = addDays(DEMO_TODAY, -10);
    const lastDay = `${modelYear}-12-31` < latestRegistration ? `${modelYear}-12-31` : latestRegistration;
    const registered = r.date(`${modelYear - 1}-09-01`, lastDay);
    chunk.vehicles.push({
      id,
      vin,
      model: model.name,
      model_year: modelYear,
      market: market.code,
      software_version: r.weighted(SOFTWARE_SHARES.get(modelYear) ?? [['2026.44.1', 1]]),
      first_registration: registered,
    });
    let ownedFrom = registered;
    const previousOwner = used ? this.previousOwner(market.code) : undefined;
    const daysOnRoad = daysBetween(registered, DEMO_TODAY);
    if (previousOwner && daysOnRoad > 120) {
      ownedFrom = addDays(registered, r.int(60, daysOnRoad - 30));
      chunk.ownerships.push({
        id: r.uuid(),
        vehicle_id: id,
        customer_id: previousOwner,
        owned_from: registered,
        owned_until: ownedFrom,
      });
    }
    chunk.ownerships.push({
      id: r.uuid(),
      vehicle_id: id,
      customer_id: customerId,
      owned_from: ownedFrom,
      owned_until: null,
    });
  }

  /** An earlier customer of the same market (of any market for the very first ones). */
  private previousOwner(market: DemoMarket): string | undefined {
    const candidates = this.recent.get(market) ?? [...this.recent.values()].flat();
    return candidates.length > 0 ? this.random.pick(candidates) : undefined;
  }

  private remember(market: DemoMarket, customerId: string): void {
    const list = this.recent.get(market) ?? [];
    if (list.length >= RECENT_OWNERS_KEPT) list[this.index % RECENT_OWNERS_KEPT] = customerId;
    else list.push(customerId);
    this.recent.set(market, list);
  }
}

function marketInfo(code: DemoMarket): DemoMarketInfo {
  const market = demoMarkets.find((m) => m.code === code);
  if (!market) throw new Error(`unknown demo market ${code}`);
  return market;
}
