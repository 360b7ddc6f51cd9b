import type { SessionInfo } from '@qiao/contracts';
import { useMutation } from '@tanstack/react-query';
import { useAuth } from '../../app/auth-context.js';
import { api } from '../../lib/api.js';

/** The server ends every session on a password change and answers a fresh one; adopt it. */
export function useChangePassword() {
  const { adoptSession } = useAuth();
  return useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) =>
      api<SessionInfo>('/auth/password', { method: 'POST', body }),
    onSuccess: adoptSession,
  });
}

export function useEnrollTotp() {
  return useMutation({
    mutationFn: () => api<{ secret: string; otpauthUri: string }>('/auth/totp/enroll', { method: 'POST' }),
  });
}

/**
 * Confirms the enrolment. The session is refetched afterwards (not awaited, so the recovery codes
 * show at once): `totpEnabled` turns on and a pending `mfaSetupRequired` clears, bringing the menu back.
 */
export function useConfirmTotp() {
  const { refresh } = useAuth();
  return useMutation({
    mutationFn: (code: string) =>
      api<{ recoveryCodes: string[] }>('/auth/totp/confirm', { method: 'POST', body: { code } }),
    onSuccess: () => {
      void refresh();
    },
  });
}

export function useDisableTotp() {
  const { refresh } = useAuth();
  return useMutation({
    mutationFn: (body: { password: string; code: string }) => api<void>('/auth/totp/disable', { method: 'POST', body }),
    onSuccess: refresh,
  });
}
