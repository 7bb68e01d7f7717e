// Who is behind a session cookie, remembered per process for a few seconds so that a
// request does not spend a statement on it. Correctness never rests on the timeout:
// triggers on `sessions` and `users` NOTIFY every change (identity.migrations.ts) and every
// process evicts what changed the moment it hears of it; the process that made the change
// evicts its own copy before it answers (`forgetSession`, `forgetUser`). While the listening
// connection is down, or after it reconnects (notifications may have been missed), nothing
// cached before is used.
import type { LiveHub } from '../../platform/live.js';
import type { Principal } from './identity.principal.js';

export const IDENTITY_CHANNEL = 'pitwall_identity';
/** An upper bound only; changes evict at once. */
const MAX_AGE_MS = 30_000;
const MAX_ENTRIES = 50_000;

export interface CachedSession {
  principal: Principal & { kind: 'staff' | 'customer' };
  userId: string;
  expiresAt: Date;
  lastSeenAt: Date;
}

interface Entry extends CachedSession {
  cachedAt: number;
  generation: number;
}

export class SessionCache {
  private readonly entries = new Map<string, Entry>();
  /** Bumped by every eviction: a lookup that raced one must not store what it read. */
  private evictions = 0;

  constructor(private readonly live: Pick<LiveHub, 'isListening' | 'connectionGeneration'>) {}

  /** The cached session, if it can be trusted right now. */
  get(sessionId: string): CachedSession | null {
    const entry = this.entries.get(sessionId);
    if (!entry) return null;
    const now = Date.now();
    if (
      !this.live.isListening() ||
      entry.generation !== this.live.connectionGeneration ||
      now - entry.cachedAt > MAX_AGE_MS ||
      entry.expiresAt.getTime() <= now
    ) {
      this.entries.delete(sessionId);
      return null;
    }
    return entry;
  }

  /** A token for `set`: taken before reading the database. */
  stamp(): number {
    return this.evictions;
  }

  set(sessionId: string, session: CachedSession, stamp: number): void {
    // Something changed while the row was being read: it may be stale already.
    if (stamp !== this.evictions || !this.live.isListening()) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(sessionId, {
      ...session,
      cachedAt: Date.now(),
      generation: this.live.connectionGeneration,
    });
  }

  touched(sessionId: string, at: Date): void {
    const entry = this.entries.get(sessionId);
    if (entry) entry.lastSeenAt = at;
  }

  forgetSession(sessionId: string): void {
    this.evictions++;
    this.entries.delete(sessionId);
  }

  forgetUser(userId: string): void {
    this.evictions++;
    for (const [sessionId, entry] of this.entries) {
      if (entry.userId === userId) this.entries.delete(sessionId);
    }
  }

  /** A NOTIFY payload from the triggers: `s:<session id>` or `u:<user id>`. */
  handleNotification(payload: string): void {
    if (payload.startsWith('s:')) this.forgetSession(payload.slice(2));
    else if (payload.startsWith('u:')) this.forgetUser(payload.slice(2));
    else this.clear();
  }

  clear(): void {
    this.evictions++;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

/** Every cache of this process, so a change made here is seen here before its answer leaves. */
const caches = new Set<SessionCache>();

export async function startSessionCache(live: LiveHub): Promise<SessionCache> {
  const cache = new SessionCache(live);
  await live.onChannel(IDENTITY_CHANNEL, (payload) => cache.handleNotification(payload));
  caches.add(cache);
  return cache;
}

export function stopSessionCache(cache: SessionCache): void {
  caches.delete(cache);
  cache.clear();
}

/** Call after a change to a session commits (logout, step-up, passkey challenge). */
export function forgetSession(sessionId: string): void {
  for (const cache of caches) cache.forgetSession(sessionId);
}

/** Call after a change to a user or all their sessions commits (roles, markets, disabled, password). */
export function forgetUser(userId: string): void {
  for (const cache of caches) cache.forgetUser(userId);
}
