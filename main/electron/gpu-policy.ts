// Repeated GPU process crashes (a bad driver, a flaky embedded GPU) relaunch the app with
// hardware acceleration off, once: software rendering is slower but stays up.

/** On Portal's own command line: start with hardware acceleration off. */
export const DISABLE_GPU_SWITCH = '--portal-disable-gpu';
/** The exit code that asks a supervising `portal start` to relaunch with DISABLE_GPU_SWITCH. */
export const RELAUNCH_WITHOUT_GPU_EXIT = 75;
/** Electron's exit code asking `portal start` to run it again at once, as it was (new switches). */
export const RELAUNCH_EXIT = 76;

export interface GpuCrashOptions {
  readonly maxCrashes: number;
  readonly windowMs: number;
}

export const DEFAULT_GPU_CRASHES: GpuCrashOptions = { maxCrashes: 3, windowMs: 5 * 60_000 };

export class GpuCrashPolicy {
  private readonly crashes: number[] = [];

  constructor(
    private readonly now: () => number,
    /** Hardware acceleration is already off: there is nothing left to turn off. */
    private readonly alreadyOff: boolean,
    private readonly options: GpuCrashOptions = DEFAULT_GPU_CRASHES,
  ) {}

  /** A GPU process went away; true when the app should relaunch without hardware acceleration. */
  gpuProcessGone(): boolean {
    if (this.alreadyOff) return false;
    const now = this.now();
    this.crashes.push(now);
    while (now - this.crashes[0]! > this.options.windowMs) this.crashes.shift();
    return this.crashes.length >= this.options.maxCrashes;
  }
}

/** The command line for the relaunch: this one, with the switch added once. */
export function relaunchArgs(args: readonly string[]): string[] {
  return args.includes(DISABLE_GPU_SWITCH) ? [...args] : [...args, DISABLE_GPU_SWITCH];
}
