import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { csrfStore, setUnauthorizedHandler, tokenStore } from './api/client.ts';
import { fetchSession, logout, type SessionInfo } from './api/users.ts';

export type AuthStatus = 'loading' | 'signedOut' | 'token' | 'session';

interface Auth {
  status: AuthStatus;
  token: string | null;
  /** The console user, when signed in with e-mail and password (a session cookie). */
  session: SessionInfo | null;
  /** true when the last sign-out was forced by a 401 (session ended, token revoked). */
  expired: boolean;
  /** Signs in with an API token (kept in this tab's sessionStorage). */
  signIn(token: string): void;
  /** Keeps the session returned by sign-in or a workspace switch. */
  setSession(session: SessionInfo): void;
  signOut(expired?: boolean): void;
}

const AuthContext = createContext<Auth | null>(null);

/**
 * Who uses the console: a user with a session cookie (probed with /auth/me on load), or an API
 * token of this browser tab (sessionStorage: gone when the tab closes).
 */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState(tokenStore.get);
  const [session, setSessionState] = useState<SessionInfo | null>(null);
  const [probing, setProbing] = useState(() => tokenStore.get() === null);
  const [expired, setExpired] = useState(false);

  useEffect(() => {
    if (!probing) return;
    let live = true;
    fetchSession()
      .then((s) => {
        if (!live) return;
        csrfStore.set(s.csrfToken);
        setSessionState(s);
      })
      .catch(() => undefined)
      .finally(() => live && setProbing(false));
    return () => {
      live = false;
    };
  }, [probing]);

  const signIn = useCallback((t: string) => {
    tokenStore.set(t);
    setExpired(false);
    setToken(t);
  }, []);
  const setSession = useCallback((s: SessionInfo) => {
    csrfStore.set(s.csrfToken);
    setExpired(false);
    setSessionState(s);
  }, []);
  const signOut = useCallback(
    (wasExpired = false) => {
      if (session && !wasExpired) void logout().catch(() => undefined);
      tokenStore.clear();
      csrfStore.set(null);
      setExpired(wasExpired);
      setToken(null);
      setSessionState(null);
    },
    [session],
  );
  useEffect(() => {
    setUnauthorizedHandler(() => signOut(true));
    return () => setUnauthorizedHandler(null);
  }, [signOut]);

  const status: AuthStatus = token ? 'token' : session ? 'session' : probing ? 'loading' : 'signedOut';
  const value = useMemo(
    () => ({ status, token, session, expired, signIn, setSession, signOut }),
    [status, token, session, expired, signIn, setSession, signOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside AuthProvider');
  return auth;
}
