// The log: virtualised (100,000 lines scroll as smoothly as 100), filtered by level and text,
// following the newest line until the user scrolls up, pausable, copyable, exportable.
import { SearchBox } from './SearchBox';
import { memo, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { LogEvent, LogLevel } from '../../shared/events';
import { saveLog } from '../actions';
import { displayText } from '../lib/display-text';
import { downloadText, logFileName } from '../lib/download';
import { formatClock, formatCount } from '../lib/format';
import { clearLog, filterLog, formatLogLine, useLogStore } from '../store/log-store';
import { useServerStore } from '../store/server-store';
import { FollowIcon, PauseIcon, PlayIcon } from './Icons';
import { TextActions, TextNotice } from './TextActions';

const ROW_HEIGHT = 24;

const LEVEL_CHOICES: readonly { value: LogLevel; label: string }[] = [
  { value: 'debug', label: 'All levels' },
  { value: 'info', label: 'Info and above' },
  { value: 'warn', label: 'Warnings and errors' },
  { value: 'error', label: 'Errors only' },
];

const LogLine = memo(function LogLine({ line }: { line: LogEvent }) {
  return (
    <>
      <span className="log-time">{formatClock(line.time)}</span>
      <span className={`log-level ${line.level}`}>{line.level}</span>
      <span className="log-peer">{line.peer ?? ''}</span>
      <span className="log-msg">{displayText(line.message, 2000)}</span>
    </>
  );
});

export function LogPane() {
  const { lines, dropped } = useLogStore();
  const desktop = useServerStore((s) => s.capabilities.nativeDialogs);
  const [level, setLevel] = useState<LogLevel>('debug');
  const [search, setSearch] = useState('');
  const [follow, setFollow] = useState(true);
  const [frozen, setFrozen] = useState<{ lines: readonly LogEvent[]; dropped: number } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const deferredSearch = useDeferredValue(search);
  const scrollRef = useRef<HTMLDivElement>(null);

  const view = frozen ?? { lines, dropped };
  const shown = useMemo(
    () => filterLog(view.lines, { level, search: deferredSearch }),
    [view.lines, level, deferredSearch],
  );
  // The virtualizer hands out fresh functions each render; nothing here memoises them.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });

  useEffect(() => {
    if (follow && shown.length > 0) virtualizer.scrollToIndex(shown.length - 1, { align: 'end' });
  }, [follow, shown, virtualizer]);

  useEffect(() => {
    if (notice === null) return undefined;
    const timer = setTimeout(() => setNotice(null), 3000);
    return () => clearTimeout(timer);
  }, [notice]);

  const onScroll = () => {
    const el = scrollRef.current;
    if (el === null) return;
    const atBottom = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW_HEIGHT;
    if (atBottom !== follow) setFollow(atBottom);
  };

  const asText = () => shown.map((l) => formatLogLine(l, (t) => displayText(t, 100_000))).join('\n') + '\n';
  const exportLog = async () => {
    const text = asText();
    if (!desktop) {
      downloadText(logFileName(new Date()), text);
      return;
    }
    const saved = await saveLog(text);
    if (!saved.ok) setNotice(saved.message);
    else if (saved.value !== null) setNotice(`Saved to ${saved.value}`);
  };
  const waiting = frozen === null ? 0 : lines.length + dropped - (frozen.lines.length + frozen.dropped);

  return (
    <section className="panel grow log-panel" aria-labelledby="log-title">
      <div className="panel-head wrap">
        <h2 id="log-title" className="visually-hidden">
          Log
        </h2>
        <label className="visually-hidden" htmlFor="log-level">
          Level
        </label>
        <select id="log-level" value={level} onChange={(e) => setLevel(e.target.value as LogLevel)}>
          {LEVEL_CHOICES.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
        <SearchBox
          id="log-search"
          label="Search the log"
          placeholder="Search the log"
          value={search}
          onChange={setSearch}
        />
        <span className="muted small" data-testid="log-count">
          {formatCount(shown.length)} of {formatCount(view.lines.length)} lines
        </span>
        <div className="toolbar-spacer" />
        <button
          type="button"
          className="btn ghost"
          aria-pressed={frozen !== null}
          onClick={() => setFrozen(frozen === null ? { lines, dropped } : null)}
        >
          {frozen === null ? <PauseIcon /> : <PlayIcon />}
          {frozen === null ? 'Pause' : `Resume${waiting > 0 ? ` (${formatCount(waiting)} new)` : ''}`}
        </button>
        <button type="button" className="btn ghost" aria-pressed={follow} onClick={() => setFollow(!follow)}>
          <FollowIcon /> Follow
        </button>
        <TextActions
          hasShown={shown.length > 0}
          hasAny={lines.length > 0}
          text={asText}
          onExport={() => void exportLog()}
          onClear={() => {
            setFrozen(null);
            useLogStore.setState((s) => clearLog(s));
          }}
          notify={setNotice}
        />
      </div>
      <TextNotice notice={notice} />
      <div
        className="virtual-scroll log-scroll mono"
        ref={scrollRef}
        onScroll={onScroll}
        tabIndex={0}
        role="region"
        aria-label="Log lines"
        data-testid="log-scroll"
      >
        {shown.length === 0 && (
          <p className="empty-state">{lines.length === 0 ? 'Nothing logged yet.' : 'No line matches.'}</p>
        )}
        <div className="virtual-inner" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const line = shown[item.index];
            if (line === undefined) return null;
            return (
              <div
                key={item.key}
                className={`log-line ${line.level}`}
                style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
              >
                <LogLine line={line} />
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
