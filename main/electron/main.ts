// The Electron main process: the glue between Electron's modules and the host logic. Everything
// with a decision in it (window options, shortcuts, the display's recovery, the app protocol,
// permissions, the bridge, GPU crashes) lives in its own module with tests; this file only wires
// them to the real `app`, `BrowserWindow`, `protocol`, `ipcMain`, `session` and `powerSaveBlocker`.

import { BrowserWindow, Menu, app, ipcMain, powerSaveBlocker, protocol, screen, session } from 'electron';
import { hostEnvironment } from '../site/host-environment.js';
import { defaultConfigPath } from '../config/config-store.js';
import { hardwareVideoOf, hardwareVideoSwitches, probeVideoDevices } from '../display/hardware-video.js';
import { DisplayPower, runPowerCommand } from '../display/display-power.js';
import { createKioskLogger } from '../log/kiosk-logger.js';
import { BUILT_PRELOAD } from '../site/built-paths.js';
import { startSite } from '../site/site-host.js';
import { PORTAL_SCHEME_PRIVILEGES } from './app-protocol.js';
import { electronShell } from './electron-shell.js';
import { GpuCrashPolicy, RELAUNCH_EXIT, RELAUNCH_WITHOUT_GPU_EXIT, relaunchArgs } from './gpu-policy.js';
import { kioskWindowOptions, screenRect, type KioskScreen } from './kiosk-window.js';
import { parseElectronMainArgs } from './main-args.js';
import { applyPermissionPolicy } from './web-policies.js';

const args = parseElectronMainArgs(process.argv);
const log = createKioskLogger('portal.electron');
const logger = log.logger;

// Before `ready`: the GPU decision, hardware video, the privileged scheme, autoplay without a gesture.
const configPath = args.configPath ?? defaultConfigPath();
const supervised = process.env['PORTAL_SUPERVISED'] === '1';
const hardwareVideo = hardwareVideoOf(configPath);
if (args.hardwareAccelerationOff) app.disableHardwareAcceleration();
else {
  const video = hardwareVideoSwitches(hardwareVideo, probeVideoDevices());
  for (const [name, value] of video.switches) app.commandLine.appendSwitch(name, ...(value === null ? [] : [value]));
  if (video.enableFeatures.length > 0) app.commandLine.appendSwitch('enable-features', video.enableFeatures.join(','));
  logger.info('hardware-video', { reason: video.reason });
}
protocol.registerSchemesAsPrivileged([PORTAL_SCHEME_PRIVILEGES]);
app.commandLine.appendSwitch('autoplay-policy', 'no-user-gesture-required');

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    logger.warn('already-running', { message: 'Portal is already running on this machine; this copy quits.' });
    app.quit();
    return;
  }
  // Windows come and go as the display is restarted; the app stays until it is stopped.
  app.on('window-all-closed', () => undefined);
  await app.whenReady();
  Menu.setApplicationMenu(null);
  applyPermissionPolicy(session.defaultSession, logger.child('permissions'));
  watchGpu();
  // Kept while the portal runs; let go while a closed site has its display off (DisplayPower).
  let blocker = powerSaveBlocker.start('prevent-display-sleep');
  const displayPower = new DisplayPower({
    env: process.env,
    run: runPowerCommand,
    blocker: {
      allowSleep: () => powerSaveBlocker.stop(blocker),
      preventSleep: () => {
        if (!powerSaveBlocker.isStarted(blocker)) blocker = powerSaveBlocker.start('prevent-display-sleep');
      },
    },
    logger: logger.child('display-power'),
  });
  // Windows and macOS start the packaged kiosk at login; Linux uses `portal install-autostart`.
  if (app.isPackaged && process.platform !== 'linux') app.setLoginItemSettings({ openAtLogin: true });

  const environment = hostEnvironment(logger);
  const site = await startSite({
    configPath,
    shell: electronShell({
      ipcMain,
      protocol,
      rendererDir: environment.staticDir,
      logger,
      // Made on the primary display's bounds: with no window manager, full screen alone is not.
      createWindow: (placement) =>
        new BrowserWindow(
          kioskWindowOptions({
            preload: BUILT_PRELOAD,
            packaged: app.isPackaged,
            ...(placement ? { placement } : { screen: kioskScreen.bounds() }),
          }),
        ),
      screen: kioskScreen,
    }),
    attachLogFile: (directory) => log.attachLogFile(directory),
    // A new hardware video setting needs new switches, which Electron takes only at its start.
    restartsProcess: () => {
      if (args.hardwareAccelerationOff || hardwareVideoOf(configPath) === hardwareVideo) return false;
      logger.info('relaunch-for-hardware-video', { supervised });
      relaunch(RELAUNCH_EXIT, process.argv.slice(1));
      return true;
    },
    recentLogs: () => log.recent(),
    displayPower,
    ...environment,
  });
  process.stdout.write(
    `kiosk ${site.config.site} in room ${site.config.room}: electron ${process.versions.electron}, local port ${site.host.port}\n`,
  );
  app.on('second-instance', () => logger.info('second-instance-refused', {}));

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      logger.info('stopping', {});
      await site.host.stop();
      powerSaveBlocker.stop(blocker);
      await log.close();
      app.exit(0);
    })());
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  app.on('before-quit', (event) => {
    event.preventDefault();
    void stop();
  });
}

/** electron.screen's primary display, and its changes (usable once the app is ready). */
const kioskScreen: KioskScreen = {
  bounds: () => screenRect(screen.getPrimaryDisplay().bounds),
  onChange(listener) {
    screen.on('display-added', listener);
    screen.on('display-removed', listener);
    screen.on('display-metrics-changed', listener);
    return () => {
      screen.off('display-added', listener);
      screen.off('display-removed', listener);
      screen.off('display-metrics-changed', listener);
    };
  },
};

/** Repeated GPU process crashes: relaunch with hardware acceleration off. */
function watchGpu(): void {
  const policy = new GpuCrashPolicy(() => Date.now(), args.hardwareAccelerationOff);
  app.on('child-process-gone', (_event, details) => {
    if (details.type !== 'GPU') return;
    logger.warn('gpu-process-gone', { reason: details.reason, exitCode: details.exitCode });
    if (!policy.gpuProcessGone()) return;
    logger.warn('relaunch-without-gpu', { supervised });
    relaunch(RELAUNCH_WITHOUT_GPU_EXIT, relaunchArgs(process.argv.slice(1)));
  });
}

/** Under `portal start` the supervisor relaunches (it owns the process, `code` says how); on its own, Electron does. */
function relaunch(code: number, argsOnItsOwn: string[]): void {
  if (supervised) {
    app.exit(code);
    return;
  }
  app.relaunch({ args: argsOnItsOwn });
  app.exit(0);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  logger.error('start-failed', { message });
  process.stderr.write(`portal: ${message}\n`);
  app.exit(1);
});
