// The top bar: the app's name, the server state in plain words, its port, Start/Stop.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { validateSettings } from '../../shared/settings';
import { openPreflight, startServer, stopServer, updateSettings } from '../actions';
import { displayText } from '../lib/display-text';
import { portFixFor } from '../lib/port-fix';
import { serverLabel } from '../lib/server-label';
import { parseWhole } from '../lib/settings-form';
import { isRunning, useServerStore } from '../store/server-store';
import { useSettingsStore } from '../store/settings-store';
import { AlertIcon, PlayIcon, StopIcon } from './Icons';
import { PortFix } from './PortFix';

function PortField({ port, disabled }: { port: number; disabled: boolean }) {
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const value = text ?? String(port);
  const commit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (text === null) return;
    const next = parseWhole(text);
    const clientError = validateSettings({ port: next }).port;
    if (clientError !== undefined) return setError(clientError);
    if (next === port) return setText(null);
    const result = await updateSettings({ port: next });
    if (result.ok) {
      setText(null);
      setError(null);
    } else
      setError(result.errors.port ?? ('message' in result ? result.message : 'Could not save the port.'));
  };
  return (
    <form className="port-field" onSubmit={(e) => void commit(e)}>
      <label htmlFor="server-port">UDP port</label>
      <input
        id="server-port"
        inputMode="numeric"
        value={value}
        disabled={disabled}
        aria-invalid={error !== null}
        aria-describedby={error !== null ? 'server-port-error' : undefined}
        title={
          disabled
            ? 'Stop the server to change the port'
            : 'The port devices send requests to (69 is standard)'
        }
        onChange={(e) => {
          setText(e.target.value);
          setError(null);
        }}
        onBlur={() => void commit()}
      />
      {error !== null && (
        <span id="server-port-error" className="field-error floating" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}

export function ServerBar() {
  const server = useServerStore((s) => s.server);
  const connection = useServerStore((s) => s.connection);
  const settings = useSettingsStore((s) => s.settings);
  const label = serverLabel(server);
  const running = isRunning(server);
  const busy = server.state === 'starting' || server.state === 'stopping';
  const noRoot = settings !== null && settings.root === '';
  const fixPort = portFixFor(server, settings?.port);
  // The port fix is gone while the server starts: afterwards focus goes to Stop, or back to the
  // fix (now offering the next port) if that port failed too, never to the page.
  const actionButton = useRef<HTMLButtonElement>(null);
  const fixButton = useRef<HTMLButtonElement>(null);
  const refocus = useRef(false);
  useEffect(() => {
    if (!refocus.current || (server.state !== 'listening' && server.state !== 'error')) return;
    refocus.current = false;
    (server.state === 'error' ? (fixButton.current ?? actionButton.current) : actionButton.current)?.focus();
  }, [server.state]);
  return (
    <header className="topbar">
      <div className="brand">
        <img src="./favicon.svg" alt="" width={28} height={28} />
        <span>TFTP Desk</span>
      </div>
      <div
        className={`server-state tone-${label.tone}`}
        role="status"
        aria-live="polite"
        data-testid="server-state"
      >
        <span className="dot" aria-hidden="true" />
        <span className="state-text" title={label.detail}>
          {displayText(label.text, 300)}
        </span>
        {(label.hint !== undefined || fixPort !== null || server.state === 'error') && (
          <span className="state-hint">
            {label.hint !== undefined && (
              <>
                <AlertIcon /> {displayText(label.hint, 300)}
              </>
            )}
            {fixPort !== null && (
              <PortFix
                ref={fixButton}
                port={fixPort}
                disabled={busy || connection !== 'open'}
                onStarting={() => (refocus.current = true)}
              />
            )}
            {server.state === 'error' && (
              <button type="button" className="btn small" onClick={openPreflight}>
                Check reachability
              </button>
            )}
          </span>
        )}
      </div>
      {connection === 'reconnecting' && (
        <span
          className="badge warn"
          role="status"
          title="Lost the connection to tftp-desk. If it was restarted, open the new link it printed."
        >
          Connection lost, reconnecting…
        </span>
      )}
      <div className="topbar-actions">
        {settings !== null && (
          <PortField key={settings.port} port={settings.port} disabled={running || busy} />
        )}
        {running ? (
          <button
            ref={actionButton}
            type="button"
            className="btn danger"
            disabled={busy}
            onClick={() => void stopServer()}
          >
            <StopIcon /> Stop
          </button>
        ) : (
          <button
            ref={actionButton}
            type="button"
            className="btn primary"
            disabled={busy || noRoot || connection !== 'open'}
            title={noRoot ? 'Choose a folder to serve first' : undefined}
            onClick={() => void startServer()}
          >
            <PlayIcon /> Start
          </button>
        )}
      </div>
    </header>
  );
}
