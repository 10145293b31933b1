// The network lab that tests and benches share: two sites, each behind its own NAT router, and a
// core "internet" between the routers that holds the signaling server and coturn. Every host is a
// network namespace of this machine's own (needs root; CI and these machines run as root):
//
//   site a 10.1.0.2 ── 10.1.0.1 router ra 198.18.0.11 ─┐
//                                                       ├─ core bridge: 198.18.0.1 signaling
//   site b 10.2.0.2 ── 10.2.0.1 router rb 198.18.0.12 ─┘              198.18.0.2 coturn
//
// A router masquerades its site behind its public address and lets in only what belongs to a
// connection its site started (conntrack), as a home router does, so neither site can reach the
// other's private address and direct media needs hole punching (srflx) or TURN (relay). Faults
// go on the routers: a cut drops everything forwarded (packets vanish silently, as when a cable
// is pulled upstream), blocks drop UDP or all but TCP 443, `tc tbf` caps a link each way, and
// iptables' `statistic` match drops a random share of packets (`tc netem` does not work on these
// kernels). stop() kills what runs inside and removes every namespace; a lab left behind by a
// killed run has the same names and is removed by the next one.

import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM } from './chromium.js';

export type Site = 'a' | 'b';
export type Host = 'core' | 'ra' | 'rb' | Site;

/** What a router lets through, besides its own NAT rules. */
export type Block =
  /** UDP to and from the other site's public address: direct media between the NATs. */
  | 'udp-between-sites'
  /**
   * UDP packets of 600 bytes or more between the sites' public addresses (a path-MTU black
   * hole): ICE checks pass; DTLS's certificates and video do not.
   */
  | 'big-udp-between-sites'
  /** All UDP. */
  | 'udp'
  /** Everything but TCP to port 443 (and its answers). */
  | 'all-but-tcp-443';

export interface NetLab {
  /** The core's addresses: the signaling server's and coturn's. */
  readonly signalingAddress: string;
  readonly turnAddress: string;
  /** Each site's router's public address, as the core and the other site see it. */
  publicAddress(site: Site): string;
  /** A Chromium executable that runs inside a site's namespace. */
  chromium(site: Site): string;
  /** What runs a command inside a host's namespace: put it before the command. */
  prefix(host: Host): string[];
  /** Runs a command inside a host's namespace and returns its stdout. */
  exec(host: Host, ...command: string[]): string;
  /** Cuts a site off (every packet through its router dropped), or puts it back. */
  cut(site: Site, cut: boolean): void;
  /** Sets what a site's router blocks (null: nothing but unsolicited inbound). */
  block(site: Site, block: Block | null): void;
  /** Caps a site's link each way with a token bucket (`1mbit`, `300kbit`), or lifts the cap. */
  cap(site: Site, rate: string | null): void;
  /** Drops this share (0 to 1) of the packets a site's router forwards each way, or none. */
  loss(site: Site, share: number | null): void;
  stop(): void;
}

const SIGNALING_ADDRESS = '198.18.0.1';
const TURN_ADDRESS = '198.18.0.2';
const NOWHERE = '198.18.0.254';
const PUBLIC: Record<Site, string> = { a: '198.18.0.11', b: '198.18.0.12' };
const PRIVATE: Record<Site, { site: string; router: string }> = {
  a: { site: '10.1.0.2', router: '10.1.0.1' },
  b: { site: '10.2.0.2', router: '10.2.0.1' },
};
const router = (site: Site): Host => (site === 'a' ? 'ra' : 'rb');
const other = (site: Site): Site => (site === 'a' ? 'b' : 'a');

const run = (args: readonly string[]) => execFileSync(args[0]!, args.slice(1), { stdio: 'pipe' }).toString();

/** The namespace names of a lab: `tag` keeps concurrent labs (a test's and a bench's) apart. */
function namespaces(tag: string): Record<Host, string> {
  return {
    core: `portal-${tag}-core`,
    ra: `portal-${tag}-ra`,
    rb: `portal-${tag}-rb`,
    a: `portal-${tag}-a`,
    b: `portal-${tag}-b`,
  };
}

/** Kills what runs in a lab's namespaces and removes them; quiet about what is not there. */
export function removeNetLab(tag: string): void {
  for (const name of Object.values(namespaces(tag))) {
    let pids: string[] = [];
    try {
      pids = run(['ip', 'netns', 'pids', name]).split('\n').filter(Boolean);
    } catch {
      continue; // not there
    }
    for (const pid of pids) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // gone already
      }
    }
    try {
      run(['ip', 'netns', 'del', name]);
    } catch {
      // gone already
    }
  }
}

export function startNetLab(tag = 'lab'): NetLab {
  const ns = namespaces(tag);
  removeNetLab(tag);
  const inNs = (host: Host, ...command: string[]) => run(['ip', 'netns', 'exec', ns[host], ...command]);
  const ipt = (host: Host, ...args: string[]) => inNs(host, 'iptables', '-w', ...args);
  try {
    for (const name of Object.values(ns)) run(['ip', 'netns', 'add', name]);
    for (const host of Object.keys(ns) as Host[]) inNs(host, 'ip', 'link', 'set', 'lo', 'up');
    // The core: one bridge, the internet the routers and the servers share.
    inNs('core', 'ip', 'link', 'add', 'inet', 'type', 'bridge');
    inNs('core', 'ip', 'link', 'set', 'inet', 'up');
    inNs('core', 'ip', 'addr', 'add', `${SIGNALING_ADDRESS}/24`, 'dev', 'inet');
    inNs('core', 'ip', 'addr', 'add', `${TURN_ADDRESS}/24`, 'dev', 'inet');
    // Anything for an address nobody here has (a site's private address, say) goes to a gateway
    // that does not exist and is lost, as on the internet: no "unreachable" a sender would see.
    inNs('core', 'ip', 'neigh', 'add', NOWHERE, 'lladdr', '02:00:00:00:00:fe', 'dev', 'inet', 'nud', 'permanent');
    inNs('core', 'ip', 'route', 'add', 'default', 'via', NOWHERE);
    for (const site of ['a', 'b'] as const) {
      const r = router(site);
      // Router to core: `wan` in the router, a bridge port in the core.
      run(['ip', 'link', 'add', 'wan', 'netns', ns[r], 'type', 'veth', 'peer', `to-${r}`, 'netns', ns.core]);
      inNs('core', 'ip', 'link', 'set', `to-${r}`, 'master', 'inet');
      inNs('core', 'ip', 'link', 'set', `to-${r}`, 'up');
      inNs(r, 'ip', 'addr', 'add', `${PUBLIC[site]}/24`, 'dev', 'wan');
      inNs(r, 'ip', 'link', 'set', 'wan', 'up');
      inNs(r, 'ip', 'route', 'add', 'default', 'via', SIGNALING_ADDRESS);
      // Site to router: `lan` in the router, `eth0` in the site, the router its default route.
      run(['ip', 'link', 'add', 'lan', 'netns', ns[r], 'type', 'veth', 'peer', 'eth0', 'netns', ns[site]]);
      inNs(r, 'ip', 'addr', 'add', `${PRIVATE[site].router}/24`, 'dev', 'lan');
      inNs(r, 'ip', 'link', 'set', 'lan', 'up');
      inNs(site, 'ip', 'addr', 'add', `${PRIVATE[site].site}/24`, 'dev', 'eth0');
      inNs(site, 'ip', 'link', 'set', 'eth0', 'up');
      inNs(site, 'ip', 'route', 'add', 'default', 'via', PRIVATE[site].router);
      inNs(r, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1');
      // A home router: the site's connections leave from its public address, and only their
      // answers come back in. Faults sit in a chain of their own, in front.
      ipt(r, '-t', 'nat', '-A', 'POSTROUTING', '-o', 'wan', '-j', 'MASQUERADE');
      ipt(r, '-N', 'PORTAL-FAULT');
      ipt(r, '-A', 'FORWARD', '-j', 'PORTAL-FAULT');
      ipt(r, '-A', 'FORWARD', '-i', 'wan', '-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'ACCEPT');
      ipt(r, '-A', 'FORWARD', '-i', 'wan', '-j', 'DROP');
      // Nothing unasked for the router itself either, as a home router: answering (with an ICMP
      // "port unreachable") would also leave a conntrack entry behind that takes the port the
      // site's next outbound packet needs, and the NAT would map it elsewhere (no hole punching).
      ipt(r, '-A', 'INPUT', '-i', 'wan', '-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'ACCEPT');
      ipt(r, '-A', 'INPUT', '-i', 'wan', '-p', 'icmp', '--icmp-type', 'echo-request', '-j', 'ACCEPT');
      ipt(r, '-A', 'INPUT', '-i', 'wan', '-j', 'DROP');
    }
  } catch (error) {
    removeNetLab(tag);
    throw error;
  }

  const dir = mkdtempSync(join(tmpdir(), 'portal-lab-'));
  const wrappers = Object.fromEntries(
    (['a', 'b'] as const).map((site) => {
      const path = join(dir, `chromium-${site}`);
      writeFileSync(path, `#!/bin/sh\nexec ip netns exec ${ns[site]} ${CHROMIUM} "$@"\n`);
      chmodSync(path, 0o755);
      return [site, path];
    }),
  ) as Record<Site, string>;

  // What each router's fault chain holds, rebuilt whole on every change.
  const faults: Record<Site, { cut: boolean; block: Block | null; loss: number | null }> = {
    a: { cut: false, block: null, loss: null },
    b: { cut: false, block: null, loss: null },
  };
  const applyFaults = (site: Site): void => {
    const r = router(site);
    const { cut, block, loss } = faults[site];
    ipt(r, '-F', 'PORTAL-FAULT');
    const rule = (...args: string[]) => ipt(r, '-A', 'PORTAL-FAULT', ...args);
    if (cut) rule('-j', 'DROP');
    if (block === 'udp-between-sites') {
      rule('-p', 'udp', '-d', PUBLIC[other(site)], '-j', 'DROP');
      rule('-p', 'udp', '-s', PUBLIC[other(site)], '-j', 'DROP');
    } else if (block === 'big-udp-between-sites') {
      for (const way of ['-d', '-s'])
        rule('-p', 'udp', way, PUBLIC[other(site)], '-m', 'length', '--length', '600:65535', '-j', 'DROP');
    } else if (block === 'udp') {
      rule('-p', 'udp', '-j', 'DROP');
    } else if (block === 'all-but-tcp-443') {
      rule('-i', 'lan', '-p', 'tcp', '--dport', '443', '-j', 'RETURN');
      rule('-i', 'wan', '-p', 'tcp', '--sport', '443', '-j', 'RETURN');
      rule('-j', 'DROP');
    }
    if (loss !== null && loss > 0)
      rule('-m', 'statistic', '--mode', 'random', '--probability', String(loss), '-j', 'DROP');
  };

  return {
    signalingAddress: SIGNALING_ADDRESS,
    turnAddress: TURN_ADDRESS,
    publicAddress: (site) => PUBLIC[site],
    chromium: (site) => wrappers[site],
    prefix: (host) => ['ip', 'netns', 'exec', ns[host]],
    exec: (host, ...command) => inNs(host, ...command),
    cut(site, cut) {
      faults[site] = { ...faults[site], cut };
      applyFaults(site);
    },
    block(site, block) {
      faults[site] = { ...faults[site], block };
      applyFaults(site);
    },
    loss(site, share) {
      faults[site] = { ...faults[site], loss: share };
      applyFaults(site);
    },
    cap(site, rate) {
      const r = router(site);
      for (const dev of ['wan', 'lan']) {
        try {
          inNs(r, 'tc', 'qdisc', 'del', 'dev', dev, 'root');
        } catch {
          // no cap yet
        }
        // A token bucket: the rate, a burst of a few packets, and a queue of at most 100 ms.
        if (rate !== null)
          inNs(r, 'tc', 'qdisc', 'add', 'dev', dev, 'root', 'tbf', 'rate', rate, 'burst', '16kb', 'latency', '100ms');
      }
    },
    stop: () => removeNetLab(tag),
  };
}
