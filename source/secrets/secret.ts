// A string that never prints. The value lives in a WeakMap keyed by the wrapper, so no
// own property holds it: String(), template literals, JSON.stringify, util.inspect,
// console.log, Object.entries and structuredClone all see nothing but `<secret>`.
import { inspect } from 'node:util';
import type { Secret } from '../core/ports.js';

const hidden = new WeakMap<object, string>();
const MASK = '<secret>';

class SecretValue implements Secret {
  constructor(value: string) {
    hidden.set(this, value);
    Object.freeze(this);
  }

  reveal(): string {
    return hidden.get(this) ?? '';
  }

  toString(): string {
    return MASK;
  }

  toJSON(): string {
    return MASK;
  }

  [Symbol.toPrimitive](): string {
    return MASK;
  }

  [inspect.custom](): string {
    return MASK;
  }
}

/** Wraps a value so that printing, logging or serialising it shows `<secret>`; `.reveal()` gives it back. */
export function makeSecret(value: string): Secret {
  return new SecretValue(value);
}

/** Whether a value is a Secret made by makeSecret. */
export function isSecret(value: unknown): value is Secret {
  return value instanceof SecretValue;
}
