// The boot services' state with Start and Stop: what runs, why it does not (a refusal in plain
// words, with the way out), and that nothing starts by itself when the app opens.
import type { DhcpServiceState } from '../../shared/dhcp';
import { editDhcp, startDhcp, stopDhcp } from '../dhcp-actions';
import { displayText } from '../lib/display-text';
import { isActive, useDhcpStore } from '../store/dhcp-store';

const PILL: Record<DhcpServiceState['status'], { text: string; tone: string }> = {
  stopped: { text: 'Stopped', tone: 'muted' },
  checking: { text: 'Checking the network', tone: 'warn' },
  running: { text: 'Running', tone: 'ok' },
  error: { text: 'Not running', tone: 'error' },
};

export function DhcpStatus() {
  const state = useDhcpStore((s) => s.state);
  const busy = useDhcpStore((s) => s.busy);
  const notice = useDhcpStore((s) => s.notice);
  const mode = useDhcpStore((s) => s.edits.mode ?? s.settings?.mode ?? 'off');
  const running = isActive(state);
  const pill = PILL[state.status];
  return (
    <section className="panel dhcp-status" aria-label="Boot services state">
      <div className="panel-head wrap">
        <h2>Boot services</h2>
        <span className={`pill ${pill.tone}`} data-testid="dhcp-status">
          {pill.text}
        </span>
        <div className="toolbar-spacer" />
        {running ? (
          <button
            type="button"
            className="btn danger"
            aria-label="Stop boot services"
            disabled={busy}
            onClick={() => void stopDhcp()}
          >
            Stop
          </button>
        ) : (
          <button
            type="button"
            className="btn primary"
            aria-label="Start boot services"
            disabled={busy || mode === 'off'}
            title={mode === 'off' ? 'Choose a mode first' : undefined}
            onClick={() => void startDhcp()}
          >
            {busy ? 'Starting…' : 'Start'}
          </button>
        )}
      </div>
      <div role="status" aria-live="polite" data-testid="dhcp-state-text">
        {state.message !== undefined && (
          <p className={state.status === 'error' ? 'error-text' : undefined}>
            {displayText(state.message, 600)}
          </p>
        )}
        {state.hint !== undefined && <p className="hint">{displayText(state.hint, 600)}</p>}
      </div>
      {state.status === 'error' && state.rival !== undefined && mode === 'provision' && (
        <p className="hint warn">
          Another DHCP server already hands out addresses here. Proxy mode gives PXE clients only their boot
          file and leaves addresses to that server.{' '}
          <button type="button" className="link-btn" onClick={() => editDhcp({ mode: 'proxy' })}>
            Switch to proxy mode
          </button>
        </p>
      )}
      {notice !== null && (
        <p className={notice.error ? 'field-error' : 'ok-text'} role={notice.error ? 'alert' : 'status'}>
          {displayText(notice.text, 300)}
        </p>
      )}
      <p className="hint">
        Boot services never start by themselves: after every launch of the app they are stopped until you
        press Start.
      </p>
    </section>
  );
}
