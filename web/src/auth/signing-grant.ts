import { api, ok } from '../api/client';
import { createSigningGrantHolder } from '../lib/signing-grant';
import { onSessionChange } from './session';

/** This page's signing grant (memory only; see lib/signing-grant.ts). Gone with the session. */
export const signingGrants = createSigningGrantHolder();

onSessionChange((signedIn) => {
  if (!signedIn) signingGrants.drop();
});

/** Enters the password again for a signing grant and keeps it; a wrong password is a 401 ApiError naming `password`. */
export async function obtainSigningGrant(password: string): Promise<string> {
  const answer = await ok(api.POST('/api/auth/signing-grant', { body: { password } }));
  signingGrants.hold(answer.grant, answer.expiresIn);
  return answer.grant;
}
