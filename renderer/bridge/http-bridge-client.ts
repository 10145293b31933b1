// The renderer's side of the bridge in the supervised-Chromium shell: POST /bridge/<call> with
// the per-launch secret the host put in the page's URL fragment, and the host's events as a
// stream of lines from POST /bridge/events, opened again whenever it breaks.

import type { BridgeCall, BridgeEvent } from '../../native-bridge/contract.js';
import type { BridgeTransport } from './bridge-client.js';

const EVENTS_RETRY_MS = 2_000;

export class HttpBridgeClient implements BridgeTransport {
  private readonly listeners = new Map<BridgeEvent, Set<(payload: unknown) => void>>();
  private stream: AbortController | null = null;

  constructor(private readonly secret: string) {}

  /** The bridge secret from `#bridge=...`, when the page was opened by a kiosk host. */
  static fromLocation(hash: string): HttpBridgeClient | null {
    const secret = new URLSearchParams(hash.replace(/^#/, '')).get('bridge');
    return secret ? new HttpBridgeClient(secret) : null;
  }

  async call(call: BridgeCall, args: unknown): Promise<unknown> {
    const response = await this.post(`/bridge/${call}`, JSON.stringify(args));
    const body = (await response.json()) as { ok: boolean; result?: unknown; error?: string };
    if (!body.ok) throw new Error(body.error ?? `Bridge call ${call} failed (${response.status}).`);
    return body.result;
  }

  on(event: BridgeEvent, listener: (payload: unknown) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    this.listeners.set(event, set);
    set.add(listener);
    if (this.stream === null) void this.listen(new AbortController());
    return () => {
      set.delete(listener);
      if ([...this.listeners.values()].every((s) => s.size === 0)) {
        this.stream?.abort();
        this.stream = null;
      }
    };
  }

  private post(path: string, body: string, signal?: AbortSignal): Promise<Response> {
    return fetch(path, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.secret}`, 'content-type': 'application/json' },
      body,
      ...(signal ? { signal } : {}),
    });
  }

  /** One JSON object a line: `{ "event": NAME, "payload": ... }`; blank lines keep it alive. */
  private async listen(abort: AbortController): Promise<void> {
    this.stream = abort;
    while (!abort.signal.aborted) {
      try {
        const response = await this.post('/bridge/events', 'null', abort.signal);
        const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader();
        let buffered = '';
        while (reader) {
          const { value, done } = await reader.read();
          if (done) break;
          buffered += value;
          const lines = buffered.split('\n');
          buffered = lines.pop() ?? '';
          for (const line of lines) if (line.trim() !== '') this.deliver(line);
        }
      } catch {
        // The host restarted or the stream broke: open it again below.
      }
      if (!abort.signal.aborted) await new Promise((resolve) => setTimeout(resolve, EVENTS_RETRY_MS));
    }
  }

  private deliver(line: string): void {
    let message: { event?: unknown; payload?: unknown };
    try {
      message = JSON.parse(line) as typeof message;
    } catch {
      return;
    }
    const set = this.listeners.get(message.event as BridgeEvent);
    for (const listener of set ?? []) listener(message.payload);
  }
}
