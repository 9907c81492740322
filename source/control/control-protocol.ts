// The control channel between a running engine and the apps attached to it (see
// docs/protocol.md): newline-delimited JSON over a Unix domain socket. The client opens
// with a hello naming the protocol version; the engine answers with its own hello and the
// state to draw from, then requests get replies by id and the engine pushes updates
// (snapshot, settings, events), batched to at most one every UPDATE_INTERVAL_MS.
import type { SettingsState } from '../daemon/shared-settings.js';
import type { EngineEvent, EngineSnapshot } from '../core/engine-api.js';
import type { FieldDef, LogQuery, LogRow } from '../core/ports.js';

/** The protocol version both sides must speak. */
export const PROTOCOL_VERSION = 1;

/** At most one update a client per this many ms (~20 a second), however fast lines arrive. */
export const UPDATE_INTERVAL_MS = 50;

/** The longest message either side accepts (a config with a large template fits many times). */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

/** The most log rows one request returns: the log travels a window at a time. */
export const MAX_LOG_WINDOW = 500;

/** The log rows of a request that names no limit. */
export const DEFAULT_LOG_WINDOW = 50;

/** The client name `jiraline status` says hello with (it is not listed as an attached app). */
export const STATUS_CLIENT = 'jiraline-status';

/** Who runs the engine. */
export type EngineFace = 'daemon' | 'app';

/** What an engine says about itself (hello, `jiraline status`). */
export interface EngineInfo {
  pid: number;
  version: string;
  /** When the engine started (ms epoch). */
  since: number;
  face: EngineFace;
  dataDir: string;
  socket: string;
}

/** The engine's snapshot without the field catalogue (sent apart, only when it changes). */
export type WireSnapshot = Omit<EngineSnapshot, 'catalogue'>;

/** Everything an attached app draws from at start. */
export interface HelloState {
  snapshot: WireSnapshot;
  catalogue: FieldDef[] | null;
  settings: SettingsState;
  demo: boolean;
  jiraUrl: string | null;
  listenAddress: string | null;
  /** The Advanced socket listens where other machines can reach it: guarded by the socketToken, or not (null: loopback or off). */
  remoteListen?: null | 'token' | 'unauthenticated';
  apiVersion: 2 | 3;
  warnings: string[];
}

/** Client → engine. */
export type ClientMessage =
  /** `events: false`: send this client no engine events in its updates (it can ask for them later with `watchEvents`). */
  | { type: 'hello'; version: number; client?: string; pid?: number; events?: boolean }
  | { type: 'request'; id: number; method: string; params?: unknown };

/** Engine → client. */
export type ServerMessage =
  | { type: 'hello'; version: number; engine: EngineInfo; state: HelloState }
  | { type: 'reply'; id: number; ok: true; result: unknown }
  | { type: 'reply'; id: number; ok: false; error: string }
  /** `log`: the rows of the window the client last asked (brief), at this update's log version. */
  | { type: 'update'; snapshot?: WireSnapshot; catalogue?: FieldDef[] | null; settings?: SettingsState; events?: EngineEvent[]; eventsDropped?: number; log?: { query: LogQuery; rows: LogRow[] } }
  /** A message the engine could not take; the connection stays open unless `closing`. */
  | { type: 'error'; error: string; closing?: boolean };

/** One apps attached to an engine, as `jiraline status` lists them. */
export interface AttachedClient {
  client: string;
  pid: number | null;
  since: number;
}

/** What `status` (the control request) answers. */
export interface EngineStatusReport {
  engine: EngineInfo;
  snapshot: WireSnapshot;
  clients: AttachedClient[];
  listenAddress: string | null;
  /** As in HelloState; absent from an engine older than this field. */
  remoteListen?: null | 'token' | 'unauthenticated';
  jiraUrl: string | null;
  demo: boolean;
}

/** The snapshot as sent: everything but the catalogue. */
export function wireSnapshot(snapshot: EngineSnapshot): WireSnapshot {
  const { catalogue: _catalogue, ...rest } = snapshot;
  return rest;
}
