// Issue links: POST /rest/api/2/issueLink (201, empty body). jiraline links the ticket a
// recurring alarm opened to the resolved one it replaces (docs/architecture.md#recurrence).
// API 2's body is taken by Cloud and Data Center alike (no rich-text comment rides along).
import type { Transport } from './transport.js';
import type { JiraEndpoint } from './urls.js';

/** Links two issues with a link type named as Jira names it (`Relates`, `Duplicate`, …). */
export async function linkIssues(t: Transport, ep: JiraEndpoint, type: string, inwardKey: string, outwardKey: string): Promise<void> {
  await t.call({ method: 'POST', path: `${ep.contextPath}/rest/api/2/issueLink`,
    body: { type: { name: type }, inwardIssue: { key: inwardKey }, outwardIssue: { key: outwardKey } }, discardBody: true });
}
