// Who may ask what of a host's HTTP port (docs/surface.md, "Ports and what they expose"), as pure
// decisions on a request's peer address and its Host and Origin headers, so they are tested
// without sockets and every server applies the same ones.
//
// - The page (`/` and its files) answers only to names that cannot be rebound: an IP literal,
//   `localhost` (and `*.localhost`, which browsers keep on this machine), this machine's own
//   host name, and the public names the server was given (`portal serve --public-name`). A DNS
//   rebinding page (evil.example first resolving to its own server, then to this one) sends
//   `Host: evil.example` and is refused.
// - The bridge (`/bridge/...`, the kiosk page's calls to its host) answers only to this machine:
//   a loopback peer address that is no proxy relaying someone else, a loopback Host, and, when
//   the browser says where the call comes from (`Origin`), the page's own origin.
// - `/signal`, `/healthz` and `/metrics` take any Host and Origin: a partner's page opens the
//   signaling socket from its own origin, by whatever name or address its settings give, and
//   probes `/healthz` there (no-cors, reading nothing); monitoring asks by its own names. What a
//   stranger gets there is what anyone who reaches the port gets; the room key guards /signal.

import { isIP } from 'node:net';

/** The name in a Host header, lower case, without its port, brackets or a final dot; null if malformed. */
export function hostName(header: string | undefined): string | null {
  if (header === undefined || header === '') return null;
  const value = header.trim().toLowerCase();
  const bracketed = /^\[([0-9a-f:.]+)\](?::\d{1,5})?$/.exec(value);
  if (bracketed) return isIP(bracketed[1]!) === 6 ? bracketed[1]! : null;
  const named = /^([a-z0-9._-]+)(?::\d{1,5})?$/.exec(value);
  if (!named) return null;
  return named[1]!.replace(/\.$/, '') || null;
}

/** 127.0.0.0/8 and ::1, as node reports a peer (IPv4 may come as ::ffff:127.x.y.z). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return address === '::1';
}

/** A name that always means this machine: localhost, *.localhost, a loopback literal. */
export function isLoopbackName(name: string): boolean {
  return name === 'localhost' || name.endsWith('.localhost') || isLoopbackAddress(name);
}

export interface HostRule {
  /** Extra names the page answers to (lower case): the server's public names, this machine's name. */
  readonly names: readonly string[];
}

/** Why the page may not be served for this Host header, as a sentence; null when it may. */
export function pageHostProblem(header: string | undefined, rule: HostRule): string | null {
  const name = hostName(header);
  if (name === null) {
    return header === undefined
      ? 'This server needs a Host header.'
      : `This server does not answer to the Host '${header.slice(0, 80)}'.`;
  }
  if (isIP(name) !== 0 || isLoopbackName(name) || rule.names.includes(name)) return null;
  return `This server does not answer to the name '${name}': it answers to its IP addresses, localhost, its own host name and the names given to portal serve with --public-name.`;
}

export interface BridgeRequest {
  readonly remoteAddress: string | undefined;
  readonly host: string | undefined;
  readonly origin: string | undefined;
  /** Whether it carries Forwarded, X-Forwarded-For or Via: a proxy on this machine relayed it. */
  readonly proxied?: boolean;
  /** `http` or `https`: the scheme this server answers on, which the page's origin has. */
  readonly scheme: 'http' | 'https';
}

export type BridgeRefusal = { readonly reason: 'peer' | 'proxy' | 'host' | 'origin'; readonly message: string };

/** Why a bridge request is refused before its secret is even read; null when it may go on. */
export function bridgeRequestProblem(request: BridgeRequest): BridgeRefusal | null {
  if (!isLoopbackAddress(request.remoteAddress)) {
    return { reason: 'peer', message: 'Bridge call refused: the bridge answers this machine only.' };
  }
  // A reverse proxy on this machine (in front of a hosted signaling server) connects from
  // loopback on behalf of anyone; the kiosk's own page never comes through one.
  if (request.proxied === true) {
    return { reason: 'proxy', message: 'Bridge call refused: the bridge is not served through a proxy.' };
  }
  const name = hostName(request.host);
  if (name === null || !isLoopbackName(name)) {
    return { reason: 'host', message: 'Bridge call refused: the bridge answers to 127.0.0.1 and localhost only.' };
  }
  // Browsers send Origin with every POST, same-origin too; a script of another site sends its own.
  if (
    request.origin !== undefined &&
    request.origin.toLowerCase() !== `${request.scheme}://${request.host!.trim().toLowerCase()}`
  ) {
    return { reason: 'origin', message: "Bridge call refused: it comes from another site than the kiosk's page." };
  }
  return null;
}
