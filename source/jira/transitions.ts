// Workflow transitions: list them with the status each leads to, and move an issue to a
// status by name (an Advanced line's `status;Done`, docs/protocol.md#special-fields).
import { JiraError } from '../core/jira-error.js';
import type { Transition } from '../core/ports.js';
import { getIssue } from './issues.js';
import { expectObject } from './server.js';
import type { Transport } from './transport.js';
import { keySegment, type JiraEndpoint } from './urls.js';
import { ANSWER_CAPS } from './answer-body.js';

/** GET {location}/{key}/transitions. */
export async function getTransitions(t: Transport, ep: JiraEndpoint, key: string): Promise<Transition[]> {
  const { json } = await t.call<unknown>({ method: 'GET', path: `${ep.issuePath}/${keySegment(key)}/transitions`, maxBytes: ANSWER_CAPS.large });
  const list = expectObject(json, 'transitions').transitions;
  if (!Array.isArray(list)) return [];
  return list.filter((x): x is Record<string, unknown> => !!x && typeof x === 'object').map((x) => {
    const to = (x.to && typeof x.to === 'object' ? x.to : {}) as Record<string, unknown>;
    const category = to.statusCategory && typeof to.statusCategory === 'object' ? (to.statusCategory as Record<string, unknown>).key : undefined;
    return { id: String(x.id ?? ''), name: String(x.name ?? ''), to: { id: String(to.id ?? ''), name: String(to.name ?? ''),
      ...(typeof category === 'string' ? { statusCategory: category.slice(0, 32) } : {}) } };
  });
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** The transition that leads to this status (by target status name; else by transition name). */
export function pickTransition(transitions: Transition[], statusName: string): Transition | undefined {
  return transitions.find((tr) => same(tr.to.name, statusName)) ?? transitions.find((tr) => same(tr.name, statusName));
}

/**
 * Applies the transition leading to `statusName`. An issue already in that status is left
 * alone (returned as a transition with an empty id): resending a line must not fail.
 * Otherwise no match is a final error listing the statuses the issue can move to.
 */
export async function transitionTo(t: Transport, ep: JiraEndpoint, key: string, statusName: string): Promise<Transition> {
  const transitions = await getTransitions(t, ep, key);
  const chosen = pickTransition(transitions, statusName);
  if (chosen) {
    await t.call({ method: 'POST', path: `${ep.issuePath}/${keySegment(key)}/transitions`, body: { transition: { id: chosen.id } }, discardBody: true });
    return chosen;
  }
  const issue = await getIssue(t, ep, key, ['status']);
  const status = issue.fields.status as { id?: unknown; name?: unknown; statusCategory?: { key?: unknown } } | undefined;
  if (status && typeof status.name === 'string' && same(status.name, statusName)) {
    const category = status.statusCategory?.key;
    return { id: '', name: '', to: { id: String(status.id ?? ''), name: status.name, ...(typeof category === 'string' ? { statusCategory: category.slice(0, 32) } : {}) } };
  }
  const targets = [...new Set(transitions.map((tr) => tr.to.name || tr.name).filter(Boolean))];
  // The whole sentence goes into messages too: the log's Error Message is built from them.
  // What the line could name instead comes first: the log's Error column is narrow.
  const from = status && typeof status.name === 'string' ? ` from "${status.name}"` : '';
  const message = targets.length > 0
    ? `status "${statusName}": name one of the available target statuses ${targets.map((s) => `"${s}"`).join(', ')} — ${key} cannot move to "${statusName}"${from}`
    : `status "${statusName}": no transition is available${from} for ${key} — check the workflow, or leave status out of the line`;
  throw new JiraError({
    status: 400,
    retryable: false,
    cause: 'no-transition',
    messages: [message],
    message,
  });
}
