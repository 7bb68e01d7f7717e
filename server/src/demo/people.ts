// The people one can sign in as: Nordlys Motors' staff (every role, with market scopes
// as a real care organisation would set them) and a few named owners with portal accounts.
import type { StaffRole } from '../modules/identity/index.js';
import { BRAND } from './brand.js';
import type { DemoMarket } from './names.js';

export const DEMO_PASSWORD = 'pitwall-demo-2026';

const ALL_MARKETS: readonly DemoMarket[] = ['DE', 'AT', 'CH', 'NL', 'SE', 'UK'];
const DACH: readonly DemoMarket[] = ['DE', 'AT', 'CH'];
const NORTH: readonly DemoMarket[] = ['NL', 'SE', 'UK'];

export interface DemoStaffMember {
  role: StaffRole;
  email: string;
  name: string;
  markets: readonly DemoMarket[];
  language: 'de' | 'en';
}

const staffEmail = (local: string) => `${local}@${BRAND.domain}`;

/** The first member of each role is the one listed in the demo logins. */
export const demoStaff: readonly DemoStaffMember[] = [
  {
    role: 'admin',
    email: staffEmail('admin'),
    name: 'Astrid Lindqvist',
    markets: ALL_MARKETS,
    language: 'en',
  },
  { role: 'agent', email: staffEmail('agent.dach'), name: 'Jonas Becker', markets: DACH, language: 'de' },
  { role: 'agent', email: staffEmail('agent.north'), name: 'Emma de Vries', markets: NORTH, language: 'en' },
  {
    role: 'order_manager',
    email: staffEmail('orders'),
    name: 'Katharina Weber',
    markets: DACH,
    language: 'de',
  },
  {
    role: 'order_manager',
    email: staffEmail('orders.north'),
    name: 'Pieter Bakker',
    markets: NORTH,
    language: 'en',
  },
  {
    role: 'service_advisor',
    email: staffEmail('service'),
    name: 'Stefan Huber',
    markets: ['DE', 'AT'],
    language: 'de',
  },
  {
    role: 'community_manager',
    email: staffEmail('community'),
    name: 'Freya Thompson',
    markets: ALL_MARKETS,
    language: 'en',
  },
  {
    role: 'quality',
    email: staffEmail('quality'),
    name: 'Nils Eriksson',
    markets: ALL_MARKETS,
    language: 'en',
  },
  {
    role: 'executive',
    email: staffEmail('executive'),
    name: 'Ingrid Solberg',
    markets: ALL_MARKETS,
    language: 'en',
  },
];

export interface DemoOwner {
  firstName: string;
  lastName: string;
  market: DemoMarket;
  email: string;
  /** Vehicles owned today; the last one was bought used when `usedVehicle` is set. */
  vehicles: number;
  usedVehicle: boolean;
  /** Listed among the demo logins printed at start. */
  listed: boolean;
}

const ownerEmail = (local: string) => `${local}@owners.${BRAND.domain}`;

/** The first customers of every demo database, each with a portal account. Lena comes last:
 * her used car's previous owner is one of the customers before her. */
export const demoOwners: readonly DemoOwner[] = [
  {
    firstName: 'Oliver',
    lastName: 'Bennett',
    market: 'UK',
    email: ownerEmail('oliver.bennett'),
    vehicles: 1,
    usedVehicle: false,
    listed: true,
  },
  {
    firstName: 'Jakob',
    lastName: 'Gruber',
    market: 'AT',
    email: ownerEmail('jakob.gruber'),
    vehicles: 1,
    usedVehicle: false,
    listed: false,
  },
  {
    firstName: 'Sanne',
    lastName: 'de Vries',
    market: 'NL',
    email: ownerEmail('sanne.devries'),
    vehicles: 2,
    usedVehicle: false,
    listed: false,
  },
  {
    firstName: 'Lena',
    lastName: 'Vogel',
    market: 'DE',
    email: ownerEmail('lena.vogel'),
    vehicles: 2,
    usedVehicle: true,
    listed: true,
  },
];

export interface DemoLogin {
  role: string;
  kind: 'staff' | 'customer';
  email: string;
  password: string;
}

const firstOfEachRole = demoStaff.filter(
  (member, index) => demoStaff.findIndex((other) => other.role === member.role) === index,
);

/** One login per staff role plus two owners, all with DEMO_PASSWORD. */
export const demoLogins: readonly DemoLogin[] = [
  ...firstOfEachRole.map((member) => ({
    role: member.role,
    kind: 'staff' as const,
    email: member.email,
    password: DEMO_PASSWORD,
  })),
  ...demoOwners
    .filter((owner) => owner.listed)
    .map((owner) => ({
      role: `owner (${owner.market})`,
      kind: 'customer' as const,
      email: owner.email,
      password: DEMO_PASSWORD,
    })),
];
