// Copy-paste commands for the selected file and the address the device uses.
import { useState } from 'react';
import { deviceCommands, type CommandDirection } from '../lib/device-commands';
import { displayText } from '../lib/display-text';
import { useFilesStore } from '../store/files-store';
import { resolveCommandAddress, useInterfacesStore } from '../store/interfaces-store';
import { useSettingsStore } from '../store/settings-store';
import { CopyButton } from './CopyButton';
import { TerminalIcon } from './Icons';

export function DeviceCommands() {
  const selected = useFilesStore((s) => s.selected);
  const interfaces = useInterfacesStore((s) => s.interfaces);
  const picked = useInterfacesStore((s) => s.commandAddress);
  const settings = useSettingsStore((s) => s.settings);
  const [direction, setDirection] = useState<CommandDirection>('download');
  const [uploadName, setUploadName] = useState('switch-confg');
  const address = resolveCommandAddress(interfaces, settings?.hosts ?? [], picked);
  const file = direction === 'upload' ? uploadName.trim() || 'switch-confg' : selected;

  return (
    <section className="panel commands" aria-labelledby="commands-title">
      <div className="panel-head">
        <h2 id="commands-title">
          <TerminalIcon /> Device commands
        </h2>
        <div className="segmented" role="group" aria-label="Transfer direction">
          <button
            type="button"
            aria-pressed={direction === 'download'}
            onClick={() => setDirection('download')}
          >
            Device fetches
          </button>
          <button type="button" aria-pressed={direction === 'upload'} onClick={() => setDirection('upload')}>
            Device sends
          </button>
        </div>
      </div>
      {direction === 'upload' && (
        <div className="field">
          <label htmlFor="upload-name">Name to save on this server</label>
          <input
            id="upload-name"
            className="mono"
            value={uploadName}
            spellCheck={false}
            onChange={(e) => setUploadName(e.target.value)}
          />
          {settings?.uploads === 'off' && (
            <p className="hint warn">Uploads are off: turn them on in Settings first.</p>
          )}
        </div>
      )}
      {address === undefined || settings === null ? (
        <p className="hint">Waiting for the network interfaces…</p>
      ) : file === null ? (
        <p className="hint">Select a file to see the commands that fetch it.</p>
      ) : (
        <ul className="command-list">
          {deviceCommands({
            address: address.address,
            prefix: address.prefix,
            port: settings.port,
            file,
            direction,
          }).map((c) => (
            <li key={c.id} className="command" data-command={c.id}>
              <div className="command-head">
                <span className="command-platform">{c.platform}</span>
                <CopyButton text={c.text} label={`${c.platform} command`} />
              </div>
              <pre className="mono">
                <code>
                  {c.text
                    .split('\n')
                    .map((line) => displayText(line, 1024))
                    .join('\n')}
                </code>
              </pre>
              {c.note !== undefined && <p className="hint">{c.note}</p>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
