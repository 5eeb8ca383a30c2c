import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { setUnauthorizedHandler, tokenStore } from './api/client.ts';

interface Auth {
  token: string | null;
  /** true when the last sign-out was forced by a 401 (the token was revoked). */
  expired: boolean;
  signIn(token: string): void;
  signOut(expired?: boolean): void;
}

const AuthContext = createContext<Auth | null>(null);

/** The API token of this browser tab (sessionStorage: gone when the tab closes). */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState(tokenStore.get);
  const [expired, setExpired] = useState(false);
  const signIn = useCallback((t: string) => {
    tokenStore.set(t);
    setExpired(false);
    setToken(t);
  }, []);
  const signOut = useCallback((wasExpired = false) => {
    tokenStore.clear();
    setExpired(wasExpired);
    setToken(null);
  }, []);
  useEffect(() => {
    setUnauthorizedHandler(() => signOut(true));
    return () => setUnauthorizedHandler(null);
  }, [signOut]);
  const value = useMemo(() => ({ token, expired, signIn, signOut }), [token, expired, signIn, signOut]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside AuthProvider');
  return auth;
}
