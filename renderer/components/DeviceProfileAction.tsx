// "Use a device profile for this device…", under a request (Requests tab) or a transfer (its
// detail drawer): pick a built-in profile (its reason shown), for this address or for every client
// that looks like this one, and the rule goes first in Settings > Device profiles through the same
// save, validation and error display. Says which rule applies to the device before and after, and
// offers to replace a rule that applies already.
import { useId, useState, type FormEvent } from 'react';
import { BUILT_IN_PROFILES, findProfile } from '../../shared/device-profiles';
import { updateSettings } from '../actions';
import { addRuleFirst, matchChoices, ruleFor, ruleText, type Device } from '../lib/profile-for-device';
import { profileEffects } from '../lib/profile-rules';
import { useSettingsStore } from '../store/settings-store';

const NO_RULES: never[] = [];

export function DeviceProfileAction({ device }: { device: Device }) {
  const rules = useSettingsStore((s) => s.settings?.profiles) ?? NO_RULES;
  const id = useId();
  const choices = matchChoices(device);
  const [open, setOpen] = useState(false);
  const [match, setMatch] = useState(choices[0]?.match ?? device.address);
  const [profileId, setProfileId] = useState(BUILT_IN_PROFILES[0]?.id ?? '');
  const [replace, setReplace] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [saved, setSaved] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const applies = ruleFor(rules, device);
  const profile = findProfile(profileId);
  // a rule with the very same match always goes (two would be a duplicate); another is asked about
  const sameMatch = applies !== undefined && applies.rule.match.trim() === match;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const edit = addRuleFirst(rules, match, profileId, replace && applies ? applies.index : undefined);
    if (!edit.ok) {
      setError(edit.error);
      return;
    }
    setBusy(true);
    const result = await updateSettings({ profiles: edit.rules });
    setBusy(false);
    if (!result.ok) {
      setError(
        'message' in result ? result.message : (result.errors.profiles ?? 'The server refused the rules.'),
      );
      return;
    }
    setError(undefined);
    const now = ruleFor(result.settings.profiles, device);
    setOpen(false);
    setSaved(
      now === undefined
        ? 'Saved, but no rule applies to this device.'
        : `Saved: ${ruleText(now)} now applies to this device, from its next request on.`,
    );
    setReplace(false);
  };

  return (
    <div className="device-profile" data-testid="device-profile">
      <p className="small" data-testid="profile-applies">
        {applies === undefined
          ? 'No device profile applies to this device: it gets the server’s settings.'
          : `Applies now: ${ruleText(applies)}.`}
      </p>
      {!open ? (
        <button
          type="button"
          className="btn small"
          onClick={() => {
            // a fresh form each time: this device's address, nothing replaced
            setOpen(true);
            setSaved(undefined);
            setMatch(choices[0]?.match ?? device.address);
            setReplace(false);
          }}
        >
          Use a device profile for this device…
        </button>
      ) : (
        <form
          className="device-profile-form"
          aria-label="Use a device profile for this device"
          noValidate
          onSubmit={(e) => void submit(e)}
        >
          <fieldset>
            <legend>The rule matches</legend>
            {choices.map((c) => (
              <label key={c.match} className="choice">
                <input
                  type="radio"
                  name={`${id}-match`}
                  value={c.match}
                  checked={match === c.match}
                  onChange={() => {
                    setMatch(c.match);
                    setError(undefined);
                  }}
                />{' '}
                {c.text} <code className="mono small muted">{c.match}</code>
              </label>
            ))}
          </fieldset>
          <div className="field">
            <label htmlFor={`${id}-profile`}>Device profile</label>
            <select
              id={`${id}-profile`}
              value={profileId}
              aria-describedby={`${id}-reason`}
              onChange={(e) => setProfileId(e.target.value)}
            >
              {BUILT_IN_PROFILES.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
            {profile !== undefined && (
              <p className="hint" id={`${id}-reason`}>
                {profile.reason} <span className="muted">({profileEffects(profile).join(' · ')})</span>
              </p>
            )}
          </div>
          {applies !== undefined &&
            (sameMatch ? (
              <p className="small">It replaces {ruleText(applies)}.</p>
            ) : (
              <label className="choice">
                <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} />{' '}
                Replace {ruleText(applies)} (otherwise the new rule goes in front of it, and it keeps applying
                to the other devices it matches)
              </label>
            ))}
          {error !== undefined && (
            <p className="field-error" role="alert">
              {error}
            </p>
          )}
          <div className="device-profile-buttons">
            <button type="submit" className="btn primary small" disabled={busy}>
              Add the rule first
            </button>
            <button
              type="button"
              className="btn ghost small"
              onClick={() => {
                setOpen(false);
                setError(undefined);
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      )}
      {saved !== undefined && (
        <p className="hint" role="status">
          {saved}
        </p>
      )}
    </div>
  );
}
