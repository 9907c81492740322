// The OS keychain through keytar (a D-Bus Secret Service on Linux). keytar is optional and
// the keychain is often absent on a headless server, so every failure here becomes a
// *reason* the caller can show, never a crash:
//  - keytar not installed or not built → the import fails;
//  - no D-Bus session, no Secret Service → keytar rejects;
//  - a D-Bus call can hang (a prompter waiting for a display) → every call is bounded;
//  - a locked keyring makes getPassword answer null silently → a write is read back.
// findCredentials is never used: on a locked gnome-keyring it crashes the process (SIGSEGV,
// seen with keytar 7.9 and gnome-keyring 42), so the one entry has a fixed account name.

/** The part of keytar jiraline uses; tests pass fakes that behave like a locked or absent keyring. */
export interface KeychainBackend {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

/** A keychain answer, or why the keychain did not answer. */
export type KeychainResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/** The keychain entry: service "jiraline", one fixed account holding the encoded credential. */
export const KEYCHAIN_SERVICE = 'jiraline';
/** Account name of the single entry (the username is inside the stored value). */
export const KEYCHAIN_ACCOUNT = 'credentials';
/** What the keychain is called on this platform, so a reason says what did not answer. */
export const KEYCHAIN_NAME = process.platform === 'darwin' ? 'macOS Keychain'
  : process.platform === 'win32' ? 'Windows Credential Manager' : 'D-Bus Secret Service';
/** Default bound on each keychain call. */
export const DEFAULT_KEYCHAIN_TIMEOUT_MS = 3000;

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.split('\n')[0].trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/** Imports keytar if it is there and loads; otherwise says why (missing module, missing libsecret …). */
// The module name is held in a variable so that TypeScript does not resolve it: keytar is
// optional, and the build and typecheck must pass on a machine where npm left it out. The
// part of its API jiraline uses is declared above (KeychainBackend) and checked at run time.
const KEYTAR_MODULE: string = 'keytar';

export async function loadKeytar(importer: () => Promise<unknown> = () => import(KEYTAR_MODULE)): Promise<KeychainResult<KeychainBackend>> {
  try {
    const mod = (await importer()) as { default?: unknown };
    const kt = (mod.default ?? mod) as Partial<KeychainBackend>;
    if (typeof kt.getPassword !== 'function' || typeof kt.setPassword !== 'function' || typeof kt.deletePassword !== 'function') {
      return { ok: false, reason: 'keytar loaded without its functions' };
    }
    return { ok: true, value: kt as KeychainBackend };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      return { ok: false, reason: 'keytar is not installed; it is optional and builds when libsecret-1-dev is present at npm install' };
    }
    return { ok: false, reason: `keytar could not load: ${firstLine(error)}` };
  }
}

class KeychainTimeout extends Error {}

// The timer is not unref'd: with a fake or an async-hung backend nothing else may hold the
// event loop, and the timeout must still fire. It is cleared as soon as the call settles.
function bounded<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new KeychainTimeout()), ms);
    promise.then(
      (v) => { clearTimeout(timer); resolve(v); },
      (e: unknown) => { clearTimeout(timer); reject(e); },
    );
  });
}

/** One keychain entry with bounded calls; each method answers a value or a reason, never throws. */
export class Keychain {
  private backend: Promise<KeychainResult<KeychainBackend>> | null = null;
  // After a timeout the keychain is not asked again by this instance: another hung call
  // would only add the same delay.
  private gaveUp: string | null = null;

  constructor(
    private readonly load: () => Promise<KeychainResult<KeychainBackend>>,
    private readonly timeoutMs = DEFAULT_KEYCHAIN_TIMEOUT_MS,
  ) {}

  private async call<T>(op: (kt: KeychainBackend) => Promise<T>, scrub: string | null = null): Promise<KeychainResult<T>> {
    if (this.gaveUp !== null) return { ok: false, reason: this.gaveUp };
    this.backend ??= this.load();
    const backend = await this.backend;
    if (!backend.ok) return backend;
    try {
      return { ok: true, value: await bounded(op(backend.value), this.timeoutMs) };
    } catch (error) {
      if (error instanceof KeychainTimeout) {
        this.gaveUp = `${KEYCHAIN_NAME}: no answer within ${this.timeoutMs} ms`;
        return { ok: false, reason: this.gaveUp };
      }
      let reason = `${KEYCHAIN_NAME}: ${firstLine(error)}`;
      // A backend error should never quote what was being written, but make sure.
      if (scrub) reason = reason.split(scrub).join('****');
      return { ok: false, reason };
    }
  }

  /** The stored value, null when there is none (or when a locked keyring hides it). */
  read(): Promise<KeychainResult<string | null>> {
    return this.call((kt) => kt.getPassword(KEYCHAIN_SERVICE, KEYCHAIN_ACCOUNT));
  }

  /** Stores the value and reads it back: a keyring that did not keep it (locked) is a failure. */
  async write(value: string): Promise<KeychainResult<void>> {
    const set = await this.call((kt) => kt.setPassword(KEYCHAIN_SERVICE, KEYCHAIN_ACCOUNT, value), value);
    if (!set.ok) return set;
    const back = await this.read();
    if (!back.ok) return back;
    if (back.value !== value) return { ok: false, reason: 'the keyring did not keep the secret (is it locked?)' };
    return { ok: true, value: undefined };
  }

  /** Deletes the entry; true when there was one. */
  remove(): Promise<KeychainResult<boolean>> {
    return this.call((kt) => kt.deletePassword(KEYCHAIN_SERVICE, KEYCHAIN_ACCOUNT));
  }
}
