// Name mapping: the ordered rules the server applies to every requested name before it looks the
// name up (exact: `e NAME FILE`; pattern: `r REGEX REPLACEMENT`, in the spirit of tftpd-hpa's
// remap file). Add, remove and reorder; each change is parsed by the server and saved at once,
// and the running server uses it from the next request. The tester below tries a sample name.
import { useState, type FormEvent } from 'react';
import type { NameMapRuleError } from '../../shared/name-map-contract';
import { saveNameMap } from '../actions';
import { displayText } from '../lib/display-text';
import { moveRule, putRule, removeRule, ruleLines } from '../lib/name-map-rules';
import { useSettingsStore } from '../store/settings-store';
import { DownIcon, TrashIcon, UpIcon } from './Icons';
import { NameMapTester } from './NameMapTester';

const SYNTAX_HINT =
  'e NAME FILE answers NAME with FILE; r REGEX REPLACEMENT rewrites what REGEX matches (\\1 a group, \\i the client address, \\x its IPv4 in hex). Flags after the letter: i ignore case, g every match, e stop here, G reads only, P writes only. Write a space as "\\ ". Mapped names still pass the path check: a rule never reaches outside the served folder.';

export function NameMapPanel() {
  const rules = useSettingsStore((s) => s.settings?.nameMap);
  const lines = ruleLines(rules);
  const [draft, setDraft] = useState('');
  const [errors, setErrors] = useState<NameMapRuleError[]>([]);
  const [busy, setBusy] = useState(false);

  const save = async (next: string[]): Promise<boolean> => {
    setBusy(true);
    const problems = await saveNameMap(next);
    setBusy(false);
    setErrors(problems);
    return problems.length === 0;
  };
  const add = async (e: FormEvent) => {
    e.preventDefault();
    if (draft.trim() === '') return;
    if (await save(putRule(lines, draft))) setDraft('');
  };
  // Errors name a rule by its index in the list that was sent: the new rule is the last one.
  const draftError = errors.find((e) => e.index === lines.length || e.index < 0);
  const ruleError = (i: number) => errors.find((e) => e.index === i && i < lines.length);

  return (
    <section className="panel name-map" aria-labelledby="name-map-title">
      <div className="panel-head">
        <h2 id="name-map-title">Name mapping</h2>
        <span className="muted small" data-testid="rule-count">
          {lines.length === 0
            ? 'no rules'
            : `${lines.length} rule${lines.length === 1 ? '' : 's'}, first match first`}
        </span>
      </div>
      {lines.length > 0 && (
        <ol className="rules" aria-label="Mapping rules">
          {(rules ?? []).map((rule, i) => (
            <li key={`${i}:${rule.source}`} data-rule={i}>
              <span className={`pill ${rule.kind === 'exact' ? 'muted' : 'accent'}`}>
                {rule.kind === 'exact' ? 'exact' : 'pattern'}
              </span>
              <code className="mono rule-source">{displayText(rule.source, 500)}</code>
              <span className="rule-actions">
                <button
                  type="button"
                  className="btn ghost small"
                  aria-label={`Move rule ${i + 1} up`}
                  disabled={busy || i === 0}
                  onClick={() => void save(moveRule(lines, i, -1))}
                >
                  <UpIcon />
                </button>
                <button
                  type="button"
                  className="btn ghost small"
                  aria-label={`Move rule ${i + 1} down`}
                  disabled={busy || i === lines.length - 1}
                  onClick={() => void save(moveRule(lines, i, 1))}
                >
                  <DownIcon />
                </button>
                <button
                  type="button"
                  className="btn ghost small"
                  aria-label={`Remove rule ${i + 1}`}
                  disabled={busy}
                  onClick={() => void save(removeRule(lines, i))}
                >
                  <TrashIcon />
                </button>
              </span>
              {ruleError(i) !== undefined && (
                <p className="field-error" role="alert">
                  Rule {i + 1}: {ruleError(i)?.message}
                </p>
              )}
            </li>
          ))}
        </ol>
      )}
      <form className="rule-add" onSubmit={(e) => void add(e)} noValidate>
        <label htmlFor="rule-new">New rule</label>
        <input
          id="rule-new"
          className="mono"
          value={draft}
          spellCheck={false}
          placeholder="e recovery.bin images/openwrt-recovery.bin"
          aria-invalid={draftError !== undefined}
          aria-describedby="rule-new-hint"
          onChange={(e) => {
            setDraft(e.target.value);
            setErrors([]);
          }}
        />
        <button type="submit" className="btn" disabled={busy || draft.trim() === ''}>
          Add rule
        </button>
        {draftError !== undefined && (
          <p className="field-error" role="alert" data-testid="rule-error">
            {draftError.message}
          </p>
        )}
        <p className="hint" id="rule-new-hint">
          {SYNTAX_HINT}
        </p>
      </form>
      <NameMapTester lines={lines} draft={draft} />
    </section>
  );
}
