// One request in full: the name, mode and options exactly as sent (in order, as spelled), the
// client it looks like and why, the answer and why, and for a name not found the served files it
// probably meant, each with one click to answer that name with that file from now on (or any
// served file, chosen from the list).
import { useEffect, useState } from 'react';
import { refreshFiles, saveNameMap } from '../actions';
import { displayText } from '../lib/display-text';
import { withExactRule } from '../lib/name-map-rules';
import { ANSWER_TEXT, SUGGESTION_TEXT, type InspectedRequest } from '../lib/request-inspector';
import { useFilesStore } from '../store/files-store';
import { useSettingsStore } from '../store/settings-store';
import { DeviceProfileAction } from './DeviceProfileAction';

interface Props {
  row: InspectedRequest;
  onClose: () => void;
}

/** A served folder holds at most this many choices in the list (the suggestions come first anyway). */
const MAX_FILES = 2000;

function Suggestions({ row }: { row: InspectedRequest }) {
  const files = useFilesStore((s) => s.files);
  const [chosen, setChosen] = useState('');
  // the served folder may have changed since the list was read (files copied in by hand)
  useEffect(() => void refreshFiles(), []);
  const [status, setStatus] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const answerWith = async (file: string) => {
    const rules = useSettingsStore.getState().settings?.nameMap;
    const lines = withExactRule(rules, row.rawName, file);
    if (lines === undefined) {
      setStatus({
        text: 'This name cannot be written as a rule (it holds control characters).',
        error: true,
      });
      return;
    }
    setBusy(true);
    const errors = await saveNameMap(lines);
    setBusy(false);
    setStatus(
      errors.length === 0
        ? { text: `From now on ${row.name} is answered with ${displayText(file, 300)}.`, error: false }
        : { text: errors.map((e) => e.message).join(' '), error: true },
    );
  };
  const chosenName = displayText(chosen, 300);
  return (
    <div className="suggestions">
      {row.suggestions.length === 0 ? (
        <p className="muted small">No served file looks like this name.</p>
      ) : (
        <>
          <h4>Did the device mean</h4>
          <ul>
            {row.suggestions.map((s) => {
              const file = displayText(s.file, 300);
              return (
                <li key={s.file} data-suggestion={s.reason}>
                  <span className="mono">{file}</span>{' '}
                  <span className="muted small">({SUGGESTION_TEXT[s.reason]})</span>
                  <button
                    type="button"
                    className="btn small"
                    disabled={busy}
                    onClick={() => void answerWith(s.file)}
                  >
                    Answer {row.name} with {file} from now on
                  </button>
                </li>
              );
            })}
          </ul>
        </>
      )}
      {files.length > 0 && (
        <div className="answer-with">
          <label htmlFor="answer-with-file">Or answer it with</label>
          <select id="answer-with-file" value={chosen} onChange={(e) => setChosen(e.target.value)}>
            <option value="">a served file…</option>
            {files.slice(0, MAX_FILES).map((f) => (
              <option key={f.name} value={f.name}>
                {displayText(f.name, 300)}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="btn small"
            disabled={busy || chosen === ''}
            onClick={() => void answerWith(chosen)}
          >
            {chosen === '' ? 'Answer from now on' : `Answer ${row.name} with ${chosenName} from now on`}
          </button>
        </div>
      )}
      {status !== null && (
        <p className={status.error ? 'field-error' : 'hint'} role={status.error ? 'alert' : 'status'}>
          {status.text}
        </p>
      )}
    </div>
  );
}

export function RequestDetail({ row, onClose }: Props) {
  return (
    <section
      className="panel request-detail"
      aria-labelledby="request-detail-title"
      data-testid="request-detail"
    >
      <div className="panel-head">
        <h2 id="request-detail-title">
          <span className="mono">{row.name}</span>
        </h2>
        <button type="button" className="btn ghost small" onClick={onClose}>
          Close
        </button>
      </div>
      <dl className="facts">
        <dt>From</dt>
        <dd className="mono">{row.peer}</dd>
        <dt>Client</dt>
        <dd>
          {row.client.text}
          {row.client.reasons.length > 0 && (
            <ul className="reasons small muted">
              {row.client.reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          )}
        </dd>
        <dt>Request</dt>
        <dd>
          {row.direction === 'download' ? 'read (RRQ)' : 'write (WRQ)'}, mode{' '}
          <span className="mono">{row.mode}</span>
        </dd>
        <dt>Options as sent</dt>
        <dd>
          {row.optionList.length === 0 ? (
            <span className="muted">none (plain RFC 1350)</span>
          ) : (
            <ol className="options-sent mono">
              {row.optionList.map((o, i) => (
                <li key={i}>
                  {o.name} = {o.value}
                </li>
              ))}
            </ol>
          )}
        </dd>
        <dt>Answer</dt>
        <dd>
          {ANSWER_TEXT[row.answer]}
          {row.why !== '' && `: ${row.why}`}
        </dd>
        {row.mapped !== undefined && (
          <>
            <dt>Mapped</dt>
            <dd>
              to <span className="mono">{row.mapped.to}</span> by{' '}
              <code className="mono">{row.mapped.rule}</code>
            </dd>
          </>
        )}
        {row.device !== undefined && (
          <>
            <dt>Device profile</dt>
            <dd>
              <DeviceProfileAction device={row.device} />
            </dd>
          </>
        )}
      </dl>
      {row.answer === 'not-found' && <Suggestions row={row} />}
    </section>
  );
}
