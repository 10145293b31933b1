// One WebRTC session with the partner, through simple-peer (the only place that uses it). It
// reports what the link machine needs: signals to relay, connect, ICE states, remote frames
// (from getStats, so "live" means frames are really being decoded), data-channel heartbeats and
// one close, whatever the cause. It presents this site's certificate (site-identity.ts) and, with
// a pinned partner, checks the partner's from the live connection's stats before anything of the
// session counts: until the fingerprint matches, nothing of the partner is shown or reported, and
// nothing of ours is sent; a mismatch closes the session.

import SimplePeer from 'simple-peer/simplepeer.min.js';
import type { Codec, Degradation } from '../../app/config/link-settings.js';
import { capChanged, sendingCapKbps } from '../../app/media/bitrate-headroom.js';
import { MIN_BITRATE_KBPS, withStartBitrate } from '../../app/media/sdp-bitrate.js';
import type { IceServer } from '../../app/signaling/messages.js';
import { remoteFingerprintOf, type CertificateStatsEntry } from '../../app/identity/fingerprint.js';
import type { IceState, Role } from '../../app/link/link-machine.js';

export interface PeerSessionOptions {
  readonly id: string;
  readonly role: Role;
  readonly stream: MediaStream;
  readonly iceServers: readonly IceServer[];
  readonly relay: boolean;
  readonly maxBitrateKbps: number | null;
  readonly degradation: Degradation;
  readonly codec: Codec | null;
  /** Where the partner's bandwidth estimate for us starts (bitrate-headroom.ts). */
  readonly startBitrateKbps: number;
  /** This site's identity; null: the browser makes one for this session. */
  readonly certificate: RTCCertificate | null;
  /** The pinned partner's fingerprint (as Portal writes it); null: any partner. */
  readonly partnerFingerprint: string | null;
  /** The pinned partner's renewed identities it told this site of (successors.ts): accepted as the pin. */
  readonly partnerSuccessors?: readonly string[];
}

export interface PeerSessionEvents {
  signal(data: unknown): void;
  connected(): void;
  remoteStream(stream: MediaStream): void;
  iceState(state: IceState): void;
  remoteFrames(): void;
  heartbeat(): void;
  /** A data-channel message other than the heartbeat (`sound:off`, ...). */
  message(text: string): void;
  /** RTP packets from the partner came again after a poll that saw none. */
  packets(): void;
  /** DTLS is up (the peer connection is `connected`). */
  transportUp(): void;
  /** Now and then: the video bitrate received, smoothed over a few seconds (kbit/s). */
  received(kbps: number): void;
  /** The partner's certificate as DTLS saw it (null: not found in the stats), once per session. */
  partnerIdentity(fingerprint: string | null): void;
  /** The partner's certificate is not the pinned one; the session closes right after. */
  untrusted(fingerprint: string | null): void;
  closed(reason: string): void;
}

const HEARTBEAT_MS = 1_000;
/** How often the received bitrate is reported (for the next session's start hint). */
const RECEIVED_REPORT_MS = 10_000;
/** How often decoded frames are counted: often until the first one (that is `live`), then calmly. */
const FIRST_FRAME_POLL_MS = 40;
const FRAME_POLL_MS = 500;
/** After a poll that found no new frame (a stall): often, so their return is seen at once. */
const STALLED_POLL_MS = 100;
/** The partner's certificate shows in the stats once DTLS is up; looked for this often, this long. */
const CERTIFICATE_POLL_MS = 50;
const CERTIFICATE_WAIT_MS = 2_000;

export class PeerSession {
  private readonly peer: SimplePeer.Instance;
  private readonly pc: RTCPeerConnection;
  private readonly timers: Array<ReturnType<typeof setInterval>> = [];
  private framePoll: ReturnType<typeof setTimeout> | null = null;
  private framesDecoded = 0;
  private packetsReceived = 0;
  private packetsPaused = false;
  private closed = false;
  private sending: { maxBitrateKbps: number | null; degradation: Degradation };
  /** The video cap in place: the admin's, or under the estimate on a thin link. */
  private appliedCapKbps: number | null;
  private received: { bytes: number; at: number; kbps: number | null; best: number; reportedAt: number } = {
    bytes: 0,
    at: 0,
    kbps: null,
    best: 0,
    reportedAt: 0,
  };
  /** Every setParameters of this session, one after another (each reads what the last wrote). */
  private parameters: Promise<void> = Promise.resolve();
  /**
   * `verified`: the partner may be shown (it matched the pin, or there is none). `checking`: a
   * pin, and the partner's certificate not seen yet: what the partner sends is held back, and our
   * tracks are off the senders (`heldTracks`). `refused`: it did not match; the session closes.
   */
  private trust: 'checking' | 'verified' | 'refused';
  private readonly heldTracks = new Map<RTCRtpSender, MediaStreamTrack>();
  /** What waits for the partner to be verified (its stream, the data channel's opening). */
  private readonly untilVerified: Array<() => void> = [];
  private identityRead = false;
  /** With a pin, the partner's fingerprint once it matched; null before, or without a pin. */
  private verifiedAs: string | null = null;

  constructor(
    readonly options: PeerSessionOptions,
    private readonly on: PeerSessionEvents,
  ) {
    this.sending = { maxBitrateKbps: options.maxBitrateKbps, degradation: options.degradation };
    this.appliedCapKbps = options.maxBitrateKbps;
    this.peer = new SimplePeer({
      initiator: options.role === 'offerer',
      stream: options.stream,
      trickle: true,
      sdpTransform: (sdp: string) =>
        withStartBitrate(
          sdp,
          Math.min(options.startBitrateKbps, options.maxBitrateKbps ?? options.startBitrateKbps),
          Math.min(MIN_BITRATE_KBPS, options.maxBitrateKbps ?? MIN_BITRATE_KBPS),
        ),
      config: {
        iceServers: options.iceServers.map((server) => ({ ...server, urls: server.urls })),
        iceTransportPolicy: options.relay ? 'relay' : 'all',
        ...(usable(options.certificate) ? { certificates: [options.certificate] } : {}),
      },
    });
    // simple-peer keeps its RTCPeerConnection here; it is the documented way to reach it.
    this.pc = (this.peer as unknown as { _pc: RTCPeerConnection })._pc;
    this.trust = options.partnerFingerprint === null ? 'verified' : 'checking';
    if (this.trust === 'checking') this.holdTracks();
    this.pc.addEventListener('iceconnectionstatechange', () => on.iceState(this.pc.iceConnectionState));
    // Pictures can flow as soon as DTLS is up, before the data channel opens (on a thin link its
    // handshake waits behind the video): count them from then on.
    this.pc.addEventListener('connectionstatechange', () => {
      if (this.pc.connectionState !== 'connected') return;
      void this.readPartnerIdentity();
      this.whenVerified(() => {
        on.transportUp();
        void this.tuneSenders();
        this.startFramePoll();
      });
    });
    // simple-peer added our tracks synchronously and negotiates later, so the preference is in
    // place before the offer (or, on the answering side, before the answer) is made.
    if (options.codec !== null) preferCodec(this.pc, options.codec);
    this.peer.on('signal', (data: unknown) => on.signal(data));
    this.peer.on('connect', () => {
      void this.tuneSenders();
      // Nothing of ours goes to a partner not yet verified, heartbeats included.
      this.whenVerified(() => {
        this.timers.push(setInterval(() => this.sendHeartbeat(), HEARTBEAT_MS));
        on.connected();
        this.startFramePoll();
      });
    });
    // The partner's picture reaches the page (and its video element) only once it is verified.
    this.peer.on('stream', (stream: MediaStream) => {
      this.tuneReceivers();
      this.whenVerified(() => on.remoteStream(stream));
    });
    // Anything on the channel shows it works; what is not a heartbeat is a message too. Nothing
    // from a partner not yet verified counts.
    this.peer.on('data', (data: unknown) => {
      if (this.trust !== 'verified') return;
      on.heartbeat();
      const text = typeof data === 'string' ? data : new TextDecoder().decode(data as Uint8Array);
      if (text !== 'hb') on.message(text);
    });
    this.peer.on('close', () => this.close('peer closed'));
    this.peer.on('error', (error: Error & { code?: string }) =>
      this.close(`peer error ${error.code ?? error.message}`),
    );
  }

  signal(data: unknown): void {
    if (this.closed) return;
    this.peer.signal(data as SimplePeer.SignalData);
  }

  /** Sends `newTrack` in place of `oldTrack` on the same sender: no renegotiation. */
  replaceTrack(oldTrack: MediaStreamTrack, newTrack: MediaStreamTrack): void {
    if (this.closed) return;
    try {
      this.peer.replaceTrack(oldTrack, newTrack, this.options.stream);
    } catch (error) {
      this.close(`replaceTrack failed: ${(error as Error).message}`);
      return;
    }
    // Not verified yet: the new track waits off its sender too (replaceTrack calls run in order).
    for (const [sender, held] of this.heldTracks) {
      if (held !== oldTrack) continue;
      this.heldTracks.set(sender, newTrack);
      void sender.replaceTrack(null).catch(() => undefined);
    }
  }

  /**
   * Restarts ICE on this session (offerer only): new ICE credentials and candidates in a fresh
   * offer, the tracks, encoders and data channel kept, so the picture comes back without a new
   * session when the old path is gone (a new public address, a NAT that forgot its mapping).
   */
  restartIce(): void {
    if (this.closed || this.options.role !== 'offerer') return;
    // An offer still waiting for its answer (an earlier restart the partner never heard) holds
    // simple-peer's negotiation: a new one would only queue behind it. ICE decides instead.
    if (this.pc.signalingState !== 'stable') return;
    this.pc.restartIce();
    // simple-peer's renegotiation (its types leave negotiate() out): a new offer, which the
    // restartIce() above gives fresh ICE credentials.
    (this.peer as unknown as { negotiate(): void }).negotiate();
  }

  /**
   * A fresh keyframe now: after an outage the partner's decoder has nothing to build on, and
   * waits for its own timeouts (over a second, measured) before it asks for one. Pausing the
   * encoder for a moment makes it start again with a keyframe.
   */
  refreshPicture(): Promise<void> {
    return this.withParameters(async () => {
      for (const sender of this.pc.getSenders()) {
        if (sender.track?.kind !== 'video') continue;
        const parameters = sender.getParameters();
        if (parameters.encodings.length === 0) continue;
        try {
          for (const encoding of parameters.encodings) encoding.active = false;
          await sender.setParameters(parameters);
        } catch (error) {
          console.warn(JSON.stringify({ event: 'refresh-picture-failed', message: String(error) }));
        } finally {
          // Whatever happened above, the encoder runs again.
          const again = sender.getParameters();
          for (const encoding of again.encodings) encoding.active = true;
          await sender.setParameters(again).catch(() => undefined);
        }
      }
    });
  }

  /** Runs `change` after every earlier setParameters of this session has settled. */
  private withParameters(change: () => Promise<void>): Promise<void> {
    this.parameters = this.parameters.then(() => (this.closed ? undefined : change()));
    return this.parameters;
  }

  /** New ICE servers (fresh TURN credentials) for any ICE restart of this session. */
  setIceServers(servers: readonly IceServer[]): void {
    if (this.closed) return;
    try {
      this.pc.setConfiguration({
        ...this.pc.getConfiguration(),
        iceServers: servers.map((server) => ({ ...server, urls: server.urls })),
      });
    } catch (error) {
      console.warn(JSON.stringify({ event: 'set-ice-servers-failed', message: String(error) }));
    }
  }

  /** A new bitrate cap or degradation preference, applied to the live senders: no renegotiation. */
  async setSending(maxBitrateKbps: number | null, degradation: Degradation): Promise<void> {
    this.sending = { maxBitrateKbps, degradation };
    this.appliedCapKbps = maxBitrateKbps;
    if (!this.closed && this.pc.connectionState === 'connected') await this.tuneSenders();
  }

  /** The connection's statistics, for the stats view. */
  getStats(): Promise<RTCStatsReport> {
    return this.pc.getStats();
  }

  /** Ends the session; the `closed` event fires once. */
  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.untilVerified.length = 0;
    this.heldTracks.clear();
    for (const timer of this.timers) clearInterval(timer);
    if (this.framePoll !== null) clearTimeout(this.framePoll);
    this.peer.destroy();
    this.on.closed(reason);
  }

  /**
   * With a pin, the fingerprint the partner presented once it matched the pin or one of its
   * renewed identities (what a message it sends may be trusted for); null before, or without one.
   */
  get verifiedPartner(): string | null {
    return this.verifiedAs;
  }

  /**
   * A message to the partner on the data channel; false when the channel is not open, or the
   * partner is not verified yet (with a pin, nothing of ours goes to a site not checked).
   */
  send(text: string): boolean {
    if (this.closed || !this.peer.connected || this.trust !== 'verified') return false;
    try {
      this.peer.send(text);
      return true;
    } catch {
      return false; // the channel is closing; the close event follows
    }
  }

  private sendHeartbeat(): void {
    if (this.closed || this.trust !== 'verified') return;
    try {
      this.peer.send('hb');
    } catch {
      // The channel is closing; the close event follows.
    }
  }

  private startFramePoll(): void {
    if (this.framePoll === null && !this.closed) this.scheduleFramePoll(FIRST_FRAME_POLL_MS);
  }

  private scheduleFramePoll(ms: number): void {
    this.framePoll = setTimeout(() => void this.pollFrames(), ms);
  }

  private async pollFrames(): Promise<void> {
    const stats = await this.pc.getStats().catch(() => null);
    if (this.closed) return;
    // The pin holds for the whole session, not only its handshake (a renegotiation could bring
    // another certificate): every poll looks again.
    if (this.options.partnerFingerprint !== null && stats !== null) {
      const seen = remoteFingerprintOf(stats.values() as Iterable<CertificateStatsEntry>);
      if (seen !== null && !this.accepts(seen)) return this.refuse(seen);
    }
    let decoded = 0;
    let packets = 0;
    let bytes = 0;
    let estimateBps: number | null = null;
    let pairId: string | null = null;
    const pairs = new Map<string, number | undefined>();
    stats?.forEach((report: StatsEntry) => {
      if (report.type === 'inbound-rtp') packets += report.packetsReceived ?? 0;
      if (report.type === 'inbound-rtp' && report.kind === 'video') {
        decoded += report.framesDecoded ?? 0;
        bytes += report.bytesReceived ?? 0;
      }
      if (report.type === 'transport' && report.selectedCandidatePairId) pairId = report.selectedCandidatePairId;
      if (report.type === 'candidate-pair') pairs.set(report.id, report.availableOutgoingBitrate);
    });
    if (pairId !== null) estimateBps = pairs.get(pairId) ?? null;
    const fresh = decoded > this.framesDecoded;
    this.followEstimate(estimateBps);
    this.countReceived(bytes, fresh);
    if (packets > this.packetsReceived) {
      if (this.packetsPaused) this.on.packets();
      this.packetsPaused = false;
      this.packetsReceived = packets;
    } else {
      this.packetsPaused = true;
    }
    if (fresh) {
      this.framesDecoded = decoded;
      this.on.remoteFrames();
    }
    if (this.closed) return;
    this.scheduleFramePoll(this.framesDecoded === 0 ? FIRST_FRAME_POLL_MS : fresh ? FRAME_POLL_MS : STALLED_POLL_MS);
  }

  /** Runs `run` now when the partner is verified, else once it is (never, if it is refused). */
  private whenVerified(run: () => void): void {
    if (this.trust === 'verified') run();
    else if (this.trust === 'checking') this.untilVerified.push(run);
  }

  /**
   * Our tracks off their senders until the partner is verified: a site that is not the pinned
   * one gets nothing of this one's camera or microphone. The transceivers stay, so no
   * renegotiation; replaceTrack puts them back.
   */
  private holdTracks(): void {
    for (const sender of this.pc.getSenders()) {
      if (sender.track === null) continue;
      this.heldTracks.set(sender, sender.track);
      void sender.replaceTrack(null).catch(() => undefined);
    }
  }

  /**
   * The partner's certificate, from the live connection's stats (the transport's
   * remoteCertificateId: what DTLS authenticated, not what the SDP said), once DTLS is up. With a
   * pin, it decides: a match lets everything held through, anything else closes the session.
   */
  private async readPartnerIdentity(): Promise<void> {
    if (this.identityRead) return;
    this.identityRead = true;
    let seen: string | null = null;
    for (
      let waited = 0;
      seen === null && waited <= CERTIFICATE_WAIT_MS && !this.closed;
      waited += CERTIFICATE_POLL_MS
    ) {
      const stats = await this.pc.getStats().catch(() => null);
      seen = stats === null ? null : remoteFingerprintOf(stats.values() as Iterable<CertificateStatsEntry>);
      if (seen === null) await new Promise((resolve) => setTimeout(resolve, CERTIFICATE_POLL_MS));
    }
    if (this.closed) return;
    this.on.partnerIdentity(seen);
    if (this.trust !== 'checking') return;
    if (seen === null || !this.accepts(seen)) return this.refuse(seen);
    this.trust = 'verified';
    this.verifiedAs = seen;
    const renewed = seen !== this.options.partnerFingerprint;
    console.info(JSON.stringify({ event: 'partner-verified', id: this.options.id, fingerprint: seen, renewed }));
    for (const [sender, track] of this.heldTracks) void sender.replaceTrack(track).catch(() => undefined);
    this.heldTracks.clear();
    for (const run of this.untilVerified.splice(0)) run();
  }

  /** Whether `seen` is the pinned partner: the pin itself, or a renewal it told this site of. */
  private accepts(seen: string): boolean {
    return seen === this.options.partnerFingerprint || (this.options.partnerSuccessors ?? []).includes(seen);
  }

  /** The partner is not the pinned site: nothing of it was shown; the session ends. */
  private refuse(seen: string | null): void {
    if (this.closed || this.trust === 'refused') return;
    this.trust = 'refused';
    this.untilVerified.length = 0;
    console.warn(
      JSON.stringify({
        event: 'partner-untrusted',
        id: this.options.id,
        expected: this.options.partnerFingerprint,
        ...((this.options.partnerSuccessors ?? []).length > 0 ? { orRenewed: this.options.partnerSuccessors } : {}),
        seen,
      }),
    );
    this.on.untrusted(seen);
    this.close('partner certificate does not match the pin');
  }

  /** On a thin link, video a little under the bandwidth estimate (bitrate-headroom.ts). */
  private followEstimate(estimateBps: number | null): void {
    const cap = sendingCapKbps(estimateBps === null ? null : estimateBps / 1000, this.sending.maxBitrateKbps);
    if (!capChanged(this.appliedCapKbps, cap)) return;
    this.appliedCapKbps = cap;
    void this.tuneSenders();
  }

  /**
   * What this session received, for the next one's start: smoothed over the polls while pictures
   * come (a stall's near-silent polls would make a good link look thin), and its best figure, so
   * the session a cut ends leaves what the link carried, not what the cut let through.
   */
  private countReceived(bytes: number, fresh: boolean): void {
    const now = performance.now();
    const last = this.received;
    if (fresh && last.at > 0 && now > last.at && bytes >= last.bytes) {
      const kbps = ((bytes - last.bytes) * 8) / (now - last.at);
      last.kbps = last.kbps === null ? kbps : last.kbps * 0.8 + kbps * 0.2;
      last.best = Math.max(last.best, last.kbps);
      if (now - last.reportedAt >= RECEIVED_REPORT_MS) {
        last.reportedAt = now;
        this.on.received(Math.round(last.best));
      }
    } else if (last.at === 0) {
      last.reportedAt = now;
    }
    last.bytes = bytes;
    last.at = now;
  }

  /** Low playout delay on what we receive: a window, not a broadcast. */
  private tuneReceivers(): void {
    for (const receiver of this.pc.getReceivers()) {
      // Feature-detected: jitterBufferTarget is the standard name, playoutDelayHint Chrome's older one.
      const tunable = receiver as unknown as Record<string, unknown>;
      if ('jitterBufferTarget' in tunable) tunable['jitterBufferTarget'] = 0;
      else if ('playoutDelayHint' in tunable) tunable['playoutDelayHint'] = 0;
    }
  }

  private tuneSenders(): Promise<void> {
    return this.withParameters(() => this.applySending());
  }

  private async applySending(): Promise<void> {
    for (const sender of this.pc.getSenders()) {
      if (sender.track?.kind !== 'video') continue;
      const parameters = sender.getParameters();
      if (parameters.encodings.length === 0) parameters.encodings = [{}];
      for (const encoding of parameters.encodings) {
        if (this.appliedCapKbps !== null) encoding.maxBitrate = this.appliedCapKbps * 1000;
        else delete encoding.maxBitrate;
      }
      (parameters as RTCRtpSendParameters & { degradationPreference?: string }).degradationPreference =
        this.sending.degradation;
      await sender
        .setParameters(parameters)
        .catch((error: unknown) =>
          console.warn(JSON.stringify({ event: 'set-parameters-failed', message: String(error) })),
        );
    }
  }
}

/**
 * A certificate the browser takes: RTCPeerConnection refuses an expired one ("Expired
 * certificate(s)"). One about to expire is renewed by SiteIdentity; should one slip through, the
 * session runs with the browser's own rather than not at all (a pinned partner then refuses it).
 */
function usable(certificate: RTCCertificate | null): certificate is RTCCertificate {
  if (certificate === null) return false;
  if (certificate.expires > Date.now() + 60_000) return true;
  console.warn(JSON.stringify({ event: 'identity-expired', expires: new Date(certificate.expires).toISOString() }));
  return false;
}

/** Puts `codec` first in every video transceiver's list, where the browser can send it. */
function preferCodec(pc: RTCPeerConnection, codec: Codec): void {
  const capabilities = RTCRtpSender.getCapabilities('video');
  if (capabilities === null) return;
  const wanted = `video/${codec}`.toLowerCase();
  const preferred = capabilities.codecs.filter((c) => c.mimeType.toLowerCase() === wanted);
  if (preferred.length === 0) {
    console.warn(JSON.stringify({ event: 'codec-unavailable', codec }));
    return;
  }
  const rest = capabilities.codecs.filter((c) => c.mimeType.toLowerCase() !== wanted);
  for (const transceiver of pc.getTransceivers()) {
    if (transceiver.sender.track?.kind !== 'video') continue;
    try {
      transceiver.setCodecPreferences([...preferred, ...rest]);
    } catch (error) {
      console.warn(JSON.stringify({ event: 'codec-preference-failed', codec, message: String(error) }));
    }
  }
}

/** The fields of getStats() reports this file reads. */
interface StatsEntry {
  readonly id: string;
  readonly type: string;
  readonly kind?: string;
  readonly framesDecoded?: number;
  readonly packetsReceived?: number;
  readonly bytesReceived?: number;
  readonly selectedCandidatePairId?: string;
  readonly availableOutgoingBitrate?: number;
}
