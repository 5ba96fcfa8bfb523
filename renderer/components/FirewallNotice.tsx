// Windows Firewall stops devices on the listening port: the advice in plain words, the exact netsh
// command (copyable), and a button that runs it once as administrator (Windows asks the user).
// Once the rule is in, the notice goes and the answer stays, so the user sees it worked.
import { addFirewallRule, dismissFirewallResult } from '../actions';
import { displayText } from '../lib/display-text';
import { useFirewallStore } from '../store/firewall-store';
import { AlertIcon } from './Icons';
import { CopyButton } from './CopyButton';

const PROFILE_WORDS = { domain: 'Domain', private: 'Private', public: 'Public' } as const;

export function FirewallNotice() {
  const notice = useFirewallStore((s) => s.notice);
  const adding = useFirewallStore((s) => s.adding);
  const result = useFirewallStore((s) => s.result);
  if (notice === null && result === null) return null;
  const answer = result !== null && (
    <p
      className={`firewall-result tone-${result.outcome === 'added' ? 'ok' : 'warn'}`}
      role={result.outcome === 'failed' ? 'alert' : 'status'}
      data-testid="firewall-result"
    >
      {displayText(result.message, 600)}
    </p>
  );
  if (notice === null)
    return (
      <section className="firewall-notice done">
        {answer}
        <button type="button" className="btn small" onClick={dismissFirewallResult}>
          OK
        </button>
      </section>
    );
  return (
    <section className="firewall-notice" aria-labelledby="firewall-title" data-testid="firewall-notice">
      <h2 id="firewall-title">
        <AlertIcon /> Windows Firewall: UDP {notice.port} on a {PROFILE_WORDS[notice.profile]} network
        {notice.adapter !== undefined ? ` (${displayText(notice.adapter, 80)})` : ''}
      </h2>
      <p>{displayText(notice.message, 800)}</p>
      {notice.command !== undefined && (
        <>
          <div className="preflight-command">
            <code className="mono">{displayText(notice.command, 800)}</code>
            <CopyButton text={notice.command} label="the firewall command" />
          </div>
          <button
            type="button"
            className="btn small"
            disabled={adding}
            onClick={() => void addFirewallRule()}
          >
            {adding ? 'Waiting for the administrator prompt…' : 'Add firewall rule (asks for administrator)'}
          </button>
          {notice.undo !== undefined && (
            <p className="hint">
              To remove the rule later: <code className="mono">{displayText(notice.undo, 300)}</code>
            </p>
          )}
        </>
      )}
      {answer}
    </section>
  );
}
