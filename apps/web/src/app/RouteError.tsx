import { useRouteError } from 'react-router';
import { ErrorState } from '../ui/states.tsx';

export function RouteError() {
  const error = useRouteError();
  return (
    <main className="page">
      <ErrorState error={error} onRetry={() => window.location.reload()} />
    </main>
  );
}
