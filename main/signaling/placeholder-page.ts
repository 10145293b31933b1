// What `/` shows when no built renderer is there to serve.

export function placeholderPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Portal signaling server</title>
<style>body{background:#111;color:#eee;font:1.4rem system-ui,sans-serif;display:grid;place-items:center;height:100vh;margin:0}</style>
</head><body><main><h1>Portal signaling server</h1>
<p>This server relays signaling for Portal sites on <code>/signal</code>.</p>
<p>The portal page itself is not built here: run <code>npm run build</code>, then start the server again.</p>
<p>Health: <a href="/healthz">/healthz</a> &middot; Metrics: <a href="/metrics">/metrics</a></p>
</main></body></html>
`;
}
