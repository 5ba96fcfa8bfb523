// Finished and failed transfers, newest first: virtualised, since it holds up to 1,000 entries.
import { memo, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { HistoryEntry } from '../../shared/ipc-contract';
import { displayText } from '../lib/display-text';
import { formatBytes, formatClock, formatDuration, formatRate } from '../lib/format';
import {
  clientTag,
  directionText,
  FILE_CHANGED_TITLE,
  failureReason,
  historyNumbers,
} from '../lib/session-text';
import { detailRowProps } from '../store/detail-store';
import { clearHistory, isFailure, useSessionsStore } from '../store/sessions-store';
import { CopyButton } from './CopyButton';
import { DownIcon, TrashIcon, UpIcon } from './Icons';
import { ProfileBadge } from './ProfileBadge';

const ROW_HEIGHT = 40;
type Show = 'all' | 'ok' | 'failed';

const HistoryRow = memo(function HistoryRow({ entry }: { entry: HistoryEntry }) {
  const n = historyNumbers(entry);
  const reason = failureReason(entry);
  const file = displayText(entry.started.file, 300);
  const tag = clientTag(entry.started);
  const local =
    entry.started.localPath === undefined ? '' : ` (${displayText(entry.started.localPath, 300)})`;
  return (
    <>
      <span role="cell" className="mono small muted">
        {formatClock(entry.end.time)}
      </span>
      <span role="cell" className="mono peer" title={entry.started.peer}>
        {entry.started.peer}
      </span>
      <span role="cell" className="mono file" title={`${file}${local}`}>
        {tag !== undefined && <span className="pill accent role-tag">{tag}</span>}
        <span className="file-name">{file}</span>
        <ProfileBadge id={entry.started.profile} />
      </span>
      <span role="cell" className={`dir ${entry.started.direction}`} title={directionText(entry.started)}>
        {entry.started.direction === 'download' ? <DownIcon /> : <UpIcon />}
        <span className="visually-hidden">{directionText(entry.started)}</span>
      </span>
      <span role="cell">
        <span className={`pill ${n.ok ? 'ok' : 'error'}`}>{n.ok ? 'Done' : 'Failed'}</span>
      </span>
      <span role="cell" className="num">
        {formatBytes(n.bytes)}
      </span>
      <span role="cell" className="num">
        {formatDuration(n.durationMs)}
      </span>
      <span role="cell" className="num">
        {formatRate(n.averageRate)}
      </span>
      <span role="cell" className="detail" title={reason ?? (n.fileChanged ? FILE_CHANGED_TITLE : n.sha256)}>
        {reason !== undefined ? (
          <span className="error-text">{displayText(reason, 400)}</span>
        ) : n.fileChanged ? (
          <span className="warn-text" data-testid="file-changed">
            file changed during transfer
          </span>
        ) : n.sha256 ? (
          <span className="sha">
            <code className="mono small">{n.sha256.slice(0, 16)}…</code>
            <CopyButton text={n.sha256} label={`SHA-256 of ${file}`} />
          </span>
        ) : null}
      </span>
    </>
  );
});

export const HistoryList = memo(function HistoryList() {
  const history = useSessionsStore((s) => s.history);
  const [show, setShow] = useState<Show>('all');
  const scrollRef = useRef<HTMLDivElement>(null);
  const rows = useMemo(
    () => (show === 'all' ? history : history.filter((e) => isFailure(e) === (show === 'failed'))),
    [history, show],
  );
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey: (index) => rows[index]?.end.id ?? index,
  });
  const failed = useMemo(() => history.filter(isFailure).length, [history]);

  return (
    <section className="panel grow" aria-labelledby="history-title">
      <div className="panel-head">
        <h2 id="history-title">History</h2>
        <span className="muted small">
          {history.length - failed} done · {failed} failed
        </span>
        <div className="segmented" role="group" aria-label="Show">
          {(['all', 'ok', 'failed'] as const).map((value) => (
            <button key={value} type="button" aria-pressed={show === value} onClick={() => setShow(value)}>
              {value === 'all' ? 'All' : value === 'ok' ? 'Done' : 'Failed'}
            </button>
          ))}
        </div>
        <button
          type="button"
          className="btn ghost"
          disabled={history.length === 0}
          onClick={() => useSessionsStore.setState((s) => clearHistory(s))}
        >
          <TrashIcon /> Clear
        </button>
      </div>
      <div
        className="grid-table history-grid"
        role="table"
        aria-label="Transfer history"
        aria-rowcount={rows.length + 1}
      >
        <div className="virtual-scroll" ref={scrollRef} tabIndex={0} aria-label="History rows">
          <div className="row head" role="row">
            <span role="columnheader">Finished</span>
            <span role="columnheader">Peer</span>
            <span role="columnheader">File</span>
            <span role="columnheader">
              <span className="visually-hidden">Direction</span>
            </span>
            <span role="columnheader">Result</span>
            <span role="columnheader" className="num">
              Bytes
            </span>
            <span role="columnheader" className="num">
              Duration
            </span>
            <span role="columnheader" className="num">
              Avg speed
            </span>
            <span role="columnheader">SHA-256 / reason</span>
          </div>
          {rows.length === 0 && <p className="empty-state">Finished transfers show up here.</p>}
          <div role="rowgroup" className="virtual-inner" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((item) => {
              const entry = rows[item.index];
              if (entry === undefined) return null;
              return (
                <div
                  key={item.key}
                  role="row"
                  aria-rowindex={item.index + 2}
                  className={`row${isFailure(entry) ? ' failed' : ''}`}
                  data-history={entry.end.id}
                  data-role={entry.started.role ?? 'server'}
                  style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                  {...detailRowProps(entry.end.id)}
                >
                  <HistoryRow entry={entry} />
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </section>
  );
});
