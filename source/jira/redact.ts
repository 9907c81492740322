// Keeps credentials out of every message the client produces: Jira (or a proxy) may echo
// a request back, and a key or password may sit in a path the user typed. Masking comes
// before any cut: a message cut first could keep the first half of a secret, which the
// masking would then no longer recognise.
import { JiraError } from '../core/jira-error.js';

// The forms of the secrets in use, worked out once: every answer is masked (its path and body
// for the Responses view too), and building them per answer showed in the engine's profile.
const formsCache = new Map<string, string[]>();

/** The forms a secret can take in an answer: as it is, URL-encoded, JSON-escaped. */
function formsOf(secret: string): string[] {
  let forms = formsCache.get(secret);
  if (forms === undefined) {
    forms = [...new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])].filter((f) => f.length > 0);
    // Credentials change rarely; a bound keeps replaced ones from piling up.
    if (formsCache.size >= 64) formsCache.clear();
    formsCache.set(secret, forms);
  }
  return forms;
}

/** Replaces every occurrence of the secrets (and their URL-encoded and JSON-escaped forms) with ****. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    for (const form of formsOf(secret)) if (out.includes(form)) out = out.split(form).join('****');
  }
  return out;
}

/**
 * Like redactText, for a text that was cut off at its end (an answer read only up to its cap):
 * an end that is the beginning of a secret is masked too, since the cut left only part of it.
 */
export function redactCutText(text: string, secrets: readonly string[]): string {
  let out = redactText(text, secrets);
  for (const secret of secrets) {
    for (const form of formsOf(secret)) {
      for (let n = Math.min(form.length - 1, out.length); n >= 2; n -= 1) {
        if (out.endsWith(form.slice(0, n))) {
          out = `${out.slice(0, out.length - n)}****`;
          break;
        }
      }
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
