import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { CurrentMeContext, homePathFor, useCurrentMe, useMe } from '../features/identity/session';
import { type AdminPermission, can, type Me } from '../features/identity/types';
import { FullPageLoader, QueryError } from './components/QueryState';
import { NoAccess } from './pages/NoAccess';

interface RequireSessionProps {
  kind: Me['kind'];
  children: ReactNode;
}

/** Renders children for a signed-in principal of the given kind; sends others to login or their home. */
export function RequireSession({ kind, children }: RequireSessionProps) {
  const { data: me, isPending, error, refetch } = useMe();
  const location = useLocation();
  if (isPending) return <FullPageLoader />;
  if (error) return <QueryError error={error} onRetry={() => void refetch()} />;
  if (!me) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  if (me.kind !== kind) return <Navigate to={homePathFor(me)} replace />;
  return <CurrentMeContext.Provider value={me}>{children}</CurrentMeContext.Provider>;
}

export function RequirePermission({
  permission,
  children,
}: {
  permission: AdminPermission;
  children: ReactNode;
}) {
  const me = useCurrentMe();
  if (!can(me, permission)) return <NoAccess />;
  return children;
}
