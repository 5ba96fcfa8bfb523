// The local side of a "Send to device" transfer: a file in the served folder (a list for a put, a
// name for a get), or one elsewhere by its full path: the desktop's file dialog picks it, the
// browser UI types it (and says that the path is on the server's machine, not the browser's).
import { chooseClientFile } from '../actions';
import { displayText } from '../lib/display-text';
import { formatBytes } from '../lib/format';
import type { SendDraft } from '../lib/send-form';
import { useFilesStore } from '../store/files-store';
import { useServerStore } from '../store/server-store';
import { Field, TextField } from './SettingsFields';

interface Props {
  draft: SendDraft;
  edit: (patch: Partial<SendDraft>) => void;
  onError: (message: string) => void;
}

function ServedFile({ draft, edit }: Omit<Props, 'onError'>) {
  const files = useFilesStore((s) => s.files);
  if (draft.direction === 'get')
    return (
      <TextField
        id="send-local"
        label="Save in the served folder as"
        value={draft.localName}
        placeholder="the device's file name"
        hint="A name inside the served folder; an existing file is replaced only once the whole file arrived."
        onChange={(v) => edit({ localName: v })}
      />
    );
  return (
    <Field id="send-local" label="File from the served folder">
      {() => (
        <select id="send-local" value={draft.localName} onChange={(e) => edit({ localName: e.target.value })}>
          <option value="">Choose a file…</option>
          {files.slice(0, 2000).map((f) => (
            <option key={f.name} value={f.name}>
              {displayText(f.name, 300)} ({formatBytes(f.size)})
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

function PickedPath({ draft, edit, onError }: Props) {
  const put = draft.direction === 'put';
  const pick = async () => {
    const chosen = await chooseClientFile({
      direction: draft.direction,
      ...(put ? {} : { suggestedName: lastName(draft.remoteName) }),
    });
    if (!chosen.ok) onError(chosen.message);
    else if (chosen.value !== null) edit({ localPath: chosen.value });
  };
  return (
    <Field id="send-path" label={put ? 'File to send' : 'Save as'}>
      {(describedBy) => (
        <div className="input-with-suffix">
          <input
            id="send-path"
            className="mono"
            readOnly
            value={draft.localPath}
            placeholder={put ? 'No file chosen' : 'No place chosen'}
            aria-describedby={describedBy}
          />
          <button type="button" className="btn" onClick={() => void pick()}>
            Choose…
          </button>
        </div>
      )}
    </Field>
  );
}

const lastName = (name: string) => name.split(/[\\/]/).pop() ?? '';

function TypedPath({ draft, edit }: Omit<Props, 'onError'>) {
  const put = draft.direction === 'put';
  return (
    <TextField
      id="send-path"
      label={put ? 'Full path of the file to send' : 'Save as (full path)'}
      value={draft.localPath}
      placeholder={put ? '/home/me/firmware.bin' : '/home/me/backup.cfg'}
      hint={
        put
          ? 'The browser UI reads this file on the machine running the server (tftp-desk serve), not on this computer.'
          : 'The browser UI writes this file on the machine running the server (tftp-desk serve), not on this computer; its folder must exist.'
      }
      onChange={(v) => edit({ localPath: v })}
    />
  );
}

export function SendLocalFile(props: Props) {
  const { draft, edit } = props;
  const desktop = useServerStore((s) => s.capabilities.nativeDialogs);
  const put = draft.direction === 'put';
  return (
    <>
      <Field id="send-where" label={put ? 'Send a file from' : 'Save the file'}>
        {() => (
          <select
            id="send-where"
            value={draft.where}
            onChange={(e) => edit({ where: e.target.value as SendDraft['where'] })}
          >
            <option value="served">{put ? 'the served folder' : 'in the served folder'}</option>
            <option value="elsewhere">
              {desktop ? 'anywhere on this computer' : "anywhere on the server's machine (full path)"}
            </option>
          </select>
        )}
      </Field>
      {draft.where === 'served' ? (
        <ServedFile draft={draft} edit={edit} />
      ) : desktop ? (
        <PickedPath {...props} />
      ) : (
        <TypedPath draft={draft} edit={edit} />
      )}
    </>
  );
}
