// The files a device can fetch, with sizes and on-demand checksums; selecting one fills in the
// device commands beside the list.
import { Fragment, useEffect, useState } from 'react';
import type { FileChecksums } from '../../shared/ipc-contract';
import { fileChecksums, refreshFiles } from '../actions';
import { displayText } from '../lib/display-text';
import { formatBytes } from '../lib/format';
import { useFilesStore } from '../store/files-store';
import { CopyButton } from './CopyButton';
import { DeviceCommands } from './DeviceCommands';
import { HashIcon, RefreshIcon } from './Icons';

const MODIFIED = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const formatModified = (time: number) => MODIFIED.format(new Date(time));

type ChecksumState =
  { kind: 'loading' } | { kind: 'done'; sums: FileChecksums } | { kind: 'error'; message: string };

function ChecksumRow({ state }: { state: ChecksumState }) {
  if (state.kind === 'loading') return <p className="hint">Hashing…</p>;
  if (state.kind === 'error') return <p className="field-error">{displayText(state.message, 300)}</p>;
  return (
    <dl className="checksums">
      <dt>MD5</dt>
      <dd>
        <code className="mono">{state.sums.md5}</code> <CopyButton text={state.sums.md5} label="MD5" />
      </dd>
      <dt>SHA-256</dt>
      <dd>
        <code className="mono">{state.sums.sha256}</code>{' '}
        <CopyButton text={state.sums.sha256} label="SHA-256" />
      </dd>
    </dl>
  );
}

export function FilesView() {
  const { files, error, loading, selected } = useFilesStore();
  const [sums, setSums] = useState<Record<string, ChecksumState>>({});
  const total = files.reduce((n, f) => n + f.size, 0);

  // Files arrive by other means (copied in Finder/Explorer, scp): re-read the folder whenever the
  // list comes into view or the window gets the focus back.
  useEffect(() => {
    void refreshFiles();
    const onFocus = () => void refreshFiles();
    window.addEventListener('focus', onFocus);
    return () => window.removeEventListener('focus', onFocus);
  }, []);

  const checksum = async (name: string) => {
    setSums((s) => ({ ...s, [name]: { kind: 'loading' } }));
    const result = await fileChecksums(name);
    const next: ChecksumState = result.ok
      ? { kind: 'done', sums: result.value }
      : { kind: 'error', message: result.message };
    setSums((s) => ({ ...s, [name]: next }));
  };

  return (
    <div className="files-layout">
      <section className="panel" aria-labelledby="files-title">
        <div className="panel-head">
          <h2 id="files-title">Files devices can fetch</h2>
          <span className="muted small">
            {files.length} {files.length === 1 ? 'file' : 'files'} · {formatBytes(total)}
          </span>
          <button type="button" className="btn ghost" disabled={loading} onClick={() => void refreshFiles()}>
            <RefreshIcon /> Refresh
          </button>
        </div>
        {error !== null ? (
          <p className="field-error" role="alert">
            {displayText(error, 300)}
          </p>
        ) : files.length === 0 ? (
          <p className="empty-state">
            {loading ? 'Reading the folder…' : 'The folder is empty. Copy firmware or configs into it.'}
          </p>
        ) : (
          <table className="table files-table">
            <thead>
              <tr>
                <th scope="col" className="col-pick">
                  <span className="visually-hidden">Selected</span>
                </th>
                <th scope="col">Name</th>
                <th scope="col" className="num">
                  Size
                </th>
                <th scope="col">Modified</th>
                <th scope="col">
                  <span className="visually-hidden">Checksum</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {files.map((f) => {
                const sum = sums[f.name];
                const id = `file-${f.name}`;
                return (
                  <Fragment key={f.name}>
                    <tr className={selected === f.name ? 'selected' : undefined}>
                      <td className="col-pick">
                        <input
                          type="radio"
                          name="selected-file"
                          id={id}
                          checked={selected === f.name}
                          onChange={() => useFilesStore.setState({ selected: f.name })}
                        />
                      </td>
                      <td className="mono name-cell">
                        <label htmlFor={id}>{displayText(f.name, 300)}</label>
                      </td>
                      <td className="num">{formatBytes(f.size)}</td>
                      <td className="muted date">{formatModified(f.modified)}</td>
                      <td className="actions-cell">
                        <button
                          type="button"
                          className="btn ghost small"
                          aria-label={`Checksum of ${displayText(f.name, 300)}`}
                          title="MD5 and SHA-256 of this file"
                          onClick={() => void checksum(f.name)}
                        >
                          <HashIcon /> Hash
                        </button>
                      </td>
                    </tr>
                    {sum !== undefined && (
                      <tr className="detail-row">
                        <td />
                        <td colSpan={4}>
                          <ChecksumRow state={sum} />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
      <DeviceCommands />
    </div>
  );
}
