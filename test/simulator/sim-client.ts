// A tiny HTTP helper for the simulator tests: undici request with Basic credentials
// and JSON in and out.
import { request } from 'undici';

/** One answer: status, headers and the body (parsed when JSON, else text; null when empty). */
export interface Answer { status: number; headers: Record<string, string | string[] | undefined>; body: any }

/** Sends a request to the simulator; `auth` null sends no Authorization header. */
export async function call(base: string, method: string, path: string, body?: unknown,
  options: { auth?: string | null; headers?: Record<string, string> } = {}): Promise<Answer> {
  const headers: Record<string, string> = { accept: 'application/json', ...(options.headers ?? {}) };
  if (options.auth !== null) headers.authorization = options.auth ?? `Basic ${Buffer.from('ops-bot:s3cret').toString('base64')}`;
  if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  const res = await request(`${base}${path}`, {
    method: method as 'GET', headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.body.text();
  const type = String(res.headers['content-type'] ?? '');
  return { status: res.statusCode, headers: res.headers, body: text === '' ? null : type.includes('json') ? JSON.parse(text) : text };
}

/** A valid create body for project OPS. */
export function createBody(extra: Record<string, unknown> = {}, issuetype = 'Incident'): { fields: Record<string, unknown> } {
  return { fields: { project: { key: 'OPS' }, issuetype: { name: issuetype }, summary: 'Disk full on db-1', ...extra } };
}
