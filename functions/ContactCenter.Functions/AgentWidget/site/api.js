// The console's only way to the server: JSON over fetch with the agent's bearer token on every call.
// Errors are RFC 7807 problem+json; ApiError keeps their title and detail so the console can show them as they are.

export class ApiError extends Error {
  constructor(status, title, detail) {
    super(detail || title || `HTTP ${status}`);
    this.status = status;
    this.title = title;
  }
}

/** The app's origin: the console is served at /agent/ (local mode) or /api/agent/ (Functions host), the API at /api. */
export function apiOrigin() {
  return location.origin;
}

export function createApi({ getToken, onUnauthorized }) {
  async function request(method, path, body) {
    const headers = { accept: 'application/json' };
    const token = await getToken();
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(apiOrigin() + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON: keep the text for the message */ }
    if (!response.ok) {
      if (response.status === 401 && onUnauthorized) onUnauthorized();
      throw new ApiError(response.status, json?.title ?? response.statusText, json?.detail ?? describeErrors(json) ?? text);
    }
    return json;
  }

  return {
    get: (path) => request('GET', path),
    post: (path, body = {}) => request('POST', path, body),
    put: (path, body) => request('PUT', path, body),
    request,
  };
}

// Validation problems carry their messages in "errors": {field: [messages]}.
function describeErrors(json) {
  if (!json?.errors) return null;
  return Object.entries(json.errors).map(([field, messages]) => `${field}: ${[].concat(messages).join(' ')}`).join('; ');
}

/** True when the server does not have this endpoint: the console then falls back to what it has. */
export function isMissing(error) {
  return error instanceof ApiError && (error.status === 404 || error.status === 405);
}

export const enc = encodeURIComponent;
