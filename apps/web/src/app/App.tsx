import { QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter, useLocation, useRoutes } from 'react-router';
import { queryClient } from '../api/query-client.ts';
import { RouteErrorBoundary } from './RouteError.tsx';
import { routes, toElementRoutes } from './routes.tsx';
import { UpdatePrompt } from './UpdatePrompt.tsx';

/**
 * The declarative router (BrowserRouter + useRoutes) keeps the data-router machinery (loaders,
 * fetchers, revalidation — unused here) out of the first download of every page.
 */
const elementRoutes = toElementRoutes(routes);

function AppRoutes() {
  const location = useLocation();
  const element = useRoutes(elementRoutes);
  // A new location gets a fresh boundary, so an error on one screen does not stick to the next.
  return <RouteErrorBoundary key={location.pathname}>{element}</RouteErrorBoundary>;
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <AppRoutes />
      </BrowserRouter>
      <UpdatePrompt />
    </QueryClientProvider>
  );
}
