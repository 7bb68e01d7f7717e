// Live updates: one EventSource on GET /api/live per tab, shared by every component that listens.
// The server sends `event: <type>` with `data: { type, entityType, entityId, eventId?, data? }`;
// the client refetches what it shows. After a reconnect, listeners of `live.reconnected` catch up.
import { useEffect, useRef } from 'react';

export interface LiveEvent {
  type: string;
  entityType?: string;
  entityId?: string;
  eventId?: string;
  data?: Record<string, unknown>;
}

type Listener = (event: LiveEvent) => void;

/** A synthetic event: the stream was re-established, so events may have been missed. */
export const LIVE_RECONNECTED = 'live.reconnected';

const listeners = new Map<string, Set<Listener>>();
let source: EventSource | null = null;
let connectedBefore = false;
let retryDelay = 1000;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let closeTimer: ReturnType<typeof setTimeout> | undefined;

function dispatch(type: string, event: LiveEvent): void {
  for (const listener of listeners.get(type) ?? []) listener(event);
}

function onServerEvent(message: MessageEvent<string>): void {
  let payload: LiveEvent;
  try {
    payload = { ...(JSON.parse(message.data) as Omit<LiveEvent, 'type'>), type: message.type };
  } catch {
    return;
  }
  dispatch(message.type, payload);
}

function listen(type: string): void {
  if (type !== LIVE_RECONNECTED) source?.addEventListener(type, onServerEvent);
}

function connect(): void {
  clearTimeout(retryTimer);
  retryTimer = undefined;
  const next = new EventSource('/api/live', { withCredentials: true });
  source = next;
  next.addEventListener('ready', () => {
    retryDelay = 1000;
    if (connectedBefore) dispatch(LIVE_RECONNECTED, { type: LIVE_RECONNECTED });
    connectedBefore = true;
  });
  for (const type of listeners.keys()) listen(type);
  next.onerror = () => {
    // The browser retries a dropped stream by itself; a refused one (e.g. 401, 502) is closed for good.
    if (next.readyState !== EventSource.CLOSED || source !== next) return;
    source = null;
    retryTimer = setTimeout(connect, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 30_000);
  };
}

function subscribe(type: string, listener: Listener): () => void {
  clearTimeout(closeTimer);
  let set = listeners.get(type);
  if (!set) {
    set = new Set();
    listeners.set(type, set);
    listen(type);
  }
  set.add(listener);
  if (!source && retryTimer === undefined) connect();
  return () => {
    set.delete(listener);
    if (set.size === 0) {
      listeners.delete(type);
      if (type !== LIVE_RECONNECTED) source?.removeEventListener(type, onServerEvent);
    }
    // Closed a moment later, so a remount (route change, StrictMode) keeps the same stream.
    if (listeners.size === 0) closeTimer = setTimeout(disconnect, 1000);
  };
}

function disconnect(): void {
  if (listeners.size > 0) return;
  clearTimeout(retryTimer);
  retryTimer = undefined;
  source?.close();
  source = null;
  connectedBefore = false;
}

/** Calls `handler` for each live event of the given type(s) while the component is mounted. */
export function useLiveEvent(types: string | readonly string[], handler: Listener): void {
  const handlerRef = useRef(handler);
  handlerRef.current = handler;
  const key = (typeof types === 'string' ? [types] : [...types]).join(' ');
  useEffect(() => {
    const unsubscribers = key.split(' ').map((type) => subscribe(type, (event) => handlerRef.current(event)));
    return () => {
      for (const unsubscribe of unsubscribers) unsubscribe();
    };
  }, [key]);
}
