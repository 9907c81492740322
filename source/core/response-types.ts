// What the Responses view keeps of Jira's answers: the answer as the client hears it, and the
// row the store files it as (with the GUID and log row it was for). See
// docs/architecture.md (Responses).

/** One answer from Jira as the client heard it; the body is its first 2 KB, secrets masked. */
export interface JiraResponse {
  /** When the request was sent (ms epoch). */
  time: number;
  method: string;
  /** Path and query from Jira's origin, secrets masked. */
  path: string;
  status: number;
  durationMs: number;
  body: string;
  /** The command the request was made for (CallOptions' tag), or null. */
  tag: number | null;
}

/** A recorded answer, as the store keeps it: with the GUID and the log row it was for. */
export interface ResponseRow extends Omit<JiraResponse, 'tag'> {
  id: number;
  guid: string | null;
  logId: number | null;
  jira?: string;
}

/** A filter for the recorded answers. */
export interface ResponseQuery {
  offset?: number;
  limit?: number;
  guid?: string;
  logId?: number;
}
