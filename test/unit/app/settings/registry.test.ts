// The settings registry is where a setting is declared once; everything else is derived. These
// hold each entry to that: it survives the trip through a URL and through the config file, the
// overlay can show and read it, a change to it has a way to be applied, and an older config file
// gets its default.

import { describe, expect, it } from 'vitest';
import {
  adminForm,
  adminSettingsFromConfig,
  configWithAdminSettings,
  parseAdminForm,
} from '../../../../app/admin/admin-settings.js';
import { applyPlan } from '../../../../app/admin/apply-plan.js';
import { migrateConfig } from '../../../../app/config/config-migrations.js';
import { linkParams, parseLinkSettings } from '../../../../app/config/link-settings.js';
import {
  CONFIG_VERSION,
  configText,
  defaultConfig,
  parseConfigText,
  PortalConfigSchema,
} from '../../../../app/config/portal-config.js';
import {
  defaultSettings,
  PAGE_SETTING_NAMES,
  pageSettings,
  SETTING_NAMES,
  settingOf,
  type AllSettings,
} from '../../../../app/settings/registry.js';
import { APPLY_STEPS } from '../../../../app/settings/setting.js';

const defaults: AllSettings = { ...defaultSettings(), key: 'k', site: 'dublin', room: 'hall' };
/** The defaults with one setting at its example value. */
const withExample = (name: (typeof SETTING_NAMES)[number]): AllSettings => ({
  ...defaults,
  [name]: settingOf(name).example,
});

describe('the settings registry', () => {
  it.each(SETTING_NAMES)('%s has an example that differs from its default, and both are valid', (name) => {
    const spec = settingOf(name);
    expect(spec.value.safeParse(spec.default).success).toBe(true);
    expect(spec.value.safeParse(spec.example).success).toBe(true);
    expect(spec.example).not.toEqual(spec.default);
  });

  it.each(PAGE_SETTING_NAMES)('%s survives a trip through the URL, and is left out at its default', (name) => {
    const settings = pageSettings(withExample(name));
    const params = linkParams(settings);
    expect(params[name]).toBeDefined();
    expect(parseLinkSettings(params)).toEqual({ ok: true, settings });
    const atDefault = linkParams(pageSettings(defaults));
    if (settingOf(name).required === undefined && name !== 'key') expect(atDefault[name]).toBeUndefined();
  });

  it.each(SETTING_NAMES)('%s survives a trip through the config file', (name) => {
    const config = configWithAdminSettings(defaultConfig('dublin', 'k'), {
      ...withExample(name),
      // A kiosk that does not host the server names its partner's.
      ...(name === 'hostSignaling' ? { signal: 'ws://10.0.0.2:8787/signal' } : {}),
    });
    const parsed = parseConfigText(configText(config));
    if (!parsed.ok) throw new Error(parsed.error);
    expect(adminSettingsFromConfig(parsed.config)[name]).toEqual(settingOf(name).example);
  });

  it.each(SETTING_NAMES)('%s survives a trip through the overlay form', (name) => {
    const settings = { ...withExample(name), ...(name === 'hostSignaling' ? { signal: 'ws://h:1/signal' } : {}) };
    expect(parseAdminForm(adminForm(settings), 'host')).toEqual({ ok: true, settings });
  });

  it.each(PAGE_SETTING_NAMES)('%s has a step that applies a change to it', (name) => {
    const spec = settingOf(name);
    expect(APPLY_STEPS).toContain(spec.apply);
    const plan = applyPlan(pageSettings(defaults), pageSettings(withExample(name)));
    expect(plan.changed).toEqual([name]);
    expect(plan[spec.apply]).toBe(true);
  });

  it.each(SETTING_NAMES)('%s came with a config version this Portal migrates to', (name) => {
    const since = settingOf(name).since;
    expect(since).toBeGreaterThanOrEqual(1);
    expect(since).toBeLessThanOrEqual(CONFIG_VERSION);
  });

  it("gives a version-4 file the default of every setting version 5 brought (no partner's fingerprint), and nothing else", () => {
    const current = defaultConfig('dublin', 'k');
    const v4: Record<string, unknown> = { ...current, version: 4 };
    for (const name of SETTING_NAMES) if (settingOf(name).since === 5) delete v4[name];
    expect(Object.keys(current).length - Object.keys(v4).length).toBe(1);
    const migrated = migrateConfig(v4, CONFIG_VERSION);
    expect(migrated.ok && PortalConfigSchema.parse(migrated.value)).toEqual(current);
  });

  it('gives a version-2 file the default of every setting version 3 brought (hardware video), and nothing else', () => {
    const current = defaultConfig('dublin', 'k');
    const v2: Record<string, unknown> = { ...current, version: 2 };
    for (const name of SETTING_NAMES) if (settingOf(name).since === 3) delete v2[name];
    expect(Object.keys(current).length - Object.keys(v2).length).toBe(1);
    const migrated = migrateConfig(v2, CONFIG_VERSION);
    expect(migrated.ok && PortalConfigSchema.parse(migrated.value)).toEqual(current);
  });

  it('gives a version-1 file the default of every setting version 2 brought, and nothing else', () => {
    const current = defaultConfig('dublin', 'k');
    const v1: Record<string, unknown> = { ...current, version: 1 };
    delete v1['pin'];
    for (const name of SETTING_NAMES) if (settingOf(name).since === 2) delete v1[name];
    const migrated = migrateConfig(v1, CONFIG_VERSION);
    expect(migrated.ok && PortalConfigSchema.parse(migrated.value)).toEqual(current);
  });
});
