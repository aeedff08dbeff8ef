// The JSON API client: same-origin cookies, the CSRF header on every write, and one error type
// carrying the API's {code, message, fields}.

let csrf = null;
const listeners = new Set();

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message || `Request failed (${status})`);
    this.status = status;
    this.code = body?.error?.code || 'error';
    this.fields = body?.error?.fields || {};
    this.counts = body?.error?.counts || null; /* release_incomplete: what the guard found */
    this.currentVersion = body?.error?.current_version ?? null; /* precondition_failed */
  }
}

export function setCsrf(token) { csrf = token; }
/** Called with no argument whenever the server says the session is gone. */
export function onUnauthenticated(fn) { listeners.add(fn); }

export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  let res;
  try {
    res = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, { error: { code: 'network', message: 'Cannot reach the server. Check your connection and try again.' } });
  }
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!res.ok) {
    const err = new ApiError(res.status, json);
    if (res.status === 401 && path !== '/api/v1/session') for (const fn of listeners) fn();
    throw err;
  }
  return json;
}

/** Sends a file (a Blob) as the raw body with its content type; JSON back, ApiError on failure. */
export async function sendBlob(method, path, blob, type) {
  let res;
  try {
    res = await fetch(path, { method, credentials: 'same-origin', headers: { 'Content-Type': type, 'X-CSRF-Token': csrf || '', Accept: 'application/json' }, body: blob });
  } catch {
    throw new ApiError(0, { error: { code: 'network', message: 'Cannot reach the server. Check your connection and try again.' } });
  }
  const json = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, json);
  return json;
}

export const get = (p) => api('GET', p);
export const post = (p, b) => api('POST', p, b ?? {});
export const patch = (p, b) => api('PATCH', p, b);
export const put = (p, b) => api('PUT', p, b);
export const del = (p) => api('DELETE', p);

/** Query string from an object, skipping empty values. */
export function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, v);
  const s = u.toString();
  return s ? '?' + s : '';
}
