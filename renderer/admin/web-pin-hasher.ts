// PBKDF2-SHA256 through WebCrypto: the same record a host writes with node:crypto.

import type { PinHasher } from '../../app/admin/pin.js';

const toBase64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

export const webPinHasher: PinHasher = {
  salt: () => toBase64(crypto.getRandomValues(new Uint8Array(16))),
  async derive(pin, salt, iterations) {
    const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, ['deriveBits']);
    const bits = await crypto.subtle.deriveBits(
      { name: 'PBKDF2', hash: 'SHA-256', salt: fromBase64(salt), iterations },
      key,
      256,
    );
    return toBase64(new Uint8Array(bits));
  },
};
