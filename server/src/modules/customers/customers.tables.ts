import type { ColumnType, Generated, Selectable } from 'kysely';

type CreatedAt = ColumnType<Date, never, never>;

export interface CustomersTable {
  id: Generated<string>;
  first_name: string;
  last_name: string;
  language: 'de' | 'en';
  market: string;
  phones: ColumnType<string[], string[] | undefined, string[]>;
  /** Names and email addresses for customer search (maintained by the database). */
  search_text: ColumnType<string, never, never>;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

export interface CustomerEmailsTable {
  id: Generated<string>;
  customer_id: string;
  address: string;
  verified: boolean;
  is_primary: boolean;
  /** Set when mail to this address bounced (a delivery status notification came back). */
  bounced_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface CustomerConsentsTable {
  customer_id: string;
  purpose: string;
  granted: boolean;
  source: string;
  changed_at: Generated<Date>;
}

export interface VehiclesTable {
  id: Generated<string>;
  vin: string;
  model: string;
  model_year: number;
  market: string;
  software_version: string | null;
  first_registration: ColumnType<string | null, string | null, string | null>;
  created_at: CreatedAt;
}

/** Ownership over time: `owned_until` is null for the current owner. */
export interface VehicleOwnershipsTable {
  id: Generated<string>;
  vehicle_id: string;
  customer_id: string;
  owned_from: ColumnType<string, string, string>;
  owned_until: ColumnType<string | null, string | null, string | null>;
}

export interface CustomersTables {
  customers: CustomersTable;
  customer_emails: CustomerEmailsTable;
  customer_consents: CustomerConsentsTable;
  vehicles: VehiclesTable;
  vehicle_ownerships: VehicleOwnershipsTable;
}

export type CustomerRow = Selectable<CustomersTable>;
export type VehicleRow = Selectable<VehiclesTable>;
