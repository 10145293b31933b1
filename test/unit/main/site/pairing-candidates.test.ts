import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { defaultConfig, type PortalConfig } from '../../../../app/config/portal-config.js';
import { pairingCandidates, rankAddresses, type NetworkInterfaces } from '../../../../main/site/pairing-candidates.js';

/** An entry as os.networkInterfaces() gives it. */
function entry(address: string, internal = false): NetworkInterfaceInfo {
  const v6 = address.includes(':');
  return v6
    ? {
        address,
        family: 'IPv6',
        internal,
        netmask: 'ffff:ffff:ffff:ffff::',
        mac: '02:00:00:00:00:01',
        cidr: `${address}/64`,
        scopeid: address.startsWith('fe80') ? 2 : 0,
      }
    : {
        address,
        family: 'IPv4',
        internal,
        netmask: '255.255.255.0',
        mac: '02:00:00:00:00:01',
        cidr: `${address}/24`,
      };
}

const LOOPBACK = { lo: [entry('127.0.0.1', true), entry('::1', true)] };

/**
 * A kiosk PC with Docker and a WireGuard VPN, in the order Linux numbers its interfaces when
 * they came up in that order: the container bridge first, which the old code took.
 */
const DOCKER_AND_VPN: NetworkInterfaces = {
  ...LOOPBACK,
  docker0: [entry('172.17.0.1'), entry('fe80::42:acff:fe11:1')],
  'br-3f9a1c2d4e5b': [entry('172.18.0.1')],
  veth1a2b3c4: [entry('fe80::a8c1:abff:fe00:1')],
  wg0: [entry('10.8.0.2')],
  enp3s0: [entry('192.168.1.20'), entry('fe80::1e1b:dff:fe7a:1'), entry('2001:db8::20'), entry('fd12:3456::20')],
  wlp2s0: [entry('192.168.50.7')],
};

const hosting = (port = 8787): PortalConfig => ({
  ...defaultConfig('dublin', 'k'.repeat(24)),
  signaling: { host: true, port, url: null, turn: null },
});

describe("the pairing code's candidate addresses", () => {
  it('puts the wired LAN first, then wireless, then VPN and container bridges, whatever order the OS lists them in', () => {
    expect(rankAddresses(DOCKER_AND_VPN).map((c) => `${c.interface} ${c.address}`)).toEqual([
      'enp3s0 192.168.1.20',
      'enp3s0 fd12:3456::20',
      'enp3s0 2001:db8::20',
      'wlp2s0 192.168.50.7',
      'docker0 172.17.0.1',
      'br-3f9a1c2d4e5b 172.18.0.1',
      'wg0 10.8.0.2',
    ]);
  });

  it('never offers loopback or an IPv6 link-local address, which a URL cannot name the zone of', () => {
    const ranked = rankAddresses(DOCKER_AND_VPN);
    expect(ranked.some((c) => c.address.startsWith('fe80') || c.address === '127.0.0.1' || c.address === '::1')).toBe(
      false,
    );
  });

  it('takes a private LAN address before a public one on the same kind of interface, and VPN ranges last', () => {
    const ranked = rankAddresses({
      tailscale0: [entry('100.101.102.103')],
      eth1: [entry('203.0.113.9')],
      eth0: [entry('10.0.0.5')],
      usb0: [entry('192.168.7.2')],
      eth2: [entry('169.254.10.20')],
    });
    expect(ranked.map((c) => c.interface)).toEqual(['eth0', 'eth1', 'eth2', 'usb0', 'tailscale0']);
  });

  it('lists an address once even when two interfaces carry it', () => {
    expect(rankAddresses({ eth0: [entry('192.168.1.20')], br0: [entry('192.168.1.20')] })).toEqual([
      { interface: 'eth0', address: '192.168.1.20', family: 'IPv4' },
    ]);
  });

  it('gives a hosting site a ws:// URL on its port for each address, IPv6 in brackets', () => {
    const candidates = pairingCandidates(hosting(9000), 9000, DOCKER_AND_VPN);
    expect(candidates.slice(0, 3)).toEqual([
      { url: 'ws://192.168.1.20:9000/signal', interface: 'enp3s0' },
      { url: 'ws://[fd12:3456::20]:9000/signal', interface: 'enp3s0' },
      { url: 'ws://[2001:db8::20]:9000/signal', interface: 'enp3s0' },
    ]);
    expect(candidates).toHaveLength(7);
  });

  it('adds the signaling URL in the settings last, when a hosting site has one', () => {
    const config = { ...hosting(), signaling: { ...hosting().signaling, url: 'wss://portal.example.org/signal' } };
    const candidates = pairingCandidates(config, 8787, { eth0: [entry('192.168.1.20')] });
    expect(candidates).toEqual([
      { url: 'ws://192.168.1.20:8787/signal', interface: 'eth0' },
      { url: 'wss://portal.example.org/signal', interface: null },
    ]);
  });

  it('offers a site that does not host only the server both sites use', () => {
    const config: PortalConfig = {
      ...hosting(),
      signaling: { host: false, port: 8787, url: 'ws://192.168.1.20:8787/signal', turn: null },
    };
    expect(pairingCandidates(config, 8787, DOCKER_AND_VPN)).toEqual([
      { url: 'ws://192.168.1.20:8787/signal', interface: null },
    ]);
  });

  it('says a machine with no network address reaches only itself', () => {
    expect(pairingCandidates(hosting(), 8787, LOOPBACK)).toEqual([
      { url: 'ws://127.0.0.1:8787/signal', interface: 'lo' },
    ]);
  });

  it('keeps the list within what the bridge carries on a machine with a container per address', () => {
    const many: NetworkInterfaces = Object.fromEntries(
      Array.from({ length: 50 }, (_, i) => [`veth${i}`, [entry(`172.20.${i}.1`)]]),
    );
    const config = { ...hosting(), signaling: { ...hosting().signaling, url: 'wss://portal.example.org/signal' } };
    const candidates = pairingCandidates(config, 8787, { ...many, eth0: [entry('192.168.1.20')] });
    expect(candidates).toHaveLength(32);
    expect(candidates[0]).toEqual({ url: 'ws://192.168.1.20:8787/signal', interface: 'eth0' });
    expect(candidates.at(-1)).toEqual({ url: 'wss://portal.example.org/signal', interface: null });
  });
});
