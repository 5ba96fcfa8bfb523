// The way into the pre-flight panel from the transfers view: a button always, and a suggestion when
// the server has listened for a while and no request has arrived. It also keeps the quiet watch.
import { useEffect, useState } from 'react';
import { openPreflight } from '../actions';
import { preflightSuggestion } from '../lib/preflight';
import { usePreflightStore } from '../store/preflight-store';
import { useServerStore } from '../store/server-store';
import { useSessionsStore } from '../store/sessions-store';

/** Notes when the server starts listening and how many transfers there were then. */
export function usePreflightWatch(): void {
  const state = useServerStore((s) => s.server.state);
  const seen = useSessionsStore((s) => s.order.length + s.history.length);
  useEffect(() => {
    usePreflightStore.setState((s) => ({
      watch:
        state === 'listening'
          ? s.watch.listeningSince === null
            ? { listeningSince: Date.now(), sessionsAtStart: seen, sessionsNow: seen }
            : { ...s.watch, sessionsNow: seen }
          : { listeningSince: null, sessionsAtStart: seen, sessionsNow: seen },
    }));
  }, [state, seen]);
}

export function PreflightPrompt() {
  usePreflightWatch();
  const server = useServerStore((s) => s.server);
  const watch = usePreflightStore((s) => s.watch);
  const open = usePreflightStore((s) => s.open);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 5000);
    return () => clearInterval(timer);
  }, []);
  const reason = preflightSuggestion(server, watch, now);
  if (open) return null;
  return (
    <div className={`preflight-prompt${reason !== null ? ' suggested' : ''}`}>
      {reason !== null && <span>{reason} Is something in the way?</span>}
      <button
        type="button"
        className={`btn small${reason !== null ? ' primary' : ''}`}
        onClick={openPreflight}
      >
        Check reachability
      </button>
    </div>
  );
}
