// Settings > Device profiles: the rules that give some clients a profile (first match wins), a
// small form to add one by address/range or by the client a request looks like, and the built-in
// profiles with the reason each exists. Each change is saved at once, checked first with the same
// rules the server applies; the server's own verdict is shown when it refuses.
import { useState, type FormEvent } from 'react';
import { BUILT_IN_PROFILES, findProfile, type ProfileRule } from '../../shared/device-profiles';
import { TFTP_CLIENT_NAMES, type TftpClientKind } from '../../shared/tftp-types';
import { updateSettings } from '../actions';
import { displayText } from '../lib/display-text';
import {
  addRule,
  matchText,
  moveRuleUp,
  profileEffects,
  removeRule,
  RULE_CLIENT_KINDS,
} from '../lib/profile-rules';
import { Field, TextField } from './SettingsFields';

type MatchBy = 'address' | 'client';

export function ProfilesPanel({ rules }: { rules: readonly ProfileRule[] }) {
  const [by, setBy] = useState<MatchBy>('address');
  const [address, setAddress] = useState('');
  const [client, setClient] = useState<TftpClientKind>('u-boot');
  const [profile, setProfile] = useState<string>(BUILT_IN_PROFILES[0]?.id ?? '');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const save = async (next: ProfileRule[]): Promise<boolean> => {
    setBusy(true);
    const result = await updateSettings({ profiles: next });
    setBusy(false);
    if (result.ok) {
      setError(undefined);
      return true;
    }
    setError(
      'message' in result ? result.message : (result.errors.profiles ?? 'The server refused the rules.'),
    );
    return false;
  };

  const add = async (event: FormEvent) => {
    event.preventDefault();
    const edit = addRule(rules, by === 'client' ? `client:${client}` : address, profile);
    if (!edit.ok) {
      setError(edit.error);
      return;
    }
    if (await save(edit.rules)) setAddress('');
  };

  return (
    <section className="panel profiles-panel" aria-labelledby="profiles-title">
      <div className="panel-head">
        <h2 id="profiles-title">Device profiles</h2>
      </div>
      <p className="hint">
        For a device that fails with the server&rsquo;s usual answer: its requests get a profile&rsquo;s
        negotiation, everyone else&rsquo;s stay as they are. Rules are tried in order; the first that matches
        wins.
      </p>

      {rules.length === 0 ? (
        <p className="muted small" data-testid="no-profile-rules">
          No rules: every client gets the server&rsquo;s settings.
        </p>
      ) : (
        <ol className="profile-rules" aria-label="Profile rules">
          {rules.map((rule, i) => (
            <li key={`${rule.match}|${i}`} className="profile-rule">
              <span className="mono">{displayText(matchText(rule.match), 80)}</span>
              <span aria-hidden="true">→</span>
              <span className="pill accent">{findProfile(rule.profile)?.name ?? rule.profile}</span>
              <span className="toolbar-spacer" />
              <button
                type="button"
                className="btn ghost small"
                disabled={busy || i === 0}
                aria-label={`Try the rule for ${matchText(rule.match)} sooner`}
                onClick={() => void save(moveRuleUp(rules, i))}
              >
                ↑
              </button>
              <button
                type="button"
                className="btn ghost small"
                disabled={busy}
                aria-label={`Remove the rule for ${matchText(rule.match)}`}
                onClick={() => void save(removeRule(rules, i))}
              >
                Remove
              </button>
            </li>
          ))}
        </ol>
      )}

      <form className="profile-add" onSubmit={(e) => void add(e)} noValidate aria-label="Add a profile rule">
        <Field id="profile-by" label="Match clients by">
          {(describedBy) => (
            <select
              id="profile-by"
              value={by}
              aria-describedby={describedBy}
              onChange={(e) => {
                setBy(e.target.value as MatchBy);
                setError(undefined);
              }}
            >
              <option value="address">Address or range</option>
              <option value="client">What the request looks like</option>
            </select>
          )}
        </Field>
        {by === 'address' ? (
          <TextField
            id="profile-address"
            label="Address or range"
            value={address}
            placeholder="10.0.0.0/24"
            hint="An address, a CIDR range (10.0.0.0/24) or a range (10.0.0.10-10.0.0.20)."
            error={error}
            onChange={(v) => {
              setAddress(v);
              setError(undefined);
            }}
          />
        ) : (
          <Field
            id="profile-client"
            label="Client"
            hint="As the request inspector recognises it."
            error={error}
          >
            {(describedBy) => (
              <select
                id="profile-client"
                value={client}
                aria-describedby={describedBy}
                onChange={(e) => setClient(e.target.value as TftpClientKind)}
              >
                {RULE_CLIENT_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {TFTP_CLIENT_NAMES[k]}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <Field id="profile-choice" label="Profile">
          {(describedBy) => (
            <select
              id="profile-choice"
              value={profile}
              aria-describedby={describedBy}
              onChange={(e) => setProfile(e.target.value)}
            >
              {BUILT_IN_PROFILES.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit" className="btn primary" disabled={busy}>
          Add rule
        </button>
      </form>

      <details className="profile-list">
        <summary>The built-in profiles and why each exists</summary>
        <dl>
          {BUILT_IN_PROFILES.map((p) => (
            <div key={p.id} className="profile-item" data-profile={p.id}>
              <dt>
                {p.name} <code className="mono small muted">{p.id}</code>
              </dt>
              <dd>{p.reason}</dd>
              <dd className="small muted">{profileEffects(p).join(' · ')}</dd>
            </div>
          ))}
        </dl>
      </details>
    </section>
  );
}
