// What a route answers: a status, a JSON body (or raw text such as an HTML page), headers.
import type { ErrorCollection } from './changes.js';

/** A response to write. */
export interface Reply {
  status: number;
  /** JSON-encoded when present. */
  body?: unknown;
  /** Sent as is (an HTML error page) when present. */
  text?: string;
  headers?: Record<string, string>;
}

/** A JSON reply. */
export function json(status: number, body: unknown, headers?: Record<string, string>): Reply {
  return { status, body, headers };
}

/** Jira's error body: {errorMessages, errors}. */
export function jiraError(status: number, messages: string[], errors: Record<string, string> = {}, headers?: Record<string, string>): Reply {
  const body: ErrorCollection = { errorMessages: messages, errors };
  return { status, body, headers };
}

/** 404 for an issue that does not exist (Jira's wording, which also covers "no permission"). */
export function noIssue(): Reply {
  return jiraError(404, ['Issue does not exist or you do not have permission to see it.']);
}
