// The numbers of docs/protocol.md, version 1, in one place for the server, the renderer's
// client and the tests.

export const PROTOCOL_VERSION = 1;
export const SIGNAL_PATH = '/signal';
export const DEFAULT_SIGNAL_PORT = 8787;

/** A frame larger than this closes the connection with 1009. */
export const MAX_FRAME_BYTES = 64 * 1024;
/** `join` must arrive within this long of connecting. */
export const JOIN_TIMEOUT_MS = 5_000;
/** Sites per room. */
export const ROOM_CAPACITY = 2;
/** `bad-message` answers in a row before the connection is closed with 4400. */
export const MAX_BAD_MESSAGES_IN_A_ROW = 10;
/** Token bucket: a burst of this many messages ... */
export const RATE_BURST = 200;
/** ... then this many a second, sustained. */
export const RATE_PER_SECOND = 50;
/** A socket whose send buffer passes this is dropped rather than buffered without bound. */
export const MAX_SEND_BUFFER_BYTES = 1024 * 1024;
/** WebSocket-level ping interval; two missed pongs drop the connection. */
export const DEFAULT_HEARTBEAT_MS = 10_000;
export const MISSED_PONGS_TO_DROP = 2;

/** Room and site names: 1-64 characters of A-Z a-z 0-9 . _ - */
export const NAME_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
export const MAX_KEY_LENGTH = 256;
