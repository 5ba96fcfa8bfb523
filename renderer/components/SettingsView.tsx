// Every engine and app setting. Checked as you type with the same validateSettings the server
// uses; the server's own verdict (updateSettings -> { ok:false, errors }) is shown per field.
import { useState, type FormEvent } from 'react';
import { validateSettings, type AppSettings, type SettingsErrors } from '../../shared/settings';
import type { UploadPolicy } from '../../shared/tftp-types';
import { updateSettings } from '../actions';
import { displayText } from '../lib/display-text';
import {
  draftFromSettings,
  errorsByField,
  settingsFromDraft,
  type SettingsDraft,
} from '../lib/settings-form';
import { useServerStore } from '../store/server-store';
import { hasErrors, settingsPatch, useSettingsStore } from '../store/settings-store';
import { ProfilesPanel } from './ProfilesPanel';
import { Field, TextField, Toggle } from './SettingsFields';

const UPLOAD_CHOICES: readonly { value: UploadPolicy; label: string }[] = [
  { value: 'off', label: 'Off: devices can only fetch' },
  { value: 'create', label: 'New files only' },
  { value: 'overwrite', label: 'New files and overwrite existing' },
];

function SettingsForm({ saved, desktop }: { saved: AppSettings; desktop: boolean }) {
  const [edits, setEdits] = useState<Partial<SettingsDraft>>({});
  const [serverErrors, setServerErrors] = useState<SettingsErrors>({});
  const [status, setStatus] = useState<{ text: string; error: boolean } | null>(null);
  const [saving, setSaving] = useState(false);

  const draft: SettingsDraft = { ...draftFromSettings(saved), ...edits };
  const patch = settingsPatch(saved, settingsFromDraft(draft, saved));
  const clientErrors = validateSettings(patch);
  const errors = errorsByField({ ...serverErrors, ...clientErrors });
  const dirty = Object.keys(patch).length > 0;

  const set = <K extends keyof SettingsDraft>(key: K, value: SettingsDraft[K]) => {
    setEdits((e) => ({ ...e, [key]: value }));
    setServerErrors({});
    setStatus(null);
  };
  const text = (key: keyof SettingsDraft) => ({
    id: `set-${key}`,
    value: String(draft[key]),
    error: errors[key],
    onChange: (v: string) => set(key, v as never),
  });
  const toggle = (key: keyof SettingsDraft) => ({
    id: `set-${key}`,
    checked: Boolean(draft[key]),
    error: errors[key],
    onChange: (v: boolean) => set(key, v as never),
  });

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!dirty || hasErrors(clientErrors)) return;
    setSaving(true);
    const result = await updateSettings(patch);
    setSaving(false);
    if (result.ok) {
      setEdits({});
      setServerErrors({});
      setStatus({ text: 'Saved.', error: false });
    } else {
      setServerErrors(result.errors);
      const message =
        'message' in result ? result.message : 'The server refused some values; see the marked fields.';
      setStatus({ text: message, error: true });
    }
  };
  const desktopHint = desktop ? undefined : 'Applies to the desktop app.';

  return (
    <form className="settings" onSubmit={(e) => void save(e)} noValidate aria-label="Settings">
      <fieldset className="panel">
        <legend>Server</legend>
        <TextField
          {...text('port')}
          label="UDP port"
          numeric
          hint="69 is the TFTP standard; below 1024 may need admin rights."
        />
        <TextField
          {...text('hosts')}
          label="Listen addresses"
          multiline
          placeholder="All interfaces"
          hint="One address per line; empty listens on every interface. A running server restarts to apply it."
        />
        <Toggle
          {...toggle('portRangeOn')}
          label="Limit transfer ports"
          hint="For firewalls: each transfer uses a port from this range."
        />
        {draft.portRangeOn && (
          <div className="field-pair">
            <TextField {...text('portFrom')} label="From port" numeric />
            <TextField {...text('portTo')} label="To port" numeric error={undefined} />
          </div>
        )}
        <Toggle {...toggle('autoStart')} label="Start the server when the app opens" />
      </fieldset>

      <fieldset className="panel">
        <legend>Uploads and files</legend>
        <Field id="set-uploads" label="Uploads (write requests)" error={errors.uploads}>
          {(describedBy) => (
            <select
              id="set-uploads"
              value={draft.uploads}
              aria-describedby={describedBy}
              onChange={(e) => set('uploads', e.target.value as UploadPolicy)}
            >
              {UPLOAD_CHOICES.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <TextField
          {...text('maxUploadMiB')}
          label="Largest upload"
          suffix="MiB"
          hint="Bigger uploads are refused (disk full, error 3)."
        />
        <Toggle
          {...toggle('caseInsensitive')}
          label="Match file names case-insensitively"
          hint="When the exact name does not exist, e.g. configs written on Windows."
        />
      </fieldset>

      <fieldset className="panel">
        <legend>Protocol</legend>
        <div className="field-pair">
          <TextField
            {...text('maxBlksize')}
            label="Largest block size"
            suffix="bytes"
            numeric
            hint="RFC 2348; 1468 fits one Ethernet frame."
          />
          <TextField
            {...text('maxWindowsize')}
            label="Largest window size"
            suffix="blocks"
            numeric
            hint="RFC 7440."
          />
        </div>
        <div className="field-pair">
          <TextField
            {...text('timeout')}
            label="Retransmit timeout"
            suffix="s"
            numeric
            hint="A client’s timeout option overrides it."
          />
          <TextField {...text('retries')} label="Retries" numeric hint="Before a silent peer is given up." />
        </div>
      </fieldset>

      <fieldset className="panel">
        <legend>Access and limits</legend>
        <TextField
          {...text('allow')}
          label="Allowed clients"
          multiline
          placeholder="Everyone"
          hint="Addresses or CIDR ranges (192.168.1.0/24), one per line; empty allows everyone."
        />
        <div className="field-pair three">
          <TextField {...text('maxSessions')} label="Concurrent transfers" numeric />
          <TextField {...text('maxSessionsPerClient')} label="Per client" numeric />
          <TextField {...text('maxRequestsPerSecond')} label="Requests/s per client" numeric />
        </div>
      </fieldset>

      <fieldset className="panel">
        <legend>App</legend>
        <Field id="set-theme" label="Theme" error={errors.theme}>
          {(describedBy) => (
            <select
              id="set-theme"
              value={draft.theme}
              aria-describedby={describedBy}
              onChange={(e) => set('theme', e.target.value as SettingsDraft['theme'])}
            >
              <option value="system">Follow the system</option>
              <option value="light">Light</option>
              <option value="dark">Dark</option>
            </select>
          )}
        </Field>
        <Toggle
          {...toggle('closeToTray')}
          label="Keep serving from the tray when the window closes"
          hint={desktopHint}
        />
        <Toggle {...toggle('startAtLogin')} label="Open at login" hint={desktopHint} />
        <Toggle {...toggle('startMinimized')} label="Start minimised" hint={desktopHint} />
        <Toggle
          {...toggle('notifications')}
          label="Notify when a transfer finishes or fails"
          hint={desktopHint}
        />
        <div className="field">
          <span className="label">Recent folders</span>
          <button
            type="button"
            className="btn ghost"
            disabled={saved.recentRoots.length === 0}
            onClick={() => void updateSettings({ recentRoots: [] })}
          >
            Forget {saved.recentRoots.length} recent {saved.recentRoots.length === 1 ? 'folder' : 'folders'}
          </button>
        </div>
      </fieldset>

      <div className="form-footer">
        {status !== null && (
          <span className={status.error ? 'field-error' : 'ok-text'} role={status.error ? 'alert' : 'status'}>
            {displayText(status.text, 300)}
          </span>
        )}
        {hasErrors(clientErrors) && <span className="field-error">Fix the marked fields to save.</span>}
        <div className="toolbar-spacer" />
        <button type="button" className="btn ghost" disabled={!dirty || saving} onClick={() => setEdits({})}>
          Revert
        </button>
        <button type="submit" className="btn primary" disabled={!dirty || saving || hasErrors(clientErrors)}>
          {saving ? 'Saving…' : 'Save settings'}
        </button>
      </div>
    </form>
  );
}

export function SettingsView() {
  const saved = useSettingsStore((s) => s.settings);
  const desktop = useServerStore((s) => s.capabilities.nativeDialogs);
  if (saved === null) return <p className="empty-state">Loading settings…</p>;
  return (
    <>
      <SettingsForm saved={saved} desktop={desktop} />
      <div className="settings profiles-area">
        <ProfilesPanel rules={saved.profiles ?? []} />
      </div>
    </>
  );
}
