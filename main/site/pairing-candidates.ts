// Where a partner may reach the signaling server this site hosts: every address of this
// machine that another machine could use, with its interface, the likely LAN one first. The
// first non-internal IPv4 address, which the pairing code used to take, is as often a
// container bridge (docker0, 172.17.0.1) or a VPN (wg0, tailscale0) as the LAN.

import type { NetworkInterfaceInfo } from 'node:os';
import { LOOPBACK_INTERFACE, MAX_PAIRING_SIGNALS, type PairingSignal } from '../../app/admin/pairing-signals.js';
import type { PortalConfig } from '../../app/config/portal-config.js';
import { SIGNAL_PATH } from '../../app/signaling/protocol-limits.js';

/** What `os.networkInterfaces()` answers. */
export type NetworkInterfaces = NodeJS.Dict<NetworkInterfaceInfo[]>;

/**
 * Interfaces made by container runtimes, virtual machines and VPNs, by the names their tools
 * give them: an address there is rarely the one the partner site reaches.
 */
const VIRTUAL_INTERFACE =
  /^(docker|br-[0-9a-f]{6,}|veth|virbr|vnet|lxcbr|lxdbr|incusbr|cni|flannel|cali|weave|podman|kube|cilium|vmnet|vboxnet|tun|tap|wg|tailscale|zt|utun|ppp|ipsec|vti|gre|nordlynx|proton|mullvad|ham)/i;
/** Wired LAN interfaces as Linux names them (eth0, enp3s0, enx..., a bond, a bridge br0). */
const WIRED_INTERFACE = /^(eth|en|bond|br\d)/i;
/** Wireless ones (wlan0, wlp2s0): the LAN too, but a kiosk on both is better reached by wire. */
const WIRELESS_INTERFACE = /^wl/i;

export interface AddressCandidate {
  readonly interface: string;
  readonly address: string;
  readonly family: 'IPv4' | 'IPv6';
}

/** Lower is likelier the LAN: the interface's kind first, then the address's. */
function interfaceRank(name: string): number {
  if (VIRTUAL_INTERFACE.test(name)) return 3;
  if (WIRED_INTERFACE.test(name)) return 0;
  return WIRELESS_INTERFACE.test(name) ? 1 : 2;
}

function addressRank({ address, family }: AddressCandidate): number {
  if (family === 'IPv4') {
    const [a = 0, b = 0] = address.split('.').map(Number);
    if (a === 10 || (a === 172 && b >= 16 && b < 32) || (a === 192 && b === 168)) return 0; // private
    if (a === 100 && b >= 64 && b < 128) return 4; // carrier-grade NAT, and Tailscale's addresses
    if (a === 169 && b === 254) return 5; // link-local: no DHCP answered
    return 1; // global
  }
  const first = parseInt(address.split(':')[0] || '0', 16);
  if ((first & 0xfe00) === 0xfc00) return 2; // unique local (fd00::/8)
  return 3; // global
}

/** Usable from another machine: not loopback, and not an IPv6 link-local address (a URL cannot name its zone). */
function usable(info: NetworkInterfaceInfo): boolean {
  if (info.internal) return false;
  if (info.family === 'IPv6') {
    const first = parseInt(info.address.split(':')[0] || '0', 16);
    if ((first & 0xffc0) === 0xfe80 || info.address === '::') return false;
  } else if (info.address === '0.0.0.0' || info.address.startsWith('127.')) return false;
  return true;
}

/** This machine's addresses another machine could reach, the likely LAN one first. */
export function rankAddresses(interfaces: NetworkInterfaces): AddressCandidate[] {
  const seen = new Set<string>();
  const found: Array<AddressCandidate & { readonly order: number }> = [];
  for (const [name, infos] of Object.entries(interfaces)) {
    for (const info of infos ?? []) {
      if (!usable(info) || seen.has(info.address)) continue;
      seen.add(info.address);
      found.push({ interface: name, address: info.address, family: info.family, order: found.length });
    }
  }
  return found
    .sort(
      (x, y) =>
        interfaceRank(x.interface) - interfaceRank(y.interface) || addressRank(x) - addressRank(y) || x.order - y.order,
    )
    .map(({ interface: name, address, family }) => ({ interface: name, address, family }));
}

/**
 * The signaling URLs to offer a partner, best first. A site that hosts the server: its
 * addresses on `localPort`, then the signaling URL in its settings if there is one (a name in
 * front of this machine, say); with no address at all, its loopback, which at least says so. A
 * site that does not host: the server in its settings, the one both use.
 */
export function pairingCandidates(
  config: PortalConfig,
  localPort: number,
  interfaces: NetworkInterfaces,
): PairingSignal[] {
  const configured: PairingSignal[] =
    config.signaling.url === null ? [] : [{ url: config.signaling.url, interface: null }];
  if (!config.signaling.host) return configured;
  const own = rankAddresses(interfaces).map(({ interface: name, address, family }): PairingSignal => ({
    url: `ws://${family === 'IPv6' ? `[${address}]` : address}:${localPort}${SIGNAL_PATH}`,
    interface: name,
  }));
  const offered = [
    ...own.slice(0, MAX_PAIRING_SIGNALS - configured.length),
    ...configured.filter((entry) => !own.some((candidate) => candidate.url === entry.url)),
  ];
  return offered.length > 0
    ? offered
    : [{ url: `ws://127.0.0.1:${localPort}${SIGNAL_PATH}`, interface: LOOPBACK_INTERFACE }];
}
