import { useCallback, useEffect, useRef, useState } from 'react';
import { useLiveEvent } from '../../../app/live';
import { casesApi } from '../api';
import { useNow } from '../format';

export interface PresenceEntry {
  userId: string;
  name: string;
  state: 'viewing' | 'typing';
  seenAt: number;
}

const heartbeatMs = 20_000;
const typingThrottleMs = 3_000;
const expiryMs = 30_000;
const typingShownMs = 6_000;

/** Presence is a signal, not state worth retrying: a lost beat is replaced by the next one. */
const signal = (caseId: string, state: 'viewing' | 'typing' | 'left') =>
  void casesApi.presence(caseId, state).catch(() => undefined);

/**
 * Tells colleagues this agent is on the case (every 20 s, and while typing at most every 3 s),
 * and lists the others who are, from `case.presence` live events, forgetting anyone silent for 30 s.
 */
export function usePresence(caseId: string, myUserId: string) {
  const [others, setOthers] = useState<ReadonlyMap<string, PresenceEntry>>(new Map());
  const lastTyping = useRef(0);
  const now = useNow(5_000);

  useEffect(() => {
    setOthers(new Map());
    signal(caseId, 'viewing');
    const heartbeat = setInterval(() => signal(caseId, 'viewing'), heartbeatMs);
    return () => {
      clearInterval(heartbeat);
      signal(caseId, 'left');
    };
  }, [caseId]);

  useLiveEvent('case.presence', (event) => {
    const data = (event.data ?? {}) as Record<string, unknown>;
    const eventCaseId = typeof data.caseId === 'string' ? data.caseId : event.entityId;
    const userId = typeof data.userId === 'string' ? data.userId : null;
    if (eventCaseId !== caseId || !userId || userId === myUserId) return;
    const state = data.state;
    setOthers((current) => {
      const next = new Map(current);
      if (state === 'viewing' || state === 'typing') {
        const name = typeof data.name === 'string' ? data.name : (current.get(userId)?.name ?? '');
        next.set(userId, { userId, name, state, seenAt: Date.now() });
      } else {
        next.delete(userId);
      }
      return next;
    });
  });

  const typing = useCallback(() => {
    if (Date.now() - lastTyping.current < typingThrottleMs) return;
    lastTyping.current = Date.now();
    signal(caseId, 'typing');
  }, [caseId]);

  // Someone who stopped typing shows as viewing again before their next heartbeat arrives.
  const present = [...others.values()]
    .filter((entry) => now - entry.seenAt < expiryMs)
    .map((entry) =>
      entry.state === 'typing' && now - entry.seenAt > typingShownMs
        ? { ...entry, state: 'viewing' as const }
        : entry,
    );
  return { others: present, typing };
}
