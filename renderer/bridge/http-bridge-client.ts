// The renderer's side of the bridge in the supervised-Chromium shell: POST /bridge/<call> with
// the per-launch secret the host put in the page's URL fragment.

import type { BridgeArgs, BridgeCall } from '../../native-bridge/contract.js';
import type { BridgeClient } from './bridge-client.js';

export class HttpBridgeClient implements BridgeClient {
  constructor(private readonly secret: string) {}

  /** The bridge secret from `#bridge=...`, when the page was opened by a kiosk host. */
  static fromLocation(hash: string): HttpBridgeClient | null {
    const secret = new URLSearchParams(hash.replace(/^#/, '')).get('bridge');
    return secret ? new HttpBridgeClient(secret) : null;
  }

  async call<C extends BridgeCall>(call: C, args: BridgeArgs<C>): Promise<unknown> {
    const response = await fetch(`/bridge/${call}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify(args),
    });
    const body = (await response.json()) as { ok: boolean; result?: unknown; error?: string };
    if (!body.ok) throw new Error(body.error ?? `Bridge call ${call} failed (${response.status}).`);
    return body.result;
  }
}
