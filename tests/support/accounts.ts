import { createApiClient, type ApiClient } from '@rapporteur/client';
import type { Region, StakeholderGroup, UserView } from '@rapporteur/protocol';

export interface TestUser {
  readonly user: UserView;
  readonly email: string;
  readonly password: string;
  /** The session cookie (`rapporteur_session=…`) from sign-up. */
  readonly cookie: string;
  /** A personal access token of this user. */
  readonly token: string;
  /** API client authenticated with the token. */
  readonly api: ApiClient;
}

let counter = 0;

/** Signs up a new account over HTTP and creates a personal access token for it. */
export async function signUp(
  baseUrl: string,
  overrides: Partial<{ name: string; email: string; stakeholderGroup: StakeholderGroup; region: Region }> = {},
): Promise<TestUser> {
  counter++;
  const email = overrides.email ?? `person${counter}-${Math.random().toString(36).slice(2, 8)}@example.org`;
  const password = 'correct horse battery staple';
  const res = await fetch(`${baseUrl}/api/auth/signup`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: baseUrl },
    body: JSON.stringify({
      email,
      password,
      name: overrides.name ?? `Person ${counter}`,
      stakeholderGroup: overrides.stakeholderGroup ?? 'civil-society',
      region: overrides.region ?? 'african',
    }),
  });
  if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
  const { user } = (await res.json()) as { user: UserView };
  const cookie = sessionCookie(res);
  const tokenRes = await fetch(`${baseUrl}/api/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: baseUrl, Cookie: cookie },
    body: JSON.stringify({ name: 'tests' }),
  });
  if (tokenRes.status !== 201) throw new Error(`token creation failed: ${tokenRes.status} ${await tokenRes.text()}`);
  const { token } = (await tokenRes.json()) as { token: string };
  return { user, email, password, cookie, token, api: createApiClient({ baseUrl, token }) };
}

/** The `name=value` of the session cookie a response set. */
export function sessionCookie(res: Response): string {
  const header = res.headers.getSetCookie().find((c) => c.startsWith('rapporteur_session='));
  if (!header) throw new Error('no session cookie was set');
  return header.split(';')[0]!;
}
