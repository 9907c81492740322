// The updates pushed to attached apps, built once for all of them: apps in step get the
// same bytes; an app that attached during a window, or whose buffer was full at an update,
// still gets every event it is owed exactly once (or counted as dropped past the cap), and
// unchanged parts are not sent again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_EVENTS_PER_UPDATE, UpdateBuilder, type UpdateState } from '../../source/control/control-updates.js';
import type { EngineEvent, EngineSnapshot } from '../../source/core/engine-api.js';
import type { SettingsState } from '../../source/daemon/shared-settings.js';

const event = (i: number): EngineEvent => ({ type: 'accepted', guid: `G${i}`, action: 'Create', commandId: i });
const snapshotOf = (logCount: number): EngineSnapshot => ({ logCount, catalogue: null } as unknown as EngineSnapshot);
const settings = { config: { marker: 1 } } as unknown as SettingsState;

interface Update { snapshot?: { logCount: number }; settings?: unknown; catalogue?: unknown; events?: EngineEvent[]; eventsDropped?: number }

function parse(bytes: Buffer | undefined): Update | undefined {
  if (bytes === undefined) return undefined;
  const text = bytes.toString('utf8');
  assert.ok(text.endsWith('\n'), 'one message per line');
  const message = JSON.parse(text) as Update & { type: string };
  assert.equal(message.type, 'update');
  return message;
}

test('apps in step get the same update, each event once, and nothing when nothing changed', () => {
  const builder = new UpdateBuilder();
  const apps = [builder.join(), builder.join(), builder.join()];
  const snapshot = snapshotOf(1);
  for (let i = 0; i < 5; i++) builder.add(event(i));
  const out = builder.flush(apps.map((state) => ({ state, sendable: true, events: true })), { snapshot, settings: () => settings });
  const first = out.get(apps[0]);
  assert.ok(first);
  for (const app of apps) assert.equal(out.get(app)?.toString(), first.toString());
  const update = parse(first)!;
  assert.deepEqual(update.events?.map((e) => (e as { guid: string }).guid), ['G0', 'G1', 'G2', 'G3', 'G4']);
  assert.equal(update.snapshot?.logCount, 1);
  assert.equal(update.catalogue, null, 'the catalogue once, the first time');
  assert.equal(update.settings, undefined);

  // Nothing changed: no update at all.
  const again = builder.flush(apps.map((state) => ({ state, sendable: true, events: true })), { snapshot, settings: () => settings });
  assert.equal(again.size, 0);

  // Only the settings changed: the snapshot and catalogue are not sent again.
  for (const app of apps) app.settingsDirty = true;
  const third = parse(builder.flush(apps.map((state) => ({ state, sendable: true, events: true })), { snapshot, settings: () => settings }).get(apps[1]))!;
  assert.deepEqual(third.settings, settings);
  assert.equal(third.snapshot, undefined);
  assert.equal('catalogue' in third, false);
  assert.equal(third.events, undefined);
});

test('an app attached during a window gets the events from then on, the others all of them', () => {
  const builder = new UpdateBuilder();
  const early = builder.join();
  builder.add(event(0));
  builder.add(event(1));
  const late = builder.join();
  builder.add(event(2));
  const out = builder.flush([{ state: early, sendable: true, events: true }, { state: late, sendable: true, events: true }], { snapshot: snapshotOf(3), settings: () => settings });
  assert.deepEqual(parse(out.get(early))!.events?.map((e) => (e as { guid: string }).guid), ['G0', 'G1', 'G2']);
  assert.deepEqual(parse(out.get(late))!.events?.map((e) => (e as { guid: string }).guid), ['G2']);
  // From the next window on, both are in step again.
  builder.add(event(3));
  const next = builder.flush([{ state: early, sendable: true, events: true }, { state: late, sendable: true, events: true }], { snapshot: snapshotOf(4), settings: () => settings });
  assert.equal(next.get(early)?.toString(), next.get(late)?.toString());
});

test('an app whose buffer was full keeps what it is owed, bounded: the cap in events, the rest counted', () => {
  const builder = new UpdateBuilder();
  const reading = builder.join();
  const stuck: UpdateState = builder.join();
  let emitted = 0;
  let readingSaw = 0;
  // Three windows while the stuck app cannot take updates: more events than the cap.
  for (let w = 0; w < 3; w++) {
    for (let i = 0; i < 150; i++) builder.add(event(emitted++));
    const out = builder.flush([{ state: reading, sendable: true, events: true }, { state: stuck, sendable: false, events: true }], { snapshot: snapshotOf(emitted), settings: () => settings });
    assert.equal(out.has(stuck), false, 'nothing written to a full buffer');
    const update = parse(out.get(reading))!;
    readingSaw += (update.events?.length ?? 0) + (update.eventsDropped ?? 0);
    assert.ok(stuck.carried.length <= MAX_EVENTS_PER_UPDATE, 'bounded while stuck');
  }
  assert.equal(readingSaw, emitted);
  // It drains: one update with the latest snapshot, the first events it missed, and the count of the rest.
  builder.add(event(emitted++));
  const out = builder.flush([{ state: reading, sendable: true, events: true }, { state: stuck, sendable: true, events: true }], { snapshot: snapshotOf(emitted), settings: () => settings });
  const caughtUp = parse(out.get(stuck))!;
  assert.equal(caughtUp.snapshot?.logCount, emitted);
  assert.equal(caughtUp.events?.length, MAX_EVENTS_PER_UPDATE);
  assert.equal((caughtUp.events?.[0] as { guid: string }).guid, 'G0', 'in order, from the first it missed');
  assert.equal(caughtUp.events!.length + caughtUp.eventsDropped!, emitted, 'every event sent or counted, none twice');
  // And it is in step again afterwards.
  builder.add(event(emitted++));
  const after = builder.flush([{ state: reading, sendable: true, events: true }, { state: stuck, sendable: true, events: true }], { snapshot: snapshotOf(emitted), settings: () => settings });
  assert.equal(after.get(stuck)?.toString(), after.get(reading)?.toString());
});

test('a window left open when every app went away is not charged to the next app', () => {
  const builder = new UpdateBuilder();
  builder.join();
  for (let i = 0; i < MAX_EVENTS_PER_UPDATE + 5; i++) builder.add(event(i));
  builder.discard();
  const next = builder.join();
  builder.add(event(999));
  const update = parse(builder.flush([{ state: next, sendable: true, events: true }], { snapshot: snapshotOf(1), settings: () => settings }).get(next))!;
  assert.deepEqual(update.events?.map((e) => (e as { guid: string }).guid), ['G999']);
  assert.equal(update.eventsDropped, undefined);
});

test('more events in one window than the cap: the cap is sent, the rest counted, alike for every app', () => {
  const builder = new UpdateBuilder();
  const apps = [builder.join(), builder.join()];
  for (let i = 0; i < MAX_EVENTS_PER_UPDATE + 37; i++) builder.add(event(i));
  const out = builder.flush(apps.map((state) => ({ state, sendable: true, events: true })), { snapshot: snapshotOf(1), settings: () => settings });
  const update = parse(out.get(apps[1]))!;
  assert.equal(update.events?.length, MAX_EVENTS_PER_UPDATE);
  assert.equal(update.eventsDropped, 37);
  assert.equal(out.get(apps[0])?.toString(), out.get(apps[1])?.toString());
});

test('an app that wants no events gets the state without them, and events from when it asks for them', () => {
  const builder = new UpdateBuilder();
  const listening = builder.join();
  const app = builder.join();
  builder.add(event(0));
  builder.add(event(1));
  const targets = (appEvents: boolean) => [{ state: listening, sendable: true, events: true }, { state: app, sendable: true, events: appEvents }];
  const snapshot = snapshotOf(2);
  const out = builder.flush(targets(false), { snapshot, settings: () => settings });
  const plain = parse(out.get(app))!;
  assert.equal(plain.snapshot?.logCount, 2, 'the state still comes');
  assert.equal(plain.events, undefined, 'but no event');
  assert.equal(parse(out.get(listening))!.events?.length, 2);
  // Only events in a window: nothing for the app, something for the listener.
  builder.add(event(2));
  const quiet = builder.flush(targets(false), { snapshot, settings: () => settings });
  assert.equal(quiet.has(app), false, 'no update of events it does not want');
  assert.equal(quiet.has(listening), true);
  // It asks for events in the middle of a window: the ones after that, none from before.
  builder.add(event(3));
  builder.watch(app);
  builder.add(event(4));
  const watched = builder.flush(targets(true), { snapshot: snapshotOf(5), settings: () => settings });
  assert.deepEqual(parse(watched.get(app))!.events?.map((e) => (e as { guid: string }).guid), ['G4']);
  assert.deepEqual(parse(watched.get(listening))!.events?.map((e) => (e as { guid: string }).guid), ['G3', 'G4']);
});

test('the watched log window goes with a new snapshot, made once per window, and apps watching the same one share the bytes', () => {
  const builder = new UpdateBuilder();
  const [a, b, c] = [builder.join(), builder.join(), builder.join()];
  let made = 0;
  const window = (key: string) => ({ key, json: () => {
    made += 1;
    return `{"query":${key},"rows":[]}`;
  } });
  const top = window('{"offset":0}');
  const shared = new Map<string, string>();
  const memo = (w: ReturnType<typeof window>) => ({ key: w.key, json: () => shared.get(w.key) ?? (shared.set(w.key, w.json() as string), shared.get(w.key) as string) });
  const snapshot = snapshotOf(1);
  const targets = [
    { state: a, sendable: true, events: false, log: memo(top) },
    { state: b, sendable: true, events: false, log: memo(top) },
    { state: c, sendable: true, events: false, log: memo(window('{"offset":30}')) },
  ];
  const out = builder.flush(targets, { snapshot, settings: () => settings });
  assert.equal(out.get(a)?.toString(), out.get(b)?.toString(), 'the same window, the same bytes');
  assert.deepEqual((parse(out.get(a)) as { log?: unknown }).log, { query: { offset: 0 }, rows: [] });
  assert.deepEqual((parse(out.get(c)) as { log?: unknown }).log, { query: { offset: 30 }, rows: [] });
  assert.equal(made, 2, 'each window read once');
  // No new snapshot (only settings): no rows.
  a.settingsDirty = true;
  const next = builder.flush(targets, { snapshot, settings: () => settings });
  assert.equal((parse(next.get(a)) as { log?: unknown }).log, undefined);
  assert.equal(made, 2);
});
