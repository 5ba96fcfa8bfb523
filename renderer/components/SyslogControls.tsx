// The receiver's bar: its state in plain words, its UDP port and listen address, Start/Stop, and
// the one-click way out when 514 is refused (no privileges) or taken (another syslog server).
import { useMemo, useState, type FormEvent } from 'react';
import { SYSLOG_FALLBACK_PORTS } from '../../shared/syslog-contract';
import { validateSyslogSettings, type SyslogState } from '../../shared/syslog';
import { setSyslogSettings, startSyslog, startSyslogOnPort, stopSyslog } from '../actions';
import { displayText } from '../lib/display-text';
import { parseList, parseWhole } from '../lib/settings-form';
import { isLinkLocalV6, useInterfacesStore } from '../store/interfaces-store';
import { useSyslogStore } from '../store/syslog-store';
import { AlertIcon, PlayIcon, StopIcon } from './Icons';

function stateText(state: SyslogState): { tone: string; text: string } {
  switch (state.state) {
    case 'listening': {
      const where = state.addresses.map((a) =>
        a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`,
      );
      return { tone: 'ok', text: `Receiving on ${where.join(', ')}` };
    }
    case 'starting':
      return { tone: 'busy', text: 'Starting…' };
    case 'stopping':
      return { tone: 'busy', text: 'Stopping…' };
    case 'stopped':
      return { tone: 'idle', text: 'Stopped' };
    case 'error':
      return { tone: 'error', text: state.message };
  }
}

/** The port to offer after a refused or taken port; null when another port would not help. */
export function syslogPortFix(state: SyslogState, port: number): number | null {
  if (state.state !== 'error' || (state.code !== 'EACCES' && state.code !== 'EADDRINUSE')) return null;
  const [first, second] = SYSLOG_FALLBACK_PORTS;
  return port === first ? second : first;
}

function Field({
  id,
  label,
  value,
  disabled,
  title,
  save,
  wide,
  list,
}: {
  id: string;
  label: string;
  value: string;
  disabled: boolean;
  title: string;
  /** an error message, or null when saved */
  save: (text: string) => Promise<string | null>;
  wide?: boolean;
  /** id of a <datalist> of suggestions */
  list?: string;
}) {
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const commit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (text === null || text === value) return setText(null);
    const message = await save(text);
    setError(message);
    if (message === null) setText(null);
  };
  return (
    <form className={wide === true ? 'port-field wide' : 'port-field'} onSubmit={(e) => void commit(e)}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        list={list}
        value={text ?? value}
        disabled={disabled}
        title={title}
        aria-invalid={error !== null}
        onChange={(e) => {
          setText(e.target.value);
          setError(null);
        }}
        onBlur={() => void commit()}
      />
      {error !== null && (
        <span className="field-error floating" role="alert">
          {displayText(error, 300)}
        </span>
      )}
    </form>
  );
}

async function savePort(text: string): Promise<string | null> {
  const port = parseWhole(text);
  const local = validateSyslogSettings({ port }).port;
  if (local !== undefined) return local;
  const errors = await setSyslogSettings({ port });
  return errors === null ? null : (errors.port ?? 'Could not save the port.');
}

async function saveHost(text: string): Promise<string | null> {
  const host = text.trim();
  const local = validateSyslogSettings({ host }).host;
  if (local !== undefined) return local;
  const errors = await setSyslogSettings({ host });
  return errors === null ? null : (errors.host ?? 'Could not save the address.');
}

async function saveAllowList(text: string): Promise<string | null> {
  const allowList = parseList(text);
  const local = validateSyslogSettings({ allowList }).allowList;
  if (local !== undefined) return local;
  const errors = await setSyslogSettings({ allowList });
  return errors === null ? null : (errors.allowList ?? 'Could not save the allow-list.');
}

/** This machine's addresses, for the listen address's suggestions. */
function useLocalAddresses(): string[] {
  const interfaces = useInterfacesStore((s) => s.interfaces);
  return useMemo(
    () => interfaces.flatMap((i) => i.addresses.map((a) => a.address)).filter((a) => !isLinkLocalV6(a)),
    [interfaces],
  );
}

export function SyslogControls() {
  const state = useSyslogStore((s) => s.state);
  const settings = useSyslogStore((s) => s.settings);
  const [fixError, setFixError] = useState<string | null>(null);
  const running = state.state === 'listening' || state.state === 'starting';
  const busy = state.state === 'starting' || state.state === 'stopping';
  const label = stateText(state);
  const fix = syslogPortFix(state, settings.port);
  const addresses = useLocalAddresses();
  return (
    <div className="syslog-controls">
      <span className={`server-state tone-${label.tone}`} data-testid="syslog-state" role="status">
        <span className="dot" aria-hidden="true" />
        <span className="state-text">{displayText(label.text, 300)}</span>
      </span>
      <Field
        id="syslog-port"
        label="Syslog UDP port"
        value={String(settings.port)}
        disabled={busy}
        title="The port devices send syslog to (514 is standard; ports below 1024 may need privileges)"
        save={savePort}
      />
      <Field
        id="syslog-host"
        label="Listen address"
        value={settings.host}
        disabled={busy}
        title="One of this machine's addresses, or empty for all addresses"
        save={saveHost}
        wide
        list="syslog-addresses"
      />
      <datalist id="syslog-addresses">
        {addresses.map((a) => (
          <option key={a} value={a} />
        ))}
      </datalist>
      <Field
        id="syslog-allow"
        label="Allowed senders"
        value={settings.allowList.join(', ')}
        disabled={false}
        title="Addresses or CIDR ranges whose messages are kept (e.g. 192.168.1.0/24); empty = every device"
        save={saveAllowList}
        wide
      />
      <div className="toolbar-spacer" />
      {running ? (
        <button type="button" className="btn danger" disabled={busy} onClick={() => void stopSyslog()}>
          <StopIcon /> Stop syslog
        </button>
      ) : (
        <button type="button" className="btn primary" disabled={busy} onClick={() => void startSyslog()}>
          <PlayIcon /> Start syslog
        </button>
      )}
      {state.state === 'error' && (
        <p className="hint warn syslog-error" role="alert">
          <AlertIcon /> {state.hint !== undefined ? displayText(state.hint, 600) : ''}
          {fix !== null && (
            <button
              type="button"
              className="btn small port-fix"
              title={`Save UDP port ${fix} and start the receiver on it; point the devices there`}
              onClick={() => void startSyslogOnPort(fix).then(setFixError)}
            >
              Use port {fix}
            </button>
          )}
          {fixError !== null && <span className="field-error">{displayText(fixError, 300)}</span>}
        </p>
      )}
    </div>
  );
}
