// Who the agent is, per GET /api/auth/config:
//   local  -> agent id + supervisor box, POST /api/auth/local/token (development sign-in of local mode)
//   entra  -> in Teams (?host=teams): Teams SSO; in a browser: authorization code + PKCE redirect (pkce.js)
import { apiOrigin } from './api.js';
import { beginSignIn, completeSignIn } from './pkce.js';
import { isTeamsHost, teamsToken } from './teams.js';

const storageKey = 'cc-agent-session';

export async function loadAuthConfig() {
  const response = await fetch(apiOrigin() + '/api/auth/config', { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`GET /api/auth/config answered ${response.status}.`);
  return response.json();
}

export function savedSession() {
  const session = JSON.parse(sessionStorage.getItem(storageKey) ?? 'null');
  if (session?.expiresOn && Date.parse(session.expiresOn) < Date.now() + 30_000) return null;
  return session;
}

export function saveSession(session) {
  sessionStorage.setItem(storageKey, JSON.stringify(session));
  return session;
}

export function forgetSession() {
  sessionStorage.removeItem(storageKey);
}

/** Local mode: a development token for the typed agent id (POST /api/auth/local/token). */
export async function signInLocally(agentId, supervisor) {
  const response = await fetch(apiOrigin() + '/api/auth/local/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ agentId, supervisor }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.detail ?? body.title ?? `Sign-in failed (${response.status}).`);
  return saveSession({ ...body, mode: 'local' });
}

/** Entra ID: Teams SSO inside Teams; elsewhere the PKCE redirect (returns null while the browser goes to sign in). */
export async function signInWithEntra(config, { interactive }) {
  let token;
  if (isTeamsHost()) {
    token = { accessToken: await teamsToken(), expiresOn: null, teams: true };
  } else {
    token = await completeSignIn(config);
    if (!token) {
      if (interactive) await beginSignIn(config);
      return null;
    }
  }
  const me = await fetch(apiOrigin() + '/api/auth/me', { headers: { authorization: `Bearer ${token.accessToken}`, accept: 'application/json' } });
  const body = await me.json().catch(() => ({}));
  if (!me.ok) throw new Error(body.detail ?? `The API refused the token (${me.status}).`);
  return saveSession({ ...token, agentId: body.agentId, name: body.name, roles: body.roles ?? [], mode: 'entra' });
}

/** The bearer for the next call: in Teams always a fresh SSO token, elsewhere the session's. */
export async function currentToken(session) {
  if (session?.teams) return teamsToken();
  return session?.accessToken ?? null;
}
