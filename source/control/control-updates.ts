// The updates the engine pushes to attached apps, built once for all of them. Every app in
// step gets the same bytes: the snapshot, the settings, the catalogue and the events of the
// window are serialised once per update and encoded once, not once per app. Only an app
// that attached during the window, or missed an update because its buffer was full, gets a
// message of its own (its events differ).
//
// Events go only to the apps that asked for them (the app's panes draw from the snapshot and
// the log, and listen to no event, so it says hello with `events: false`): at a thousand
// lines a second a window holds up to 200 events, which every app would otherwise parse
// twenty times a second for nothing.
//
// Memory stays bounded per app: the events of the open window are held once for everyone,
// and an app that misses updates carries at most MAX_EVENTS_PER_UPDATE of its own (the rest
// are counted as dropped, and the next update it gets says how many).
import type { EngineEvent, EngineSnapshot } from '../core/engine-api.js';
import type { FieldDef } from '../core/ports.js';
import type { SettingsState } from '../daemon/shared-settings.js';
import { wireSnapshot } from './control-protocol.js';

/** Events carried by one update; more in one window are counted, not sent. */
export const MAX_EVENTS_PER_UPDATE = 200;

/** The events since the last update (one window), shared by every app. */
interface EventWindow {
  events: EngineEvent[];
  /** Events past MAX_EVENTS_PER_UPDATE in this window: counted only. */
  dropped: number;
  /** The events as JSON, made once when the first app in step is sent them. */
  json: string | null;
}

/** What the builder keeps per app. */
export interface UpdateState {
  /** Set while the app attached in the middle of a window: it is owed the events past `from` (dropped ones counted). */
  joined: { window: EventWindow; from: number } | null;
  /** Events of windows the app was not sent (it was not reading), at most the cap. */
  carried: EngineEvent[];
  carriedDropped: number;
  /** What the app was last sent, by identity: unchanged parts are not sent again. */
  snapshotSent: EngineSnapshot | null;
  catalogueSent: FieldDef[] | null | undefined;
  /** The settings changed since its last update. */
  settingsDirty: boolean;
}

/** One app's part of a flush: whether to send it anything now, and its state. */
export interface UpdateTarget {
  state: UpdateState;
  /** False while its hello is not done or its buffer is full: it keeps what it is owed. */
  sendable: boolean;
  /** Whether it wants the engine's events (else it is sent the state only, and owed no event). */
  events: boolean;
  /**
   * The log window it watches: sent with every update that carries a new snapshot, as
   * `"log":` + json() (made once per key for every app watching the same window; null:
   * not to be had now, the app asks as before).
   */
  log?: { key: string; json: () => string | null } | null;
}

/** The engine's state as one flush sees it. */
export interface FlushInput {
  snapshot: EngineSnapshot;
  settings: () => SettingsState;
}

/** Events of the open window, and the messages of one flush, made once for every app. */
export class UpdateBuilder {
  private open: EventWindow | null = null;

  /** The state of an app that connects now: owed the events from now on. */
  join(): UpdateState {
    return {
      joined: this.open ? { window: this.open, from: this.open.events.length + this.open.dropped } : null,
      carried: [], carriedDropped: 0, snapshotSent: null, catalogueSent: undefined, settingsDirty: false,
    };
  }

  /** An app asks for events from now on (nothing from before: it was not listening). */
  watch(state: UpdateState): void {
    state.joined = this.open ? { window: this.open, from: this.open.events.length + this.open.dropped } : null;
    state.carried = [];
    state.carriedDropped = 0;
  }

  /** Every app went away: the open window is nobody's (the next app starts on a new one). */
  discard(): void {
    this.open = null;
  }

  /** An event for every app. */
  add(event: EngineEvent): void {
    this.open ??= { events: [], dropped: 0, json: null };
    if (this.open.events.length < MAX_EVENTS_PER_UPDATE) this.open.events.push(event);
    else this.open.dropped += 1;
  }

  /**
   * Closes the window and returns the bytes to write to each sendable app that has
   * something new (apps in step share one Buffer); the others keep their events for later.
   */
  flush(targets: Iterable<UpdateTarget>, input: FlushInput): Map<UpdateState, Buffer> {
    const window = this.open;
    this.open = null;
    const out = new Map<UpdateState, Buffer>();
    const { snapshot } = input;
    // Each part is serialised at most once, when the first app needs it.
    let snapshotJson: string | undefined;
    let catalogueJson: string | undefined;
    let settingsJson: string | undefined;
    const shared = new Map<string, Buffer>();
    for (const { state, sendable, events, log } of targets) {
      const from = state.joined && state.joined.window === window ? state.joined.from : 0;
      state.joined = null;
      // An app that wants no events is owed none: it is in step whatever the window holds.
      const mine = events ? window : null;
      if (!sendable) {
        carry(state, mine, from);
        continue;
      }
      const withSnapshot = state.snapshotSent !== snapshot;
      const withCatalogue = state.catalogueSent !== snapshot.catalogue;
      const withSettings = state.settingsDirty;
      const inStep = state.carried.length === 0 && state.carriedDropped === 0 && (from === 0 || mine === null);
      const hasEvents = mine !== null && from < mine.events.length + mine.dropped;
      if (!withSnapshot && !withCatalogue && !withSettings && !hasEvents && state.carried.length === 0 && state.carriedDropped === 0) continue;
      state.snapshotSent = snapshot;
      state.catalogueSent = snapshot.catalogue;
      state.settingsDirty = false;
      let text = '{"type":"update"';
      if (withSnapshot) text += `,"snapshot":${(snapshotJson ??= JSON.stringify(wireSnapshot(snapshot)))}`;
      if (withCatalogue) text += `,"catalogue":${(catalogueJson ??= JSON.stringify(snapshot.catalogue))}`;
      if (withSettings) text += `,"settings":${(settingsJson ??= JSON.stringify(input.settings()))}`;
      const logJson = withSnapshot && log ? log.json() : null;
      if (logJson !== null) text += `,"log":${logJson}`;
      if (inStep) {
        const key = `${withSnapshot ? 1 : 0}${withCatalogue ? 1 : 0}${withSettings ? 1 : 0}${mine ? 1 : 0}${logJson !== null && log ? log.key : ''}`;
        let bytes = shared.get(key);
        if (!bytes) {
          if (mine && mine.events.length > 0) text += `,"events":${(mine.json ??= JSON.stringify(mine.events))}`;
          if (mine && mine.dropped > 0) text += `,"eventsDropped":${mine.dropped}`;
          bytes = Buffer.from(`${text}}\n`);
          shared.set(key, bytes);
        }
        out.set(state, bytes);
        continue;
      }
      carry(state, mine, from);
      if (state.carried.length > 0) text += `,"events":${JSON.stringify(state.carried)}`;
      if (state.carriedDropped > 0) text += `,"eventsDropped":${state.carriedDropped}`;
      state.carried = [];
      state.carriedDropped = 0;
      out.set(state, Buffer.from(`${text}}\n`));
    }
    return out;
  }
}

/** Moves an app's share of the closed window (the events past `from`) into what it carries, up to the cap. */
function carry(state: UpdateState, window: EventWindow | null, from: number): void {
  if (window === null) return;
  const owed = window.events.length + window.dropped - from;
  if (owed <= 0) return;
  const mine = window.events.slice(Math.min(from, window.events.length));
  const room = Math.max(0, MAX_EVENTS_PER_UPDATE - state.carried.length);
  const kept = mine.slice(0, room);
  for (const event of kept) state.carried.push(event);
  state.carriedDropped += owed - kept.length;
}
