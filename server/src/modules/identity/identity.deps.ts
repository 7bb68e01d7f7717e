import type { Db } from '../../platform/database.js';
import type { MailSettings } from '../channels/index.js';

/** What the identity module needs from its surroundings; built once in app.ts. */
export interface IdentityDeps {
  db: Db;
  publicUrl: string;
  sessionTtlHours: number;
  stepUpMinutes: number;
  /** Key for secrets at rest (TOTP seeds). */
  secretKey: string;
  mail: MailSettings;
}
