import type { PasswordResetConfirmBody, User } from '@eventmanager/domain/accounts/schema';
import type { InvitationAccepted, StaffInvitation } from '@eventmanager/domain/events/schema';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { meKey } from './auth.ts';
import { api } from './client.ts';
import { eventKeys } from './events.ts';
import { setSession } from './session.ts';

/** E-mail verification, password reset and staff invitations (the links e-mailed to people). */

export function useVerifyEmail() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (token: string) =>
      api<User>('/api/auth/verify-email', { method: 'POST', body: { token }, auth: false }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: meKey }),
  });
}

export function useResendVerification() {
  return useMutation({
    mutationFn: () => api<void>('/api/auth/verify-email/resend', { method: 'POST' }),
  });
}

export function useRequestPasswordReset() {
  return useMutation({
    mutationFn: (email: string) =>
      api<void>('/api/auth/password-reset', { method: 'POST', body: { email }, auth: false }),
  });
}

export function useConfirmPasswordReset() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: PasswordResetConfirmBody) =>
      api<void>('/api/auth/password-reset/confirm', { method: 'POST', body, auth: false }),
    // Every session of the account was revoked, this browser's included.
    onSuccess: () => {
      setSession(null);
      qc.clear();
    },
  });
}

export function useAcceptInvitation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (token: string) =>
      api<InvitationAccepted>(`/api/invitations/${encodeURIComponent(token)}/accept`, { method: 'POST' }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: eventKeys.all }),
  });
}

const invitationsKey = (eventId: string) => [...eventKeys.staff(eventId), 'invitations'] as const;

export function useStaffInvitations(eventId: string) {
  return useQuery({
    queryKey: invitationsKey(eventId),
    queryFn: () => api<StaffInvitation[]>(`/api/events/${eventId}/staff/invitations`),
    retry: false,
  });
}

export function useResendInvitation(eventId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (invitationId: string) =>
      api<StaffInvitation>(`/api/events/${eventId}/staff/invitations/${invitationId}/resend`, {
        method: 'POST',
      }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: invitationsKey(eventId) }),
  });
}

export function useRevokeInvitation(eventId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (invitationId: string) =>
      api<void>(`/api/events/${eventId}/staff/invitations/${invitationId}`, { method: 'DELETE' }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: invitationsKey(eventId) }),
  });
}

export function useRemoveStaff(eventId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => api<void>(`/api/events/${eventId}/staff/${userId}`, { method: 'DELETE' }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: eventKeys.staff(eventId) }),
  });
}
