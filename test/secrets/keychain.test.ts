// The real keychain: keytar against gnome-keyring's Secret Service on a private D-Bus
// session (dbus-run-session), unlocked, then locked; and a dead D-Bus address. Nothing
// is skipped where keytar is installed: without the tools the test fails and says what to
// install. Where npm left keytar out (it is optional), each test says it is not applicable.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { keytarMissingReason } from './helpers/keytar-presence.js';
import { waitUntil } from '../helpers/wait-until.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const child = fileURLToPath(new URL('./helpers/keychain-child.ts', import.meta.url));
const INSTALL = 'install them with: apt-get install dbus gnome-keyring libsecret-1-dev (then npm ci, so keytar builds), or run .ci/run';

const notApplicable = { skip: keytarMissingReason() };

let home: string;
before(() => {
  if (notApplicable.skip) return;
  for (const tool of ['dbus-run-session', 'dbus-send', 'gnome-keyring-daemon']) {
    const found = spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
    assert.ok(found, `${tool} is missing: ${INSTALL}`);
  }
  home = mkdtempSync(join(tmpdir(), 'jiraline-keyring-'));
});
after(() => { if (home) rmSync(home, { recursive: true, force: true }); });

interface Run { code: number | null; stdout: string; stderr: string; result: Record<string, any>; keyringPid: number | null }

// The keyring lives in a temporary HOME, never in the user's; no DISPLAY, so no prompt can wait for one.
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, ...extra };
  for (const name of ['DISPLAY', 'WAYLAND_DISPLAY', 'XDG_DATA_HOME', 'XDG_RUNTIME_DIR', 'XDG_CONFIG_HOME', 'DBUS_SESSION_BUS_ADDRESS',
    'GNOME_KEYRING_CONTROL', 'JIRALINE_USER', 'JIRALINE_PASSWORD', 'JIRALINE_AUTH_KEY']) delete env[name];
  return { ...env, ...extra };
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    // Own process group, so a hung run can be ended whole by its PID.
    const proc = spawn(command, args, { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => { stdout += d; });
    proc.stderr.on('data', (d) => { stderr += d; });
    const guard = setTimeout(() => { try { process.kill(-proc.pid!, 'SIGKILL'); } catch { /* gone */ } }, 60_000);
    proc.on('error', reject);
    proc.on('close', (code) => {
      clearTimeout(guard);
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
      const pid = /KEYRING_PID=(\d+)/.exec(stdout)?.[1];
      resolve({ code, stdout, stderr, result: line ? JSON.parse(line.slice(7)) : {}, keyringPid: pid ? Number(pid) : null });
    });
  });
}

function alive(pid: number): boolean {
  try {
    // A zombie (state Z) has exited; only its parent's bookkeeping is left.
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

// gnome-keyring-daemon daemonizes out of dbus-run-session's reach and exits when its bus
// goes away. Wait for that; if it lingers, end it by its PID so no test leaves it behind.
async function ensureGone(pid: number): Promise<boolean> {
  await waitUntil(() => !alive(pid), 'the keyring daemon to exit', 5000, 100).catch(() => undefined);
  if (!alive(pid)) return true;
  try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
  return false;
}

// Unlock a login keyring with a known password, optionally lock it again over D-Bus, run
// the child, then report the Secret Service's PID on this private bus (exact, unlike pgrep).
function underKeyring(configDir: string, mode: string, lock: boolean): Promise<Run> {
  const script = [
    'echo -n keyring-pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null || exit 90',
    lock ? 'dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets '
      + 'org.freedesktop.Secret.Service.Lock array:objpath:/org/freedesktop/secrets/collection/login >/dev/null || exit 91' : 'true',
    `node --import tsx "${child}" "${configDir}" ${mode}; code=$?`,
    'echo "KEYRING_PID=$(dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus '
      + 'org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets | awk \'/uint32/ {print $2}\')"',
    'exit $code',
  ].join('\n');
  return run('dbus-run-session', ['--', 'sh', '-c', script], childEnv({}));
}

function explain(r: Run): string {
  return `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr.split('\n').filter((l) => !l.includes('fd limit')).join('\n')}`;
}

test('a real unlocked gnome-keyring keeps the credentials: saved, loaded from the keychain, cleared', notApplicable, async () => {
  const configDir = join(home, 'config-roundtrip');
  const r = await underKeyring(configDir, 'roundtrip', false);
  assert.ok(r.keyringPid !== null, `no Secret Service answered on the private bus: ${explain(r)}`);
  const gone = await ensureGone(r.keyringPid);
  assert.equal(r.code, 0, explain(r));
  const { saved, fileAfterSave, loaded, cleared, afterClear } = r.result;
  assert.equal(saved?.source, 'keychain',
    `save did not reach the keychain (${saved?.warning}); if it says keytar is not installed: ${INSTALL}\n${explain(r)}`);
  assert.equal(saved.warning, undefined);
  assert.equal(fileAfterSave, false, 'nothing is written to credentials.json when the keychain keeps the secret');
  assert.deepEqual(loaded, { source: 'keychain', warning: null, username: 'ops-bot', passwordMatches: true });
  assert.deepEqual(cleared, { keychain: true, file: false, environment: [] });
  assert.equal(afterClear.source, 'none');
  assert.ok(gone, 'gnome-keyring-daemon outlived its D-Bus session and had to be killed');
});

test('a locked keyring falls back to credentials.json (0600) with a warning, and loads from it', notApplicable, async () => {
  const configDir = join(home, 'config-locked');
  const r = await underKeyring(configDir, 'fallback', true);
  assert.ok(r.keyringPid !== null, `no Secret Service answered on the private bus: ${explain(r)}`);
  await ensureGone(r.keyringPid);
  assert.equal(r.code, 0, explain(r));
  const { saved, fileMode, loaded } = r.result;
  assert.equal(saved.source, 'file', explain(r));
  assert.match(saved.warning, /^no keychain answered \(.+\); credentials stored in .*credentials\.json \(mode 0600\)$/);
  assert.equal(fileMode, 0o600);
  assert.equal(loaded.source, 'file');
  assert.equal(loaded.username, 'ops-bot');
  assert.equal(loaded.passwordMatches, true);
});

test('with no D-Bus session (a dead socket) the credentials go to the file with a clear message', notApplicable, async () => {
  const configDir = join(home, 'config-nobus');
  const r = await run(process.execPath, ['--import', 'tsx', child, configDir, 'fallback'],
    childEnv({ DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(home, 'no-such-bus')}` }));
  assert.equal(r.code, 0, explain(r));
  const { saved, fileMode, loaded } = r.result;
  assert.equal(saved.source, 'file');
  assert.match(saved.warning, /^no keychain answered \(D-Bus Secret Service: .+\); credentials stored in .*credentials\.json \(mode 0600\)$/);
  assert.equal(fileMode, 0o600);
  assert.equal(loaded.source, 'file');
  assert.match(loaded.warning, /no keychain answered .*credentials read from .*credentials\.json \(mode 0600\)/);
  assert.equal(loaded.passwordMatches, true);
});
