// The device fields of the settings form: each device select filled from enumerateDevices, and
// a live preview of the camera chosen (the picture being sent, when it is the one in use).

import { ADMIN_FIELDS, type AdminField } from '../../app/admin/admin-settings.js';
import { h } from '../view/dom.js';
import type { Disposable } from '../lifecycle/disposables.js';
import type { SettingsForm } from './settings-form.js';

export class DeviceFields implements Disposable {
  readonly preview = h('video', { class: 'admin-preview', muted: true, autoplay: true, playsinline: true });
  private previewStream: MediaStream | null = null;

  constructor(
    private readonly form: SettingsForm,
    /** The camera the page uses now, and the picture it sends. */
    private readonly current: () => { camera: string | null; outgoing: MediaStream },
  ) {}

  /** Fills each device select, keeping what `form` holds for it. */
  async fill(values: Readonly<Record<AdminField, string>>): Promise<void> {
    const devices = await navigator.mediaDevices.enumerateDevices().catch(() => [] as MediaDeviceInfo[]);
    for (const field of ADMIN_FIELDS) {
      if (field.control.kind !== 'device') continue;
      const kind = field.control.device;
      const options = [
        ['', field.control.first] as const,
        ...devices
          .filter((d) => d.kind === kind && d.deviceId !== '' && d.deviceId !== 'default')
          .map((d, i) => [d.deviceId, d.label || `${kind} ${i + 1}`] as const),
        // A camera can always be replaced by the moving test pattern.
        ...(kind === 'videoinput' ? [['test-pattern', 'Test pattern'] as const] : []),
      ];
      this.form.setOptions(field.name, options, values[field.name]);
    }
  }

  async showPreview(): Promise<void> {
    this.stopPreview();
    const chosen = this.form.control('camera')?.value ?? '';
    const { camera, outgoing } = this.current();
    if (chosen === (camera ?? '') || chosen === 'test-pattern') {
      this.preview.srcObject = outgoing;
      return;
    }
    try {
      this.previewStream = await navigator.mediaDevices.getUserMedia({ video: { deviceId: { exact: chosen } } });
      this.preview.srcObject = this.previewStream;
    } catch {
      this.preview.srcObject = null;
    }
  }

  stopPreview(): void {
    for (const track of this.previewStream?.getTracks() ?? []) track.stop();
    this.previewStream = null;
    this.preview.srcObject = null;
  }

  dispose(): void {
    this.stopPreview();
  }
}
