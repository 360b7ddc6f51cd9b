import { can as roleCan } from '@qiao/contracts';
import type { Permission, SessionInfo, User } from '@qiao/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo } from 'react';
import type { ReactNode } from 'react';
import { api, isApiError, setCsrfToken, setUnauthenticatedHandler } from '../lib/api.js';
import { sharedKeys } from '../lib/shared-queries.js';

export interface LoginInput {
  username: string;
  password: string;
  totp?: string;
}

export type PreferencesPatch = Partial<Pick<User, 'elderlyMode' | 'locale'>>;

interface AuthValue {
  /** undefined while the first /auth/me is in flight, null when nobody is logged in. */
  session: SessionInfo | null | undefined;
  /** Why the first /auth/me failed when it was not a plain 401 (server down, network). */
  sessionError: Error | null;
  user: User | null;
  /** The user's own jurisdiction, from the session: readable whatever the role's permissions. */
  jurisdiction: SessionInfo['jurisdiction'] | null;
  /**
   * The role requires two-factor sign-in and it is not set up: the server refuses everything but
   * auth/*, so the app offers My account only and `can` answers false until it is.
   */
  mfaSetupRequired: boolean;
  can(permission: Permission): boolean;
  /**
   * The account applied for its organization and the application is pending: the server grants
   * only `application:own`, so the app offers My application and My account, nothing else.
   */
  applicantOnly: boolean;
  login(input: LoginInput): Promise<SessionInfo>;
  logout(): Promise<void>;
  /** Adopts a fresh session answer (after a password change the server rotates the token). */
  adoptSession(info: SessionInfo): void;
  updatePreferences(patch: PreferencesPatch): Promise<void>;
  refresh(): Promise<void>;
}

const AuthContext = createContext<AuthValue | null>(null);

async function fetchSession(signal: AbortSignal): Promise<SessionInfo | null> {
  try {
    const info = await api<SessionInfo>('/auth/me', { signal });
    setCsrfToken(info.csrfToken);
    return info;
  } catch (error) {
    if (isApiError(error) && error.status === 401) return null;
    throw error;
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const { data: session, error: sessionError } = useQuery({
    queryKey: sharedKeys.session,
    queryFn: ({ signal }) => fetchSession(signal),
    staleTime: Infinity,
    retry: false,
  });

  const adoptSession = useCallback(
    (info: SessionInfo | null) => {
      setCsrfToken(info?.csrfToken);
      queryClient.setQueryData(sharedKeys.session, info);
    },
    [queryClient],
  );

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sharedKeys.session[0] });
      adoptSession(null);
    });
    return () => setUnauthenticatedHandler(undefined);
  }, [adoptSession, queryClient]);

  const login = useCallback(
    async (input: LoginInput) => {
      const info = await api<SessionInfo>('/auth/login', { method: 'POST', body: input });
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sharedKeys.session[0] });
      adoptSession(info);
      return info;
    },
    [adoptSession, queryClient],
  );

  const logout = useCallback(async () => {
    try {
      await api<void>('/auth/logout', { method: 'POST' });
    } finally {
      // Not queryClient.clear(): that drops the session query under its observer, which then
      // keeps showing the old user, and the login page sends the person straight back in.
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sharedKeys.session[0] });
      adoptSession(null);
    }
  }, [adoptSession, queryClient]);

  const updatePreferences = useCallback(
    async (patch: PreferencesPatch) => {
      const current = queryClient.getQueryData<SessionInfo | null>(sharedKeys.session);
      if (!current) return;
      queryClient.setQueryData(sharedKeys.session, { ...current, user: { ...current.user, ...patch } });
      try {
        adoptSession(await api<SessionInfo>('/auth/me', { method: 'PATCH', body: patch }));
      } catch (error) {
        queryClient.setQueryData(sharedKeys.session, current);
        throw error;
      }
    },
    [adoptSession, queryClient],
  );

  const refresh = useCallback(async () => {
    await queryClient.invalidateQueries({ queryKey: sharedKeys.session });
  }, [queryClient]);

  const value = useMemo<AuthValue>(() => {
    const user = session?.user ?? null;
    const mfaSetupRequired = session?.mfaSetupRequired ?? false;
    return {
      session,
      sessionError,
      user,
      jurisdiction: session?.jurisdiction ?? null,
      mfaSetupRequired,
      // The session's own permissions are the server's word (an applicant's role is narrowed to
      // `application:own` until approval); the role matrix answers for an older session shape.
      can: (permission) =>
        user && !mfaSetupRequired
          ? (session?.permissions?.includes(permission) ?? roleCan(user.role, permission))
          : false,
      applicantOnly: Boolean(
        session && session.permissions?.length === 1 && session.permissions[0] === 'application:own',
      ),
      login,
      logout,
      adoptSession,
      updatePreferences,
      refresh,
    };
  }, [session, sessionError, login, logout, adoptSession, updatePreferences, refresh]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}
