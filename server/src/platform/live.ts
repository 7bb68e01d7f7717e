// Live updates: a change publishes a small notice with pg_notify inside its transaction;
// every server process LISTENs and forwards it to the browsers (SSE) allowed to see it.
// PostgreSQL delivers a NOTIFY only on commit, so nobody hears of a change that rolled back.
import { sql } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Executor } from './database.js';

export const LIVE_CHANNEL = 'pitwall_live';

/** Who may receive a live notice. Staff match by market (or `allStaff`); customers by id;
 * anyone signed in by their own user id (`userIds`, for notices meant for one person). */
export interface LiveAudience {
  customerIds?: string[];
  markets?: string[];
  allStaff?: boolean;
  userIds?: string[];
}

export interface LiveNotice {
  type: string;
  entityType: string;
  entityId: string;
  eventId?: string;
  audience: LiveAudience;
  data?: Record<string, unknown>;
}

export interface LiveViewer {
  kind: 'staff' | 'customer' | 'token';
  userId?: string;
  customerId?: string;
  allMarkets?: boolean;
  markets?: readonly string[];
}

export function mayReceive(viewer: LiveViewer, audience: LiveAudience): boolean {
  if (viewer.userId && audience.userIds?.includes(viewer.userId)) return true;
  if (viewer.kind === 'customer')
    return !!viewer.customerId && !!audience.customerIds?.includes(viewer.customerId);
  if (audience.allStaff) return true;
  if (!audience.markets) return false;
  return !!viewer.allMarkets || audience.markets.some((market) => viewer.markets?.includes(market));
}

export async function publishLive(db: Executor, notice: LiveNotice): Promise<void> {
  await sql`SELECT pg_notify(${LIVE_CHANNEL}, ${JSON.stringify(notice)})`.execute(db);
}

const RECONNECT_FIRST_MS = 1_000;
const RECONNECT_MAX_MS = 30_000;

type Listener = (notice: LiveNotice) => void;
type ChannelHandler = (payload: string) => void;

export class LiveHub {
  private readonly listeners = new Set<Listener>();
  /** Other modules' own channels (e.g. identity's session invalidation), LISTENed on the same connection. */
  private readonly channels = new Map<string, Set<ChannelHandler>>();
  private client: pg.Client | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private connections = 0;
  private statements: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly connectionString: string,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.connectionString,
      application_name: 'pitwall-live',
    });
    client.on('notification', (message) => {
      const handlers = this.channels.get(message.channel);
      if (handlers) {
        for (const handler of handlers) handler(message.payload ?? '');
        return;
      }
      if (message.channel !== LIVE_CHANNEL || !message.payload) return;
      let notice: LiveNotice;
      try {
        notice = JSON.parse(message.payload) as LiveNotice;
      } catch {
        this.log.warn({ payload: message.payload }, 'ignoring malformed live notice');
        return;
      }
      for (const listener of this.listeners) listener(notice);
    });
    client.on('error', (error) => {
      if (this.client !== client) return; // a connection that never started listening
      this.log.warn({ err: error }, 'live listener connection lost; reconnecting');
      this.client = null;
      this.reconnect(RECONNECT_FIRST_MS);
    });
    try {
      await client.connect();
      await this.listen(client, LIVE_CHANNEL);
      for (const channel of this.channels.keys()) await this.listen(client, channel);
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    this.client = client;
    this.connections++;
  }

  /** Tries again until it listens (or the hub stops), waiting twice as long after each failure:
   * a database that is down for a while is found again when it is back. */
  private reconnect(delayMs: number): void {
    if (this.stopped || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.stopped) return;
      this.start().catch((error: unknown) => {
        this.log.warn({ err: error, retryInMs: delayMs * 2 }, 'live listener could not reconnect yet');
        this.reconnect(Math.min(delayMs * 2, RECONNECT_MAX_MS));
      });
    }, delayMs);
    this.reconnectTimer.unref();
  }

  /** One statement at a time on the listening connection (node-postgres queues them, with a warning). */
  private listen(client: pg.Client, channel: string): Promise<unknown> {
    const next = this.statements.then(() => client.query(`LISTEN ${channel}`));
    this.statements = next.catch(() => undefined);
    return next;
  }

  isListening(): boolean {
    return this.client !== null;
  }

  /**
   * Counts (re)connections of the listening connection: whatever was derived from earlier
   * notifications may have missed some while it was down, so a change means "start afresh".
   */
  get connectionGeneration(): number {
    return this.connections;
  }

  /** Handle NOTIFYs on another channel (a plain identifier) on the same connection. */
  async onChannel(channel: string, handler: ChannelHandler): Promise<() => void> {
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`invalid channel name: ${channel}`);
    let handlers = this.channels.get(channel);
    if (!handlers) {
      handlers = new Set();
      this.channels.set(channel, handlers);
      if (this.client) await this.listen(this.client, channel);
    }
    handlers.add(handler);
    return () => handlers.delete(handler);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }
}
