// The Copy, Export and Clear buttons of a text view (the log, the syslog list), and the notice
// that says how a copy or clear went: one look and one wording for both views.
import { copyText } from '../lib/clipboard';
import { displayText } from '../lib/display-text';
import { CopyIcon, SaveIcon, TrashIcon } from './Icons';

export interface TextActionsProps {
  /** lines are shown: Copy and Export have something to take */
  hasShown: boolean;
  /** anything is kept at all: Clear has something to clear */
  hasAny: boolean;
  /** the shown lines as text, read when Copy is pressed */
  text: () => string;
  onExport: () => void;
  onClear: () => void;
  notify: (message: string) => void;
}

export function TextActions({ hasShown, hasAny, text, onExport, onClear, notify }: TextActionsProps) {
  return (
    <>
      <button
        type="button"
        className="btn ghost"
        disabled={!hasShown}
        onClick={() =>
          void copyText(text()).then((ok) => notify(ok ? 'Copied the shown lines' : 'Copy failed'))
        }
      >
        <CopyIcon /> Copy
      </button>
      <button type="button" className="btn ghost" disabled={!hasShown} onClick={onExport}>
        <SaveIcon /> Export
      </button>
      <button type="button" className="btn ghost" disabled={!hasAny} onClick={onClear}>
        <TrashIcon /> Clear
      </button>
    </>
  );
}

/** The notice under a text view's toolbar, escaped (a copy error may quote the system). */
export function TextNotice({ notice }: { notice: string | null }) {
  if (notice === null) return null;
  return (
    <p className="hint" role="status">
      {displayText(notice, 300)}
    </p>
  );
}
