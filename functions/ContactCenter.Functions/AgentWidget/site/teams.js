// In the Teams tab (?host=teams): Teams SSO. teams-js (npm @microsoft/teams-js, embedded by the app at lib/) gives a
// token for the app registration named in the manifest's webApplicationInfo; the API accepts it as the bearer.

let initialized = null;

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.onload = resolve;
    script.onerror = () => reject(new Error(`Could not load ${src}: the app was built without the npm browser bundles (run npm ci).`));
    document.head.append(script);
  });
}

export function isTeamsHost() {
  return new URLSearchParams(location.search).get('host') === 'teams';
}

export async function initializeTeams() {
  initialized ??= (async () => {
    await loadScript('lib/teams-js.min.js');
    await window.microsoftTeams.app.initialize();
    return window.microsoftTeams;
  })();
  return initialized;
}

/** A fresh SSO token (teams-js caches and renews it). */
export async function teamsToken() {
  const teams = await initializeTeams();
  return teams.authentication.getAuthToken();
}
