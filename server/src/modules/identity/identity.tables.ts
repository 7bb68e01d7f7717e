import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type CreatedAt = ColumnType<Date, never, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface MarketsTable {
  code: string;
  name_en: string;
  name_de: string;
  time_zone: string;
  language: 'de' | 'en';
  currency: string;
}

/** Staff users and customers' portal accounts share one table: one login, one session model. */
export interface UsersTable {
  id: Generated<string>;
  kind: 'staff' | 'customer';
  email: string;
  name: string;
  password_hash: string | null;
  roles: ColumnType<string[], string[] | undefined, string[]>;
  markets: ColumnType<string[], string[] | undefined, string[]>;
  service_centres: ColumnType<string[], string[] | undefined, string[]>;
  /** The customer record (module customers) a portal account belongs to. */
  customer_id: string | null;
  language: 'de' | 'en';
  disabled: Generated<boolean>;
  failed_login_count: Generated<number>;
  locked_until: Timestamp | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface SessionsTable {
  /** sha256 of the cookie value; the value itself is never stored. */
  id: string;
  user_id: string;
  csrf_token: string;
  ip: string | null;
  user_agent: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
  last_seen_at: ColumnType<Date, Date | string | undefined, Date | string>;
  elevated_until: Timestamp | null;
  webauthn_challenge: string | null;
}

export interface LoginAttemptsTable {
  id: Generated<string>;
  email: string;
  ip: string | null;
  succeeded: boolean;
  at: CreatedAt;
}

export interface TotpCredentialsTable {
  user_id: string;
  /** AES-256-GCM encrypted base32 secret. */
  secret_encrypted: string;
  confirmed_at: Timestamp | null;
  last_used_step: number | null;
  created_at: CreatedAt;
}

export interface RecoveryCodesTable {
  id: Generated<string>;
  user_id: string;
  code_hash: string;
  used_at: Timestamp | null;
}

export interface WebauthnCredentialsTable {
  id: string;
  user_id: string;
  name: string;
  public_key: Buffer;
  counter: ColumnType<string, number | string, number | string>;
  transports: ColumnType<string[], string[] | undefined, string[]>;
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
}

export interface ApiTokensTable {
  id: Generated<string>;
  name: string;
  token_hash: string;
  created_by: string;
  scopes: ColumnType<string[], string[], string[]>;
  markets: ColumnType<string[], string[] | undefined, string[]>;
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
  expires_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface StepUpAttemptsTable {
  id: Generated<string>;
  user_id: string;
  method: 'totp' | 'recovery_code' | 'passkey';
  succeeded: boolean;
  at: CreatedAt;
}

export interface PasswordResetTokensTable {
  token_hash: string;
  user_id: string;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface AuditLogTable {
  id: Generated<string>;
  at: CreatedAt;
  actor_id: string | null;
  actor_kind: 'staff' | 'customer' | 'token' | 'system';
  actor_label: string;
  action: string;
  entity_type: string;
  entity_id: string;
  before: ColumnType<unknown, string | null, never> | null;
  after: ColumnType<unknown, string | null, never> | null;
  request_id: string | null;
  ip: string | null;
}

export interface IdentityTables {
  markets: MarketsTable;
  users: UsersTable;
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
  totp_credentials: TotpCredentialsTable;
  recovery_codes: RecoveryCodesTable;
  webauthn_credentials: WebauthnCredentialsTable;
  api_tokens: ApiTokensTable;
  step_up_attempts: StepUpAttemptsTable;
  password_reset_tokens: PasswordResetTokensTable;
  audit_log: AuditLogTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type AuditRow = Selectable<AuditLogTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
