// The "Send to device" tab: push a file from the served folder to a device's TFTP server
// (firmware into a recovery mode), or pull one from it into the served folder. One transfer at a
// time; its progress, speed and outcome (with the file's SHA-256) come from the app as they happen.
import { useEffect, useState, type FormEvent } from 'react';
import type { ClientTransferRequest, ClientTransferState } from '../../shared/client-contract';
import type { TransferMode } from '../../shared/tftp-types';
import { cancelClientTransfer, refreshFiles, startClientTransfer } from '../actions';
import { displayText } from '../lib/display-text';
import { formatBytes, formatDuration, formatRate, progressFraction } from '../lib/format';
import { useClientStore } from '../store/client-store';
import { useFilesStore } from '../store/files-store';
import { Field, TextField } from './SettingsFields';

const RECENT_LIST_ID = 'send-recent-devices';

interface Draft {
  direction: 'put' | 'get';
  device: string;
  localName: string;
  remoteName: string;
  blksize: string;
  windowsize: string;
  mode: TransferMode;
  timeout: string;
  wait: string;
}

const INITIAL: Draft = {
  direction: 'put',
  device: '',
  localName: '',
  remoteName: '',
  blksize: '1468',
  windowsize: '1',
  mode: 'octet',
  timeout: '3',
  wait: '0',
};

/** A whole number typed in a field, or undefined when left empty (the engine's default then). */
function wholeNumber(text: string, label: string): number | undefined | string {
  const t = text.trim();
  if (t === '') return undefined;
  return /^\d+$/.test(t) ? Number(t) : `${label} must be a whole number.`;
}

const lastPart = (name: string) => name.split(/[\\/]/).pop() ?? name;

/** The request the form describes, or what is wrong with it. */
function requestOf(d: Draft): ClientTransferRequest | string {
  if (d.device.trim() === '') return 'Enter the device address.';
  if (d.localName.trim() === '' && d.direction === 'put') return 'Choose a file from the served folder.';
  const remoteName = d.remoteName.trim() || lastPart(d.localName.trim());
  const localName = d.localName.trim() || lastPart(remoteName);
  if (remoteName === '') return 'Enter the file name on the device.';
  const numbers = {
    blksize: wholeNumber(d.blksize, 'Block size'),
    windowsize: wholeNumber(d.windowsize, 'Window size'),
    timeoutSeconds: wholeNumber(d.timeout, 'Timeout'),
    waitSeconds: wholeNumber(d.wait, 'Wait'),
  };
  const bad = Object.values(numbers).find((v) => typeof v === 'string');
  if (typeof bad === 'string') return bad;
  const request: ClientTransferRequest = {
    direction: d.direction,
    device: d.device.trim(),
    localName,
    remoteName,
    mode: d.mode,
  };
  for (const [key, value] of Object.entries(numbers))
    if (typeof value === 'number') Object.assign(request, { [key]: value });
  return request;
}

function Progress({ transfer }: { transfer: Extract<ClientTransferState, { state: 'running' }> }) {
  const fraction = progressFraction(transfer.bytes, transfer.total);
  const rate = transfer.elapsedMs > 0 ? (transfer.bytes / transfer.elapsedMs) * 1000 : 0;
  const name = displayText(transfer.request.remoteName, 300);
  return (
    <div className="progress-cell" data-testid="send-progress">
      <span
        className={`bar${fraction === undefined ? ' indeterminate' : ''}`}
        role="progressbar"
        aria-label={`Progress of ${name}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={fraction === undefined ? undefined : Math.round(fraction * 100)}
      >
        <span className="fill" style={{ transform: `scaleX(${fraction ?? 0})` }} />
      </span>
      <span className="bytes">
        {transfer.bytes === 0 && transfer.elapsedMs === 0
          ? `Asking ${displayText(transfer.request.device, 300)}…`
          : `${formatBytes(transfer.bytes)}${transfer.total !== undefined ? ` of ${formatBytes(transfer.total)}` : ''} · ${formatRate(rate)}`}
      </span>
    </div>
  );
}

function Outcome({ transfer }: { transfer: ClientTransferState }) {
  if (transfer.state === 'failed')
    return (
      <p className="field-error" role="alert" data-testid="send-error">
        {transfer.request.direction === 'put' ? 'Sending' : 'Receiving'} failed:{' '}
        {displayText(transfer.message, 2000)}
      </p>
    );
  if (transfer.state !== 'done') return null;
  const r = transfer.result;
  const seconds = r.durationMs / 1000;
  const o = r.options;
  return (
    <div className="hint" role="status" data-testid="send-result">
      <p>
        {r.direction === 'put' ? 'Sent' : 'Received'} {displayText(r.remoteName, 300)}: {formatBytes(r.bytes)}{' '}
        in {formatDuration(r.durationMs)} ({seconds > 0 ? formatRate(r.bytes / seconds) : 'instant'}),{' '}
        {r.mode}, block size {o.blksize}, window {o.windowsize}
        {o.acknowledged ? '' : ' (the device ignored the options)'}, {r.retransmits} resent.
      </p>
      <p>
        SHA-256{' '}
        <span className="mono" data-testid="send-sha256">
          {r.sha256}
        </span>
      </p>
    </div>
  );
}

export function SendView() {
  const transfer = useClientStore((s) => s.transfer);
  const recent = useClientStore((s) => s.recentDevices);
  const files = useFilesStore((s) => s.files);
  const [draft, setDraft] = useState<Draft>(INITIAL);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const running = transfer.state === 'running';
  // the served folder may have changed since the list was read (files copied in by hand)
  useEffect(() => void refreshFiles(), []);
  const edit = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setError(null);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const request = requestOf(draft);
    if (typeof request === 'string') {
      setError(request);
      return;
    }
    setBusy(true);
    setError(await startClientTransfer(request));
    setBusy(false);
  };

  return (
    <form className="settings" onSubmit={(e) => void submit(e)} noValidate aria-label="Send to device">
      <datalist id={RECENT_LIST_ID}>
        {recent.map((d) => (
          <option key={d} value={d} />
        ))}
      </datalist>
      <fieldset className="panel">
        <legend>Device and file</legend>
        <Field
          id="send-device"
          label="Device address"
          hint="HOST or HOST:PORT (port 69 when left out); IPv6 as [ADDRESS]:PORT"
        >
          {(describedBy) => (
            <input
              id="send-device"
              className="mono"
              list={RECENT_LIST_ID}
              value={draft.device}
              spellCheck={false}
              placeholder="192.168.1.1"
              aria-describedby={describedBy}
              onChange={(e) => edit({ device: e.target.value })}
            />
          )}
        </Field>
        <Field id="send-direction" label="Direction">
          {() => (
            <select
              id="send-direction"
              value={draft.direction}
              onChange={(e) => edit({ direction: e.target.value as Draft['direction'], localName: '' })}
            >
              <option value="put">Send a served file to the device (put)</option>
              <option value="get">Fetch a file from the device into the served folder (get)</option>
            </select>
          )}
        </Field>
        {draft.direction === 'put' ? (
          <Field id="send-local" label="File from the served folder">
            {() => (
              <select
                id="send-local"
                value={draft.localName}
                onChange={(e) => edit({ localName: e.target.value })}
              >
                <option value="">Choose a file…</option>
                {files.slice(0, 2000).map((f) => (
                  <option key={f.name} value={f.name}>
                    {displayText(f.name, 300)} ({formatBytes(f.size)})
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : (
          <TextField
            id="send-local"
            label="Save in the served folder as"
            value={draft.localName}
            placeholder="the device's file name"
            hint="A name inside the served folder; an existing file is replaced only once the whole file arrived."
            onChange={(v) => edit({ localName: v })}
          />
        )}
        <TextField
          id="send-remote"
          label="File name on the device"
          value={draft.remoteName}
          placeholder={draft.direction === 'put' ? 'the same name' : 'e.g. startup-config'}
          onChange={(v) => edit({ remoteName: v })}
        />
      </fieldset>
      <fieldset className="panel">
        <legend>Transfer options</legend>
        <div className="field-pair">
          <TextField
            id="send-blksize"
            label="Block size"
            numeric
            value={draft.blksize}
            suffix="bytes"
            onChange={(v) => edit({ blksize: v })}
          />
          <TextField
            id="send-windowsize"
            label="Window size"
            numeric
            value={draft.windowsize}
            suffix="blocks"
            onChange={(v) => edit({ windowsize: v })}
          />
        </div>
        <div className="field-pair three">
          <Field id="send-mode" label="Mode">
            {() => (
              <select
                id="send-mode"
                value={draft.mode}
                onChange={(e) => edit({ mode: e.target.value as TransferMode })}
              >
                <option value="octet">octet (binary)</option>
                <option value="netascii">netascii (text)</option>
              </select>
            )}
          </Field>
          <TextField
            id="send-timeout"
            label="Timeout"
            numeric
            value={draft.timeout}
            suffix="s"
            onChange={(v) => edit({ timeout: v })}
          />
          <TextField
            id="send-wait"
            label="Wait for the device"
            numeric
            value={draft.wait}
            suffix="s"
            hint="Keeps asking this long: a device booting into recovery answers only after a while."
            onChange={(v) => edit({ wait: v })}
          />
        </div>
      </fieldset>
      <div className="form-footer">
        {running ? <Progress transfer={transfer} /> : <Outcome transfer={transfer} />}
        {error !== null && (
          <span className="field-error" role="alert" data-testid="send-refused">
            {displayText(error, 2000)}
          </span>
        )}
        <div className="toolbar-spacer" />
        {running ? (
          <button type="button" className="btn danger" onClick={() => void cancelClientTransfer()}>
            Cancel
          </button>
        ) : (
          <button type="submit" className="btn primary" disabled={busy}>
            Start
          </button>
        )}
      </div>
    </form>
  );
}
