// The "Send to device" tab: push a file (from the served folder or anywhere) to a device's TFTP
// server (firmware into a recovery mode), or pull one from it (into the served folder or anywhere).
// One transfer at a time; its progress, speed and outcome (with the file's SHA-256) come from the
// app as they happen, and it shows in the Transfers tab's live list and history too.
import { ProgressBar } from './ProgressBar';
import { useEffect, useState, type FormEvent } from 'react';
import type { ClientTransferState } from '../../shared/client-contract';
import type { TransferMode } from '../../shared/tftp-types';
import { cancelClientTransfer, refreshFiles, startClientTransfer } from '../actions';
import { displayText } from '../lib/display-text';
import { formatBytes, formatDuration, formatRate, progressFraction } from '../lib/format';
import { useClientStore } from '../store/client-store';
import { sendRequestOf, type SendDraft } from '../lib/send-form';
import { SendLocalFile } from './SendLocalFile';
import { Field, TextField } from './SettingsFields';

const RECENT_LIST_ID = 'send-recent-devices';

function Progress({ transfer }: { transfer: Extract<ClientTransferState, { state: 'running' }> }) {
  const fraction = progressFraction(transfer.bytes, transfer.total);
  const rate = transfer.elapsedMs > 0 ? (transfer.bytes / transfer.elapsedMs) * 1000 : 0;
  const name = displayText(transfer.request.remoteName, 300);
  return (
    <div className="progress-cell" data-testid="send-progress">
      <ProgressBar fraction={fraction} label={`Progress of ${name}`} />
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
      {r.direction === 'get' && (
        <p>
          Saved as <span className="mono">{displayText(r.localPath, 500)}</span>
        </p>
      )}
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
  const draft = useClientStore((s) => s.draft);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const running = transfer.state === 'running';
  // the served folder may have changed since the list was read (files copied in by hand)
  useEffect(() => void refreshFiles(), []);
  const edit = (patch: Partial<SendDraft>) => {
    useClientStore.setState((s) => ({ draft: { ...s.draft, ...patch } }));
    setError(null);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const request = sendRequestOf(draft);
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
              onChange={(e) =>
                edit({ direction: e.target.value as SendDraft['direction'], localName: '', localPath: '' })
              }
            >
              <option value="put">Send a file to the device (put)</option>
              <option value="get">Fetch a file from the device (get)</option>
            </select>
          )}
        </Field>
        <SendLocalFile draft={draft} edit={edit} onError={setError} />
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
