// Keeps credentials out of every message the client produces: Jira (or a proxy) may echo
// a request back, and a key or password may sit in a path the user typed.
import { JiraError } from '../core/jira-error.js';

/** Replaces every occurrence of the secrets (and their URL-encoded forms) with ****. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      if (form.length > 0) out = out.split(form).join('****');
    }
  }
  return out;
}

/** A copy of the error with every secret removed from its message, messages and field errors. */
export function redactError(error: JiraError, secrets: readonly string[]): JiraError {
  if (secrets.length === 0) return error;
  const fieldErrors: Record<string, string> = {};
  for (const [field, msg] of Object.entries(error.fieldErrors)) fieldErrors[redactText(field, secrets)] = redactText(msg, secrets);
  return new JiraError({
    status: error.status,
    message: redactText(error.message, secrets),
    retryable: error.retryable,
    retryAfterMs: error.retryAfterMs,
    rateLimitReason: error.rateLimitReason,
    messages: error.messages.map((m) => redactText(m, secrets)),
    fieldErrors,
    cause: error.cause_,
  });
}
