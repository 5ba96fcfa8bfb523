// The boot services' settings: mode, interface and pool, boot files per kind of client, what else
// devices are told, reservations, custom options, who is served, and the safety switches. Checked
// as typed with the shared settings check; each message shows beside its field.
import type { FormEvent } from 'react';
import type { DhcpMode } from '../../shared/dhcp';
import { editDhcp, revertDhcp, saveDhcp } from '../dhcp-actions';
import {
  checkDraft,
  chooseInterface,
  ipv4Choices,
  suggestRange,
  type DhcpDraft,
  type DhcpField,
  type DhcpFieldErrors,
  errorsByField,
} from '../lib/dhcp-form';
import { displayText } from '../lib/display-text';
import { currentDraft, isActive, isDirty, useDhcpStore } from '../store/dhcp-store';
import { useFilesStore } from '../store/files-store';
import { useInterfacesStore } from '../store/interfaces-store';
import { Field, TextField, Toggle } from './SettingsFields';

const MODES: readonly { value: DhcpMode; label: string }[] = [
  { value: 'off', label: 'Off' },
  { value: 'provision', label: 'Provision: hand out addresses and boot files' },
  { value: 'proxy', label: 'Proxy: boot files only, beside the network’s own DHCP server' },
];

const FILES_LIST_ID = 'dhcp-boot-files';

function BootFileField(props: {
  id: string;
  label: string;
  value: string;
  hint: string;
  error?: string;
  onChange: (v: string) => void;
}) {
  return (
    <Field id={props.id} label={props.label} hint={props.hint} error={props.error}>
      {(describedBy) => (
        <input
          id={props.id}
          className="mono"
          list={FILES_LIST_ID}
          value={props.value}
          spellCheck={false}
          placeholder="Pick a served file or type a name"
          aria-invalid={props.error !== undefined}
          aria-describedby={describedBy}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

function DhcpFormBody({ draft, errors }: { draft: DhcpDraft; errors: DhcpFieldErrors }) {
  const interfaces = useInterfacesStore((s) => s.interfaces);
  const files = useFilesStore((s) => s.files);
  const dirty = useDhcpStore(isDirty);
  const busy = useDhcpStore((s) => s.busy);
  const running = useDhcpStore((s) => isActive(s.state));
  const choices = ipv4Choices(interfaces);
  const chosen = choices.find((c) => c.address === draft.interfaceAddress);
  const provision = draft.mode !== 'proxy';
  const hasErrors = Object.keys(errors).length > 0;

  const error = (field: DhcpField) => {
    const list = errors[field];
    return list === undefined ? undefined : displayText(list.join(' '), 600);
  };
  const text = (key: DhcpField & keyof DhcpDraft) => ({
    id: `dhcp-${key}`,
    value: String(draft[key]),
    error: error(key),
    onChange: (v: string) => editDhcp({ [key]: v }),
  });
  const bootFile = (key: 'bootFile' | 'bootFileUefi' | 'bootFileIpxe' | 'bootFileArm64') => ({
    id: `dhcp-${key}`,
    value: draft[key],
    error: error(key),
    onChange: (v: string) => editDhcp({ [key]: v }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void saveDhcp();
  };
  const suggestion = suggestRange(draft.interfaceAddress, draft.prefixLength);

  return (
    <form className="settings" onSubmit={submit} noValidate aria-label="Boot services settings">
      <datalist id={FILES_LIST_ID}>
        {files.slice(0, 500).map((f) => (
          <option key={f.name} value={f.name} />
        ))}
      </datalist>
      <fieldset className="panel">
        <legend>Mode and interface</legend>
        <Field id="dhcp-mode" label="Mode" error={error('mode')}>
          {(describedBy) => (
            <select
              id="dhcp-mode"
              value={draft.mode}
              aria-describedby={describedBy}
              onChange={(e) => editDhcp({ mode: e.target.value as DhcpMode })}
            >
              {MODES.map((m) => (
                <option key={m.value} value={m.value}>
                  {m.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <p className="hint">
          {draft.mode === 'provision'
            ? 'Only where no other DHCP server answers: the start is refused if one does.'
            : draft.mode === 'proxy'
              ? 'For networks with a DHCP server (a router, a company server): PXE clients get their boot file from here.'
              : 'Nothing is answered. Choose a mode to configure the boot services.'}
        </p>
        <Field
          id="dhcp-interface"
          label="Interface"
          hint="The network the devices are on. Devices fetch their boot file from this address."
          error={error('interfaceAddress')}
        >
          {(describedBy) => (
            <select
              id="dhcp-interface"
              value={draft.interfaceAddress}
              aria-describedby={describedBy}
              aria-invalid={error('interfaceAddress') !== undefined}
              onChange={(e) => {
                const choice = choices.find((c) => c.address === e.target.value);
                if (choice) editDhcp(chooseInterface(draft, choice));
                else editDhcp({ interfaceAddress: '' });
              }}
            >
              <option value="">Choose an interface…</option>
              {draft.interfaceAddress !== '' && chosen === undefined && (
                <option value={draft.interfaceAddress}>
                  {draft.interfaceAddress}/{draft.prefixLength} (not on this machine now)
                </option>
              )}
              {choices.map((c) => (
                <option key={`${c.interface}-${c.address}`} value={c.address}>
                  {c.interface}: {c.address}/{c.prefix}
                  {c.internal ? ' (this machine only)' : ''}
                </option>
              ))}
            </select>
          )}
        </Field>
      </fieldset>

      {provision && (
        <fieldset className="panel">
          <legend>Addresses</legend>
          <div className="field-pair">
            <TextField
              {...text('rangeStart')}
              label="Range from"
              placeholder={suggestion?.start}
              error={error('rangeStart')}
            />
            <TextField
              {...text('rangeEnd')}
              label="Range to"
              placeholder={suggestion?.end}
              error={undefined}
            />
          </div>
          {suggestion !== undefined && (
            <p className="hint">
              Suggested for {chosen?.interface ?? draft.interfaceAddress}/{draft.prefixLength}:{' '}
              {suggestion.start} – {suggestion.end}.{' '}
              <button
                type="button"
                className="link-btn"
                onClick={() => editDhcp({ rangeStart: suggestion.start, rangeEnd: suggestion.end })}
              >
                Use it
              </button>
            </p>
          )}
          <div className="field-pair">
            <TextField {...text('router')} label="Router (gateway)" placeholder="None" />
            <TextField {...text('dns')} label="DNS servers" placeholder="None" hint="Comma separated." />
          </div>
          <div className="field-pair">
            <TextField {...text('leaseSeconds')} label="Lease time" suffix="s" numeric />
            <TextField {...text('domainName')} label="Domain name" placeholder="None" />
          </div>
        </fieldset>
      )}

      <fieldset className="panel">
        <legend>Boot files</legend>
        <BootFileField
          {...bootFile('bootFile')}
          label="BIOS (default)"
          hint="Legacy PXE clients, and any client no other line matches: e.g. pxelinux.0 or undionly.kpxe."
        />
        <BootFileField
          {...bootFile('bootFileUefi')}
          label="UEFI x64"
          hint="Clients that say architecture 7 or 9: e.g. ipxe.efi or grubx64.efi."
        />
        <BootFileField
          {...bootFile('bootFileIpxe')}
          label="iPXE script"
          hint="Clients already running iPXE get this instead, so chainloading never loops: e.g. boot.ipxe."
        />
        <BootFileField
          {...bootFile('bootFileArm64')}
          label="UEFI ARM64 (optional)"
          hint="Clients that say architecture 11."
        />
        <TextField
          {...text('tftpServerName')}
          label="TFTP server name"
          placeholder={draft.interfaceAddress || 'The interface address'}
          hint="Option 66; empty sends the interface address."
        />
      </fieldset>

      <fieldset className="panel">
        <legend>Reservations and options</legend>
        <TextField
          {...text('reservations')}
          label="Reservations"
          multiline
          placeholder="52:54:00:12:34:56=192.168.1.20"
          hint="One per line: MAC=IP, or MAC=IP,boot file for a file of its own."
        />
        <TextField
          {...text('customOptions')}
          label="Custom options"
          multiline
          placeholder="42=ip:192.168.1.1"
          hint="One per line: CODE=VALUE, where VALUE is hex:…, ip:a,b, u8:/u16:/u32:…, text:… or plain text."
        />
        <Toggle
          id="dhcp-offerLogServer"
          label="Point devices' syslog here (option 7, log server)"
          checked={draft.offerLogServer}
          onChange={(v) => editDhcp({ offerLogServer: v })}
          hint="Devices that honour it send their syslog to this machine on UDP 514 (the option has no port): turn the syslog receiver on at port 514 in the Syslog tab."
        />
      </fieldset>

      <fieldset className="panel">
        <legend>Who is served</legend>
        <TextField
          {...text('allowMacs')}
          label="Only these MACs"
          multiline
          placeholder="Every client"
          hint="One per line; empty answers every client."
        />
        <TextField
          {...text('allowVendorPrefixes')}
          label="Only these vendor classes"
          multiline
          placeholder="Every client"
          hint="Prefixes of option 60, one per line, e.g. PXEClient."
        />
      </fieldset>

      <fieldset className="panel">
        <legend>Safety</legend>
        <Toggle
          id="dhcp-force"
          label="Start even if another DHCP server answers (force)"
          checked={draft.force}
          onChange={(v) => editDhcp({ force: v })}
          hint="Two DHCP servers on one network give clients conflicting answers. Prefer proxy mode."
        />
        <Toggle
          id="dhcp-stopAfterOn"
          label="Stop by itself after a while"
          checked={draft.stopAfterOn}
          onChange={(v) => editDhcp({ stopAfterOn: v })}
        />
        {draft.stopAfterOn && (
          <TextField {...text('stopAfterMinutes')} label="Stop after" suffix="min" numeric />
        )}
      </fieldset>

      <div className="form-footer">
        {error('general') !== undefined && <span className="field-error">{error('general')}</span>}
        {hasErrors && <span className="field-error">Fix the marked fields to save or start.</span>}
        {running && dirty && <span className="hint">Saving restarts the running boot services.</span>}
        <div className="toolbar-spacer" />
        <button type="button" className="btn ghost" disabled={!dirty || busy} onClick={revertDhcp}>
          Revert
        </button>
        <button type="submit" className="btn" disabled={!dirty || busy || hasErrors}>
          Save
        </button>
      </div>
    </form>
  );
}

export function DhcpForm() {
  const settings = useDhcpStore((s) => s.settings);
  const edits = useDhcpStore((s) => s.edits);
  const draft = currentDraft({ settings, edits });
  const serverErrors = useDhcpStore((s) => s.serverErrors);
  if (draft === null) return <p className="empty-state">Loading the boot services…</p>;
  const { errors } = checkDraft(draft);
  for (const [field, list] of Object.entries(errorsByField(serverErrors)) as [DhcpField, string[]][])
    errors[field] = [...new Set([...(errors[field] ?? []), ...list])];
  return <DhcpFormBody draft={draft} errors={errors} />;
}
