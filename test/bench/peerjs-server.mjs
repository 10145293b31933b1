// PeerJS's own server (the `peer` package) as the bench's reference, started the way its README
// shows, with the client cap raised so it can hold the largest run. Prints the same
// `listening on ...` line as `portal serve` and stops on SIGTERM.
import { PeerServer } from 'peer';

const server = PeerServer({ host: '127.0.0.1', port: 0, path: '/', concurrent_limit: 1_000_000 }, (http) => {
  process.stdout.write(`listening on http://127.0.0.1:${http.address().port}\n`);
  process.on('SIGTERM', () => process.exit(0));
});
server.on('error', () => {});
