// The addresses a partner might reach this site's signaling server at, as the pairing code can
// carry them: the host lists them best first (main/site/pairing-candidates.ts), the overlay
// lets the admin choose one, and the choice is remembered by what it was (its URL, else its
// interface), so that a new DHCP lease on the chosen interface keeps the admin's choice.

import { z } from 'zod';
import { SignalUrlSchema } from '../settings/setting.js';

/** The most candidates a host lists: more would be a machine with a container per address. */
export const MAX_PAIRING_SIGNALS = 32;

export const PairingSignalSchema = z.object({
  /** The signaling URL for the partner's `signal`. */
  url: SignalUrlSchema,
  /**
   * The network interface the address is on (`eth0`, `wlan0`, `docker0`); null for a URL that
   * is not one of this machine's addresses: the signaling server in the settings (a web page: its own).
   */
  interface: z.string().min(1).max(256).nullable(),
});
export type PairingSignal = z.infer<typeof PairingSignalSchema>;

/** The interface of the one candidate a host without a network address offers: itself. */
export const LOOPBACK_INTERFACE = 'lo';

export const PairingSignalsSchema = z.array(PairingSignalSchema).max(MAX_PAIRING_SIGNALS);

/** What was chosen, as remembered: its URL and interface. */
export interface RememberedSignal {
  readonly url: string;
  readonly interface: string | null;
}

/** Whether a ws:// URL names an IPv6 address (`ws://[fd00::2]:8787/signal`). */
function isIpv6(url: string): boolean {
  return /^wss?:\/\/\[/.test(url);
}

/**
 * The candidate to put in the code: the remembered one where it is still offered; else one on
 * the same interface and of the same IP version (its address changed); else the first, the
 * host's best guess.
 */
export function choosePairingSignal(
  candidates: readonly PairingSignal[],
  remembered: RememberedSignal | null,
): PairingSignal | null {
  if (remembered !== null) {
    const same = candidates.find((candidate) => candidate.url === remembered.url);
    if (same) return same;
    if (remembered.interface !== null) {
      const moved = candidates.find(
        (candidate) => candidate.interface === remembered.interface && isIpv6(candidate.url) === isIpv6(remembered.url),
      );
      if (moved) return moved;
    }
  }
  return candidates[0] ?? null;
}

/** Reads what was remembered, from storage's text; anything else is nothing remembered. */
export function parseRememberedSignal(text: string | null): RememberedSignal | null {
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as unknown;
    const parsed = z.object({ url: z.string(), interface: z.string().nullable() }).safeParse(value);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * How a candidate reads in the overlay's list: where it is first (a narrow list cuts the end),
 * then the address, or the whole URL when it is not one of this machine's.
 */
export function pairingSignalLabel(candidate: PairingSignal): string {
  if (candidate.interface === null) return `From the settings: ${candidate.url}`;
  const host = /^wss?:\/\/(\[[^\]]*\]|[^:/]*)/.exec(candidate.url)?.[1] ?? candidate.url;
  if (candidate.interface === LOOPBACK_INTERFACE) return `This machine only (no network address): ${host}`;
  return `${candidate.interface}: ${host}`;
}
