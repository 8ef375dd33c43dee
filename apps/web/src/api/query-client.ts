import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './problem.ts';

/** Client errors (4xx) are answers, not glitches: retrying them only delays the error state. */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      retry: (count, err) => !(err instanceof ApiError && err.status < 500) && count < 2,
      refetchOnWindowFocus: true,
    },
    mutations: { retry: false },
  },
});
