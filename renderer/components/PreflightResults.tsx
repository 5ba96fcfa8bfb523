// One line per pre-flight check: its verdict, what was found, and the fix with a copyable command.
import { PREFLIGHT_STATUS_WORDS, type PreflightCheck, type PreflightReport } from '../../shared/preflight';
import { displayText } from '../lib/display-text';
import { toneOf, verdict } from '../lib/preflight';
import { CopyButton } from './CopyButton';

function CheckRow({ check }: { check: PreflightCheck }) {
  return (
    <li className={`preflight-check tone-${toneOf(check.status)}`} data-testid={`preflight-${check.id}`}>
      <span className="preflight-status">{PREFLIGHT_STATUS_WORDS[check.status]}</span>
      <div className="preflight-body">
        <strong>{check.title}</strong>
        <p>{displayText(check.summary, 600)}</p>
        {check.fix !== undefined && (
          <div className="preflight-fix">
            <p>{displayText(check.fix.text, 600)}</p>
            {check.fix.command !== undefined && (
              <div className="preflight-command">
                <code className="mono">{displayText(check.fix.command, 600)}</code>
                <CopyButton text={check.fix.command} label={`the fix for ${check.title}`} />
              </div>
            )}
          </div>
        )}
        {check.notes?.map((note, i) => (
          <p key={i} className="preflight-note" data-testid="preflight-note">
            {displayText(note, 600)}
          </p>
        ))}
        {check.evidence !== undefined && (
          <p className="hint">Read from: {displayText(check.evidence, 300)}</p>
        )}
      </div>
    </li>
  );
}

export function PreflightResults({ report }: { report: PreflightReport }) {
  const overall = verdict(report);
  return (
    <div className="preflight-results" aria-live="polite">
      <p className={`preflight-verdict tone-${overall.tone}`} data-testid="preflight-verdict">
        {overall.text} (UDP {report.port}
        {report.serverAddress !== undefined ? ` on ${report.serverAddress}` : ''}, checked at{' '}
        {new Date(report.ranAt).toLocaleTimeString()})
      </p>
      <ul className="preflight-list">
        {report.checks.map((c) => (
          <CheckRow key={c.id} check={c} />
        ))}
      </ul>
    </div>
  );
}
