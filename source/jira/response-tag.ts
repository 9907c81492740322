// Which command a request to Jira is made for, carried from the engine's call to the answer
// (the transport records every answer, and the Responses view finds a log row's answers by it).
// The engine's call and the request it leads to are one chain of awaits: an async-local value
// follows it wherever the pacer lets it start.
import { AsyncLocalStorage } from 'node:async_hooks';

const tags = new AsyncLocalStorage<number>();

/** Runs `call` with its requests tagged (a command id). */
export function withResponseTag<T>(tag: number, call: () => Promise<T>): Promise<T> {
  return tags.run(tag, call);
}

/** The tag of the request being answered, or null when it was made for no command. */
export function currentResponseTag(): number | null {
  return tags.getStore() ?? null;
}
