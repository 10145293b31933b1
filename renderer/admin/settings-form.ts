// The settings form, generated from the registry's fields (app/admin/admin-settings.ts): one
// labelled control per field in its section, its help, and a place for its error. It reads and
// fills the form as text, and shows each wrong field's message next to it.

import { ADMIN_FIELDS, type AdminField, type AdminForm, type FieldSpec } from '../../app/admin/admin-settings.js';
import { CODECS } from '../../app/config/link-settings.js';
import { SECTIONS, type Section } from '../../app/settings/setting.js';
import { h } from '../view/dom.js';

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

export class SettingsForm {
  readonly element = h('form', { class: 'admin-settings', novalidate: true, hidden: true });
  private readonly controls = new Map<AdminField, Control>();
  private readonly errors = new Map<AdminField, HTMLElement>();
  /** One fieldset per section, for the panels that add to a section (pairing to Link). */
  readonly sections = new Map<Section, HTMLFieldSetElement>();

  /** `host`: show a kiosk host's own fields (hosting the server, its port). */
  constructor(host: boolean) {
    for (const [section, legend] of Object.entries(SECTIONS) as [Section, string][]) {
      const fieldset = h('fieldset', {}, h('legend', {}, legend));
      this.sections.set(section, fieldset);
      this.element.append(fieldset);
    }
    for (const field of ADMIN_FIELDS) {
      if (field.hostOnly && !host) continue;
      this.sections.get(field.section)!.append(this.field(field));
    }
  }

  control(name: AdminField): Control | undefined {
    return this.controls.get(name);
  }

  /** What the controls hold; a field this form does not show reads as empty. */
  read(): AdminForm {
    const form: Record<string, string> = {};
    for (const { name } of ADMIN_FIELDS) {
      const control = this.controls.get(name);
      form[name] =
        control === undefined
          ? ''
          : control instanceof HTMLInputElement && control.type === 'checkbox'
            ? control.checked
              ? '1'
              : '0'
            : control.value;
    }
    return form as AdminForm;
  }

  fill(form: AdminForm): void {
    for (const [name, control] of this.controls) {
      const value = form[name];
      if (control instanceof HTMLInputElement && control.type === 'checkbox') control.checked = value === '1';
      else {
        if (control instanceof HTMLSelectElement) ensureOption(control, value);
        control.value = value;
      }
      this.showError(name, null);
    }
  }

  set(name: AdminField, value: string): void {
    const control = this.controls.get(name);
    if (control instanceof HTMLInputElement && control.type === 'checkbox') control.checked = value === '1';
    else if (control) control.value = value;
  }

  showErrors(errors: Partial<Record<AdminField, string>>): void {
    for (const name of this.controls.keys()) this.showError(name, errors[name] ?? null);
    const first = ADMIN_FIELDS.find(({ name }) => errors[name] !== undefined && this.controls.has(name));
    if (first) this.controls.get(first.name)?.focus();
  }

  /** Replaces a select's options, keeping `current` even when it is not among them. */
  setOptions(name: AdminField, options: ReadonlyArray<readonly [string, string]>, current: string): void {
    const control = this.controls.get(name);
    if (!(control instanceof HTMLSelectElement)) return;
    control.replaceChildren(...options.map(([value, label]) => h('option', { value }, label)));
    ensureOption(control, current);
    control.value = current;
  }

  private showError(name: AdminField, message: string | null): void {
    const error = this.errors.get(name);
    const control = this.controls.get(name);
    if (error === undefined || control === undefined) return;
    error.textContent = message ?? '';
    if (message === null) control.removeAttribute('aria-invalid');
    else control.setAttribute('aria-invalid', 'true');
  }

  private field(field: FieldSpec): HTMLElement {
    const control = controlFor(field);
    control.id = `admin-${field.name}`;
    control.setAttribute('name', field.name);
    const error = h('p', { class: 'field-error', id: `admin-${field.name}-error`, 'aria-live': 'polite' });
    control.setAttribute('aria-describedby', error.id);
    this.controls.set(field.name, control);
    this.errors.set(field.name, error);
    const checkbox = field.control.kind === 'checkbox';
    const row = h(
      'div',
      { class: checkbox ? 'field checkbox' : 'field' },
      h('label', { for: control.id }, field.label),
      control,
      field.help ? h('p', { class: 'hint' }, field.help) : null,
      error,
    );
    if (field.control.kind === 'text' && field.control.secret) return withShowButton(row, control as HTMLInputElement);
    return row;
  }
}

function controlFor(field: FieldSpec): Control {
  const control = field.control;
  const select = (options: ReadonlyArray<readonly [string, string]>) =>
    h('select', {}, ...options.map(([value, label]) => h('option', { value }, label)));
  switch (control.kind) {
    case 'text':
      return h('input', {
        // A secret is masked text, not type=password, which would make the browser offer to
        // save it in a bubble over the kiosk.
        type: 'text',
        ...(control.secret ? { class: 'masked', spellcheck: 'false' } : {}),
        autocomplete: 'off',
        ...(control.numeric ? { inputmode: 'numeric' } : {}),
        ...(control.placeholder ? { placeholder: control.placeholder } : {}),
      });
    case 'checkbox':
      return h('input', { type: 'checkbox' });
    case 'select':
      return select(control.options);
    case 'device':
      return select([['', control.first]]);
    case 'codec': {
      // Only what this browser can send, and "Automatic".
      const sendable = new Set(
        (RTCRtpSender.getCapabilities?.('video')?.codecs ?? []).map((c) =>
          c.mimeType.replace(/^video\//i, '').toUpperCase(),
        ),
      );
      return select([['', 'Automatic'], ...CODECS.filter((c) => sendable.has(c)).map((c) => [c, c] as const)]);
    }
    case 'lines':
      return h('textarea', { rows: String(control.rows), spellcheck: 'false' });
    case 'none':
      throw new Error(`the field ${field.name} has no control`);
  }
}

/** A secret's field with a Show/Hide button beside it. */
function withShowButton(row: HTMLElement, input: HTMLInputElement): HTMLElement {
  const show = h('button', { type: 'button', class: 'inline', 'aria-label': `Show ${input.name}` }, 'Show');
  show.addEventListener('click', () => {
    const masked = input.classList.toggle('masked');
    show.textContent = masked ? 'Show' : 'Hide';
  });
  return h('div', { class: 'with-button' }, row, show);
}

/** A select shows a saved value even when it is not one of today's options (a label part, a custom size). */
function ensureOption(select: HTMLSelectElement, value: string): void {
  if (![...select.options].some((option) => option.value === value)) select.append(h('option', { value }, value));
}
