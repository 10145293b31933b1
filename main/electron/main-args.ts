// Portal's own switches on the Electron command line (`electron . --config FILE`, or the packaged
// `portal --config FILE`). Chromium's switches share the line; anything not ours is left alone.

import { DISABLE_GPU_SWITCH } from './gpu-policy.js';

export interface ElectronMainArgs {
  readonly configPath: string | null;
  readonly hardwareAccelerationOff: boolean;
}

export function parseElectronMainArgs(argv: readonly string[]): ElectronMainArgs {
  let configPath: string | null = null;
  argv.forEach((arg, index) => {
    if (arg === '--config' && index + 1 < argv.length) configPath = argv[index + 1]!;
    else if (arg.startsWith('--config=')) configPath = arg.slice('--config='.length);
  });
  return { configPath: configPath || null, hardwareAccelerationOff: argv.includes(DISABLE_GPU_SWITCH) };
}
