// The bridge's call names and their IPC channels, with no schema library: the sandboxed preload
// is built from this file alone (a sandboxed preload can require nothing but `electron`).
// contract.ts gives every name here its argument schema, and the compiler holds the two lists
// to each other.

export const BRIDGE_CALL_NAMES = [
  'reportState',
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

/** The IPC channel (Electron) of a call; the HTTP transport uses `/bridge/<call>`. */
export const bridgeChannel = (call: BridgeCallName): string => `portal:${call}`;
