// The bench's reference: a bare page on plain RTCPeerConnection, no UI, no machine, speaking the
// same signaling protocol. The lower site name offers; candidates trickle; data-portal-state
// says 'live' once remote frames are decoded, as Portal's page does. Served from a real loopback
// HTTP server: a page Playwright fulfils itself has no address space, and Chromium's Local
// Network Access checks then treat it as public and block its WebSocket to 127.0.0.1.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Serves /bare?room=&site=&key= on 127.0.0.1; resolves with its base URL and a stop function. */
export async function serveBarePage(signalUrl: string): Promise<{ base: string; stop(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const param = (name: string) => (url.searchParams.get(name) ?? '').replace(/[^A-Za-z0-9._-]/g, '');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(barePageHtml(signalUrl, param('room'), param('site'), param('key')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export function barePageHtml(signalUrl: string, room: string, site: string, key: string): string {
  return `<!doctype html><html><body style="margin:0;background:#000">
<video id="remote" autoplay playsinline muted style="width:100vw;height:100vh"></video>
<script type="module">
const ws = new WebSocket(${JSON.stringify(signalUrl)});
const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 1280, height: 720, frameRate: 30 } });
let pc = null, partner = null, iceServers = [];
const send = (data) => ws.send(JSON.stringify({ type: 'signal', data }));
const open = (offer) => {
  pc?.close();
  pc = new RTCPeerConnection({ iceServers });
  for (const track of stream.getTracks()) pc.addTrack(track, stream);
  pc.onicecandidate = (e) => e.candidate && send({ candidate: e.candidate.toJSON() });
  pc.ontrack = (e) => { document.getElementById('remote').srcObject = e.streams[0]; };
  if (offer) pc.createOffer().then((o) => pc.setLocalDescription(o)).then(() => send({ sdp: pc.localDescription.toJSON() }));
};
const meet = (other) => { partner = other; if ('${site}' < other) open(true); };
ws.onopen = () => ws.send(JSON.stringify({ type: 'join', v: 1, room: '${room}', site: '${site}', key: '${key}' }));
ws.onmessage = async (event) => {
  const m = JSON.parse(event.data);
  if (m.type === 'joined') iceServers = m.iceServers ?? [];
  if (m.type === 'joined' && m.peers.length) meet(m.peers[0]);
  if (m.type === 'peer-joined') meet(m.site);
  if (m.type === 'peer-left') { pc?.close(); pc = null; document.documentElement.dataset.portalState = 'waiting'; }
  if (m.type !== 'signal') return;
  const d = m.data;
  if (d.sdp?.type === 'offer') { open(false); await pc.setRemoteDescription(d.sdp); await pc.setLocalDescription(await pc.createAnswer()); send({ sdp: pc.localDescription.toJSON() }); }
  else if (d.sdp?.type === 'answer') await pc.setRemoteDescription(d.sdp);
  else if (d.candidate && pc) await pc.addIceCandidate(d.candidate).catch(() => {});
};
document.documentElement.dataset.portalState = 'waiting';
setInterval(async () => {
  if (!pc) return;
  let decoded = 0;
  (await pc.getStats()).forEach((r) => { if (r.type === 'inbound-rtp' && r.kind === 'video') decoded = r.framesDecoded; });
  if (decoded > (window.__decoded ?? 0)) document.documentElement.dataset.portalState = 'live';
  window.__decoded = decoded;
}, 250);
</script></body></html>`;
}
