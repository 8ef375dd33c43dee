import type {
  AuthResult,
  LoginBody,
  PatchMeBody,
  SignupBody,
  User,
} from '@eventmanager/domain/accounts/schema';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import { markSignedIn } from '../features/auth/visit.ts';
import { api } from './client.ts';
import { getSession, onSessionChange, setSession, setSessionFromAuth } from './session.ts';

export const meKey = ['me'] as const;

export function useSessionTokens() {
  return useSyncExternalStore(onSessionChange, getSession, () => null);
}

export function useMe() {
  const session = useSessionTokens();
  return useQuery({ queryKey: meKey, queryFn: () => api<User>('/api/me'), enabled: Boolean(session) });
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: LoginBody) =>
      api<AuthResult>('/api/auth/login', { method: 'POST', body, auth: false }),
    onSuccess: (result) => {
      qc.clear();
      setSessionFromAuth(result);
      markSignedIn();
      qc.setQueryData(meKey, result.user);
    },
  });
}

export function useSignup() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SignupBody) =>
      api<AuthResult>('/api/auth/signup', { method: 'POST', body, auth: false }),
    onSuccess: (result) => {
      qc.clear();
      setSessionFromAuth(result);
      markSignedIn();
      qc.setQueryData(meKey, result.user);
    },
  });
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      try {
        await api<void>('/api/auth/logout', { method: 'POST' });
      } finally {
        setSession(null);
        qc.clear();
      }
    },
  });
}

export function useUpdateMe() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: PatchMeBody) => api<User>('/api/me', { method: 'PATCH', body }),
    onSuccess: (user) => qc.setQueryData(meKey, user),
  });
}
