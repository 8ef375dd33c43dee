import { Navigate, Outlet, useLocation } from 'react-router';
import { useSessionTokens } from '../api/auth.ts';

/** Sends signed-out visitors to the login page and brings them back afterwards. */
export function RequireAuth() {
  const session = useSessionTokens();
  const location = useLocation();
  if (!session) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return <Outlet />;
}
