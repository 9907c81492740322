// Fake keytar backends that behave like the real cases seen on Linux: a working keyring,
// an absent one (keytar rejects), a locked one (writes vanish, reads answer null), and a
// hung D-Bus call (never answers).
import type { KeychainBackend } from '../../../source/secrets/index.js';

/** A working keyring; `calls` counts every call so tests can see what was asked. */
export class MemoryKeychain implements KeychainBackend {
  readonly entries = new Map<string, string>();
  calls = 0;
  async getPassword(service: string, account: string): Promise<string | null> {
    this.calls++;
    return this.entries.get(`${service}/${account}`) ?? null;
  }
  async setPassword(service: string, account: string, password: string): Promise<void> {
    this.calls++;
    this.entries.set(`${service}/${account}`, password);
  }
  async deletePassword(service: string, account: string): Promise<boolean> {
    this.calls++;
    return this.entries.delete(`${service}/${account}`);
  }
}

/** keytar with no D-Bus session: every call rejects, as libsecret does. */
export class AbsentKeychain implements KeychainBackend {
  calls = 0;
  private fail(): Promise<never> {
    this.calls++;
    return Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY'));
  }
  getPassword(): Promise<string | null> { return this.fail(); }
  setPassword(): Promise<void> { return this.fail(); }
  deletePassword(): Promise<boolean> { return this.fail(); }
}

/** A locked keyring as keytar reports it: set resolves, get answers null, delete false. */
export class LockedKeychain implements KeychainBackend {
  calls: string[] = [];
  async getPassword(): Promise<string | null> { this.calls.push('get'); return null; }
  async setPassword(): Promise<void> { this.calls.push('set'); }
  async deletePassword(): Promise<boolean> { this.calls.push('delete'); return false; }
}

/** A D-Bus call that never returns. */
export class HungKeychain implements KeychainBackend {
  calls = 0;
  private hang<T>(): Promise<T> {
    this.calls++;
    return new Promise<T>(() => {});
  }
  getPassword(): Promise<string | null> { return this.hang(); }
  setPassword(): Promise<void> { return this.hang(); }
  deletePassword(): Promise<boolean> { return this.hang(); }
}
