// The bridge's call and event names and their IPC channels, with no schema library: the
// sandboxed preload is built from this file alone (a sandboxed preload can require nothing but
// `electron`). contract.ts gives every name here its schemas, and the compiler holds the lists
// to each other.

export const BRIDGE_CALL_NAMES = [
  'reportState',
  'setDisplayPower',
  'getSettings',
  'adminStatus',
  'setPin',
  'unlock',
  'getAdminSettings',
  'saveAdminSettings',
  'getLogs',
  'restart',
] as const;
export type BridgeCallName = (typeof BRIDGE_CALL_NAMES)[number];

export const BRIDGE_EVENT_NAMES = ['settingsChanged'] as const;
export type BridgeEventName = (typeof BRIDGE_EVENT_NAMES)[number];

/** The IPC channel (Electron) of a call; the HTTP transport uses `/bridge/<call>`. */
export const bridgeChannel = (call: BridgeCallName): string => `portal:${call}`;

/** The IPC channel (Electron) of an event; the HTTP transport streams them from `/bridge/events`. */
export const bridgeEventChannel = (event: BridgeEventName): string => `portal:event:${event}`;
