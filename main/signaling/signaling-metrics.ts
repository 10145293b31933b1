// The server's Prometheus metrics, in a registry of its own so several servers can live in one
// process (tests, a kiosk host embedding one).

import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { ErrorCode } from '../../app/signaling/error-codes.js';

export interface HubCounts {
  readonly connections: number;
  readonly rooms: number;
  readonly sites: number;
}

export class SignalingMetrics {
  readonly registry = new Registry();
  private readonly relayed: Counter;
  private readonly refusals: Counter<'code'>;
  private readonly accepted: Counter;

  constructor(counts: () => HubCounts) {
    const registers = [this.registry];
    new Gauge({
      name: 'portal_signaling_connections',
      help: 'Open WebSocket connections on /signal, joined or not.',
      registers,
      collect() {
        this.set(counts().connections);
      },
    });
    new Gauge({
      name: 'portal_signaling_rooms',
      help: 'Rooms with at least one site.',
      registers,
      collect() {
        this.set(counts().rooms);
      },
    });
    new Gauge({
      name: 'portal_signaling_sites',
      help: 'Sites joined to a room.',
      registers,
      collect() {
        this.set(counts().sites);
      },
    });
    this.accepted = new Counter({
      name: 'portal_signaling_connections_accepted_total',
      help: 'WebSocket connections accepted since start.',
      registers,
    });
    this.relayed = new Counter({
      name: 'portal_signaling_messages_relayed_total',
      help: 'signal messages relayed to a partner site.',
      registers,
    });
    this.refusals = new Counter({
      name: 'portal_signaling_refusals_total',
      help: 'error messages sent to sites, by protocol error code.',
      labelNames: ['code'],
      registers,
    });
  }

  connectionAccepted(): void {
    this.accepted.inc();
  }

  messageRelayed(): void {
    this.relayed.inc();
  }

  refused(code: ErrorCode): void {
    this.refusals.inc({ code });
  }

  /** This server's metrics and the process's default ones (memory, CPU, event loop, GC). */
  text(): Promise<string> {
    return Registry.merge([this.registry, processMetrics()]).metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

let processRegistry: Registry | null = null;

/**
 * The process's default metrics, in one registry for the whole process however many servers it
 * runs: each set starts observers (GC, event loop delay) that are never stopped, so a set per
 * server would pile them up in a process that starts many (tests, a host restarting).
 */
function processMetrics(): Registry {
  if (processRegistry === null) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}
