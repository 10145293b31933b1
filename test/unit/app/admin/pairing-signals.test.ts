import { describe, expect, it } from 'vitest';
import {
  choosePairingSignal,
  pairingSignalLabel,
  parseRememberedSignal,
  type PairingSignal,
} from '../../../../app/admin/pairing-signals.js';

const LAN = { url: 'ws://192.168.1.20:8787/signal', interface: 'enp3s0' };
const LAN_V6 = { url: 'ws://[fd12::20]:8787/signal', interface: 'enp3s0' };
const VPN = { url: 'ws://10.8.0.2:8787/signal', interface: 'wg0' };
const CANDIDATES: PairingSignal[] = [LAN, LAN_V6, VPN];

describe("the pairing code's chosen address", () => {
  it("is the host's first candidate until the admin chooses one", () => {
    expect(choosePairingSignal(CANDIDATES, null)).toBe(LAN);
    expect(choosePairingSignal([], null)).toBeNull();
  });

  it('stays the one the admin chose while the host still offers it', () => {
    expect(choosePairingSignal(CANDIDATES, VPN)).toBe(VPN);
  });

  it('follows the chosen interface to its new address after a new lease, keeping the IP version', () => {
    const renewed = { url: 'ws://10.8.0.9:8787/signal', interface: 'wg0' };
    expect(choosePairingSignal([LAN, LAN_V6, renewed], VPN)).toBe(renewed);
    expect(choosePairingSignal([LAN, LAN_V6], { url: 'ws://[fd12::99]:8787/signal', interface: 'enp3s0' })).toBe(
      LAN_V6,
    );
  });

  it('falls back to the first candidate when the chosen interface is gone', () => {
    expect(choosePairingSignal([LAN, LAN_V6], VPN)).toBe(LAN);
    expect(choosePairingSignal([LAN], { url: 'wss://gone.example.org/signal', interface: null })).toBe(LAN);
  });

  it('reads what was remembered, and takes anything damaged as nothing remembered', () => {
    expect(parseRememberedSignal(JSON.stringify(VPN))).toEqual(VPN);
    expect(parseRememberedSignal(null)).toBeNull();
    expect(parseRememberedSignal('{not json')).toBeNull();
    expect(parseRememberedSignal('{"url":3,"interface":null}')).toBeNull();
  });

  it('reads in the overlay as where it is, then the address', () => {
    expect(pairingSignalLabel(LAN)).toBe('enp3s0: 192.168.1.20');
    expect(pairingSignalLabel(LAN_V6)).toBe('enp3s0: [fd12::20]');
    expect(pairingSignalLabel({ url: 'wss://portal.example.org/signal', interface: null })).toBe(
      'From the settings: wss://portal.example.org/signal',
    );
    expect(pairingSignalLabel({ url: 'ws://127.0.0.1:8787/signal', interface: 'lo' })).toBe(
      'This machine only (no network address): 127.0.0.1',
    );
  });
});
