// Browser sign-in with Microsoft Entra ID: the OAuth 2.0 authorization code flow with PKCE (RFC 7636), written by hand
// because MSAL.js is not available to this project offline. The console's URL must be registered as a
// "Single-page application" redirect URI of the app registration (that is what lets the browser redeem the code).

const pending = 'cc-agent-pkce';

function base64Url(bytes) {
  let binary = '';
  for (const b of new Uint8Array(bytes)) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomString(byteCount) {
  return base64Url(crypto.getRandomValues(new Uint8Array(byteCount)));
}

function redirectUri() {
  return location.origin + location.pathname;
}

function authority(config) {
  return `https://login.microsoftonline.com/${encodeURIComponent(config.tenantId || 'organizations')}/oauth2/v2.0`;
}

function scopeOf(config) {
  return [...(config.scopes ?? []), 'openid', 'profile', 'offline_access'].join(' ');
}

/** Sends the browser to the Entra authorize endpoint; it comes back to this page with ?code=&state=. */
export async function beginSignIn(config) {
  const verifier = randomString(48);
  const state = randomString(16);
  const challenge = base64Url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  sessionStorage.setItem(pending, JSON.stringify({ verifier, state, search: location.search }));
  const query = new URLSearchParams({
    client_id: config.clientId,
    response_type: 'code',
    redirect_uri: redirectUri(),
    response_mode: 'query',
    scope: scopeOf(config),
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  location.assign(`${authority(config)}/authorize?${query}`);
}

/** On the way back: redeems the code for tokens. Returns null when this page load is not a sign-in return. */
export async function completeSignIn(config) {
  const params = new URLSearchParams(location.search);
  const saved = JSON.parse(sessionStorage.getItem(pending) ?? 'null');
  if (!saved || !(params.has('code') || params.has('error'))) return null;
  sessionStorage.removeItem(pending);
  // Restore the URL the agent opened (without code and state) so a reload does not try to redeem the code again.
  history.replaceState(null, '', location.pathname + (saved.search ?? ''));
  if (params.get('state') !== saved.state) throw new Error('Sign-in failed: the answer from Microsoft Entra ID does not match this sign-in (state).');
  if (params.has('error')) throw new Error(`Sign-in failed: ${params.get('error_description') ?? params.get('error')}`);
  const response = await fetch(`${authority(config)}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: config.clientId,
      grant_type: 'authorization_code',
      code: params.get('code'),
      redirect_uri: redirectUri(),
      code_verifier: saved.verifier,
      scope: scopeOf(config),
    }),
  });
  const tokens = await response.json();
  if (!response.ok) throw new Error(`Sign-in failed: ${tokens.error_description ?? tokens.error ?? response.status}`);
  return { accessToken: tokens.access_token, expiresOn: new Date(Date.now() + tokens.expires_in * 1000).toISOString() };
}
