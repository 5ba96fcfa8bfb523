// Dropping a folder on the window serves it. Only the desktop app can learn a dropped folder's
// path (through the preload); a browser never reveals it, so there the drop explains what to do.
import { useEffect, useState } from 'react';
import { droppedPath, setRoot } from '../actions';
import { displayText } from '../lib/display-text';
import { FolderIcon } from './Icons';

type DropState = { kind: 'idle' } | { kind: 'over' } | { kind: 'message'; text: string; error: boolean };

export function DropTarget({ desktop }: { desktop: boolean }) {
  const [state, setState] = useState<DropState>({ kind: 'idle' });

  useEffect(() => {
    let depth = 0;
    const hasFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false;
    const onEnter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth += 1;
      setState({ kind: 'over' });
    };
    const onLeave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setState((s) => (s.kind === 'over' ? { kind: 'idle' } : s));
    };
    const onOver = (e: DragEvent) => {
      if (hasFiles(e)) e.preventDefault();
    };
    const onDrop = (e: DragEvent) => {
      e.preventDefault(); // never let the browser navigate to the dropped file
      depth = 0;
      const file = e.dataTransfer?.files[0];
      if (file === undefined) return setState({ kind: 'idle' });
      if (!desktop) {
        setState({
          kind: 'message',
          error: false,
          text: 'A browser does not reveal where a dropped folder lives. Type its path in the Folder panel instead.',
        });
        return undefined;
      }
      const path = droppedPath(file);
      if (path === undefined) {
        setState({
          kind: 'message',
          error: true,
          text: 'Could not tell where the dropped item is. Use Choose… instead.',
        });
        return undefined;
      }
      setState({ kind: 'idle' });
      void setRoot(path).then((error) => {
        if (error !== null) setState({ kind: 'message', error: true, text: error });
      });
      return undefined;
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('dragover', onOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('drop', onDrop);
    };
  }, [desktop]);

  useEffect(() => {
    if (state.kind !== 'message') return undefined;
    const timer = setTimeout(() => setState({ kind: 'idle' }), 6000);
    return () => clearTimeout(timer);
  }, [state]);

  if (state.kind === 'idle') return null;
  if (state.kind === 'over')
    return (
      <div className="drop-overlay" aria-hidden="true">
        <div className="drop-card">
          <FolderIcon />
          <span>{desktop ? 'Drop a folder to serve it' : 'Folders cannot be dropped in the browser'}</span>
        </div>
      </div>
    );
  return (
    <div className={`toast${state.error ? ' error' : ''}`} role="alert">
      {displayText(state.text, 300)}
      <button type="button" className="link-btn" onClick={() => setState({ kind: 'idle' })}>
        Dismiss
      </button>
    </div>
  );
}
