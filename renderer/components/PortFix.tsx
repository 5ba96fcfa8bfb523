// "Use port 6969": moves the server off a refused or taken port and starts it, in one click.
// It sits beside the hint, which keeps telling how to have the standard port 69 instead.
import { useState, type Ref } from 'react';
import { startOnPort } from '../actions';
import { displayText } from '../lib/display-text';

export function PortFix({
  ref,
  port,
  disabled,
  onStarting,
}: {
  ref?: Ref<HTMLButtonElement>;
  port: number;
  disabled: boolean;
  /** called once the port is saved, before the start, so the bar can place the focus after it */
  onStarting: () => void;
}) {
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setWorking(true);
    setError(null);
    const message = await startOnPort(port, onStarting);
    setWorking(false);
    setError(message);
  };
  return (
    <>
      <button
        ref={ref}
        type="button"
        className="btn small port-fix"
        disabled={disabled || working}
        title={`Save UDP port ${port} and start the server on it`}
        onClick={() => void run()}
      >
        Use port {port}
      </button>
      {error !== null && (
        <span className="field-error" role="alert">
          {displayText(error, 300)}
        </span>
      )}
    </>
  );
}
