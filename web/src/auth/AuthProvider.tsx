import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, ok, type Schemas } from '../api/client';
import { onPasswordChangeRequired, onSessionChange, onTotpEnrolmentRequired, refreshSession } from './session';

export type Me = Schemas extends { MeResponse: infer M }
  ? M
  : {
      id: string;
      username: string;
      displayName: string;
      roles: string[];
      roleLabels: string[];
      orgUnit: { id: string; kind: string; name: string };
      countyId: string;
      passwordChangeRequired: boolean;
      passwordRules: string[];
      totpEnabled: boolean;
      totpEnrolmentRequired: boolean;
    };

type Status = 'restoring' | 'signedOut' | 'signedIn';

interface AuthState {
  status: Status;
  me: Me | undefined;
  hasRole: (...roles: string[]) => boolean;
  /** The password expired or was given by an admin: nothing but the change-password page until it is changed. */
  passwordChangeRequired: boolean;
  /** After a successful change: reload who I am and carry on. */
  passwordChanged: () => Promise<void>;
  /** The role requires a second factor and none is enrolled: nothing but the enrolment page until one is. */
  totpEnrolmentRequired: boolean;
  /** After the enrolment was confirmed (and the recovery codes seen): reload who I am and carry on. */
  totpEnrolled: () => Promise<void>;
}

const AuthContext = createContext<AuthState>({
  status: 'restoring',
  me: undefined,
  hasRole: () => false,
  passwordChangeRequired: false,
  passwordChanged: async () => undefined,
  totpEnrolmentRequired: false,
  totpEnrolled: async () => undefined,
});

/** Restores the session from the refresh cookie on load and follows sign-in/out; `me` is the logged-in user. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<Status>('restoring');
  const [changeAnnounced, setChangeAnnounced] = useState(false);
  const [enrolmentAnnounced, setEnrolmentAnnounced] = useState(false);
  const queryClient = useQueryClient();

  useEffect(() => onPasswordChangeRequired(() => setChangeAnnounced(true)), []);
  useEffect(() => onTotpEnrolmentRequired(() => setEnrolmentAnnounced(true)), []);

  useEffect(() => {
    const off = onSessionChange((signedIn) => {
      setStatus(signedIn ? 'signedIn' : 'signedOut');
      if (!signedIn) {
        queryClient.clear();
        setChangeAnnounced(false);
        setEnrolmentAnnounced(false);
      }
    });
    void refreshSession().then((restored) => {
      if (!restored) setStatus((s) => (s === 'restoring' ? 'signedOut' : s));
    });
    return () => void off();
  }, [queryClient]);

  const meQuery = useQuery({
    queryKey: ['me'],
    queryFn: () => ok(api.GET('/api/auth/me')) as unknown as Promise<Me>,
    enabled: status === 'signedIn',
    staleTime: 5 * 60_000,
  });
  const me = status === 'signedIn' ? meQuery.data : undefined;
  const hasRole = (...roles: string[]) => !!me && me.roles.some((r) => roles.includes(r));
  const passwordChangeRequired = !!me && (changeAnnounced || me.passwordChangeRequired === true);
  const passwordChanged = async () => {
    setChangeAnnounced(false);
    await queryClient.resetQueries();
  };
  const totpEnrolmentRequired = !!me && (enrolmentAnnounced || me.totpEnrolmentRequired === true);
  const totpEnrolled = async () => {
    setEnrolmentAnnounced(false);
    await queryClient.resetQueries();
  };
  return (
    <AuthContext.Provider value={{ status, me, hasRole, passwordChangeRequired, passwordChanged, totpEnrolmentRequired, totpEnrolled }}>
      {children}
    </AuthContext.Provider>
  );
}

export function useAuth(): AuthState {
  return useContext(AuthContext);
}
