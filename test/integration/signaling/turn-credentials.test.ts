// The credentials the signaling server hands out, put to a real coturn running with
// `--use-auth-secret` by the one client that matters, a real Chromium: it gathers ICE
// candidates through TURN only (iceTransportPolicy 'relay'), so a relay candidate appears only
// when coturn took the credentials, and a refused Allocate shows as a 401 candidate error.

import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IceServer } from '../../../app/signaling/messages.js';
import { TurnCredentialIssuer, turnCredential } from '../../../main/signaling/turn-credentials.js';
import { CHROMIUM, chromiumArgs } from '../../support/chromium.js';
import { startCoturn, type Coturn } from '../../support/coturn.js';
import { startTestServer, track } from '../../support/start-test-server.js';
import { TestSite } from '../../support/test-site.js';

const SECRET = 'coturn-and-portal-share-this';

let coturn: Coturn;
let browser: Browser;

beforeAll(async () => {
  [coturn, browser] = await Promise.all([
    startCoturn({ authSecret: SECRET }),
    chromium.launch({ executablePath: CHROMIUM, headless: true, args: chromiumArgs({ fakeCamera: false }) }),
  ]);
});

afterAll(async () => {
  await Promise.all([browser?.close(), coturn?.stop()]);
});

interface Gathered {
  readonly types: string[];
  readonly errors: string[];
}

/** The candidates a fresh peer connection gathers through `iceServers` alone. */
async function gatherRelayed(iceServers: readonly IceServer[]): Promise<Gathered> {
  const page = await browser.newPage();
  try {
    return await page.evaluate(async (servers) => {
      const pc = new RTCPeerConnection({ iceServers: servers, iceTransportPolicy: 'relay' });
      const types: string[] = [];
      const errors: string[] = [];
      pc.addEventListener('icecandidate', (event) => {
        if (event.candidate) types.push(event.candidate.type ?? 'unknown');
      });
      pc.addEventListener('icecandidateerror', (event) => errors.push(`${event.errorCode} ${event.errorText}`));
      const complete = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('ICE gathering did not complete within 8 s')), 8_000);
        pc.addEventListener('icegatheringstatechange', () => {
          if (pc.iceGatheringState !== 'complete') return;
          clearTimeout(timer);
          resolve();
        });
      });
      pc.createDataChannel('gather');
      await pc.setLocalDescription(await pc.createOffer());
      await complete;
      pc.close();
      return { types, errors };
    }, iceServers as IceServer[]);
  } finally {
    await page.close();
  }
}

describe('TURN credentials against a real coturn with use-auth-secret', () => {
  it('relays with the credentials a site gets in joined and in ice-servers', async () => {
    const server = await startTestServer({ turn: { urls: [coturn.url], secret: SECRET, ttl: 600 } });
    const site = track(await TestSite.join(server.signalUrl, 'lobby', 'dublin', 'test-key'));
    const joined = site.history[0];
    if (joined?.type !== 'joined') throw new Error('the first message is joined');
    expect(await gatherRelayed(joined.iceServers ?? [])).toEqual({ types: ['relay'], errors: [] });

    site.send({ type: 'ice-servers' });
    const fresh = await site.next('ice-servers');
    expect(await gatherRelayed(fresh.iceServers)).toEqual({ types: ['relay'], errors: [] });
    expect(coturn.log()).toMatch(/user <\d+:dublin>: incoming packet ALLOCATE processed, success/);
  });

  it('refuses credentials signed with another secret', async () => {
    const { username, credential } = turnCredential('not-the-secret', 'dublin', Math.floor(Date.now() / 1000) + 600);
    expect(await gatherRelayed([{ urls: [coturn.url], username, credential }])).toEqual({
      types: [],
      errors: [expect.stringMatching(/^401 /)],
    });
  });

  it('refuses credentials whose expiry has passed, though signed with the right secret', async () => {
    // Issued by the server's own code two minutes ago, for one minute.
    const issuer = new TurnCredentialIssuer(
      { urls: [coturn.url], secret: SECRET, ttl: 60 },
      () => Date.now() - 120_000,
    );
    const expired = issuer.iceServerFor('dublin');
    expect(Number(expired.username!.split(':')[0])).toBeLessThan(Date.now() / 1000);
    expect(await gatherRelayed([expired])).toEqual({ types: [], errors: [expect.stringMatching(/^401 /)] });
  });
});
