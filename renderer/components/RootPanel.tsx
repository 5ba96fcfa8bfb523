// The served folder: pick it (native dialog in the desktop app, a path field in the browser),
// reopen a recent one, reveal it in the file manager.
import { useState, type FormEvent } from 'react';
import { chooseRoot, openRoot, setRoot } from '../actions';
import { displayText } from '../lib/display-text';
import { useServerStore } from '../store/server-store';
import { useSettingsStore } from '../store/settings-store';
import { ExternalIcon, FolderIcon } from './Icons';

export function fileManagerName(platform: string): string {
  if (platform === 'darwin') return 'Finder';
  if (platform === 'win32') return 'Explorer';
  return 'Files';
}

function PathForm({ onError }: { onError: (message: string | null) => void }) {
  const [path, setPath] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = path.trim();
    if (trimmed === '') return onError('Type the full path of a folder on the server’s machine.');
    const error = await setRoot(trimmed);
    onError(error);
    if (error === null) setPath('');
  };
  return (
    <form className="inline-form" onSubmit={(e) => void submit(e)}>
      <label htmlFor="root-path" className="visually-hidden">
        Folder path
      </label>
      <input
        id="root-path"
        className="mono"
        placeholder="/srv/tftp"
        value={path}
        spellCheck={false}
        autoComplete="off"
        onChange={(e) => setPath(e.target.value)}
      />
      <button type="submit" className="btn">
        Use
      </button>
    </form>
  );
}

export function RootPanel() {
  const settings = useSettingsStore((s) => s.settings);
  const capabilities = useServerStore((s) => s.capabilities);
  const [error, setError] = useState<string | null>(null);
  const root = settings?.root ?? '';
  const recent = (settings?.recentRoots ?? []).filter((r) => r !== root);
  const native = capabilities.nativeDialogs;
  return (
    <section className="panel" aria-labelledby="root-title">
      <h2 id="root-title">
        <FolderIcon /> Folder
      </h2>
      <p className={`root-path mono${root === '' ? ' empty' : ''}`} title={root} data-testid="root-path">
        {root === '' ? 'No folder chosen' : displayText(root, 500)}
      </p>
      {native ? (
        <div className="button-row">
          <button type="button" className="btn" onClick={() => void chooseRoot().then(setError)}>
            <FolderIcon /> Choose…
          </button>
          <button
            type="button"
            className="btn ghost"
            disabled={root === ''}
            onClick={() => void openRoot().then(setError)}
          >
            <ExternalIcon /> Show in {fileManagerName(capabilities.platform)}
          </button>
        </div>
      ) : (
        <PathForm onError={setError} />
      )}
      <p className="hint">
        {native
          ? 'Or drop a folder anywhere on this window.'
          : 'Type a path on the machine running tftp-desk. Dropping folders works in the desktop app.'}
      </p>
      {error !== null && (
        <p className="field-error" role="alert">
          {displayText(error, 300)}
        </p>
      )}
      {recent.length > 0 && (
        <div className="recent">
          <h3>Recent</h3>
          <ul>
            {recent.map((r) => (
              <li key={r}>
                <button
                  type="button"
                  className="link-btn mono"
                  title={`Serve ${r}`}
                  aria-label={`Serve ${r}`}
                  onClick={() => void setRoot(r).then(setError)}
                >
                  {displayText(r, 300)}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
