import { useQueryClient } from '@tanstack/react-query';
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { configureApiClient } from '../../../app/api/client';
import { identityKeys } from '../api';
import type { Me } from '../types';
import { StepUpDialog } from './StepUpDialog';

export interface StepUpResult {
  elevatedUntil: string;
}

type RequestStepUp = () => Promise<StepUpResult | null>;

const StepUpContext = createContext<RequestStepUp | null>(null);

/** Opens the "Verify it's you" dialog; resolves with the new elevation, or null when cancelled. */
export function useStepUp(): RequestStepUp {
  const request = useContext(StepUpContext);
  if (!request) throw new Error('useStepUp needs a StepUpProvider');
  return request;
}

interface Pending {
  promise: Promise<StepUpResult | null>;
  resolve: (result: StepUpResult | null) => void;
}

/** Owns the one step-up dialog of the app and lets the API client open it on `step_up_required`. */
export function StepUpProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const pending = useRef<Pending | null>(null);
  const [opened, setOpened] = useState(false);

  const request = useCallback<RequestStepUp>(() => {
    if (pending.current) return pending.current.promise;
    let resolve: Pending['resolve'] = () => undefined;
    const promise = new Promise<StepUpResult | null>((done) => {
      resolve = done;
    });
    pending.current = { promise, resolve };
    setOpened(true);
    return promise;
  }, []);

  const finish = useCallback(
    (result: StepUpResult | null) => {
      if (result) {
        queryClient.setQueryData<Me | null>(identityKeys.me, (me) =>
          me ? { ...me, stepUp: { ...me.stepUp, elevatedUntil: result.elevatedUntil } } : me,
        );
      }
      pending.current?.resolve(result);
      pending.current = null;
      setOpened(false);
    },
    [queryClient],
  );

  // Escape must close only this dialog, not also the dialog that asked for the step-up. Modals listen
  // on window in capture phase in the order they mounted; this provider mounts before any page does,
  // so its listener runs first and can stop the others.
  const finishRef = useRef(finish);
  finishRef.current = finish;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || !pending.current) return;
      event.stopImmediatePropagation();
      finishRef.current(null);
    };
    window.addEventListener('keydown', onKeyDown, { capture: true });
    return () => window.removeEventListener('keydown', onKeyDown, { capture: true });
  }, []);

  useEffect(() => {
    configureApiClient({ requestStepUp: () => request().then((result) => result !== null) });
  }, [request]);

  const value = useMemo(() => request, [request]);
  return (
    <StepUpContext.Provider value={value}>
      {children}
      <StepUpDialog opened={opened} onDone={finish} />
    </StepUpContext.Provider>
  );
}
