// The received messages, virtualised like the log (thousands scroll as smoothly as ten), following
// the newest until the user scrolls up. Each row: time, device, facility, severity (coloured), app,
// message; a datagram without a valid PRI is shown verbatim and marked "unparsed".
import { memo, useEffect, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { severityName, type SyslogMessage } from '../../shared/syslog';
import { displayText } from '../lib/display-text';
import { formatClock } from '../lib/format';
import { facilityLabel } from '../lib/syslog-filter';
import { transferWords, type TimelineItem } from '../lib/syslog-timeline';

const ROW_HEIGHT = 24;

const MessageRow = memo(function MessageRow({ m }: { m: SyslogMessage }) {
  const raw = m.format === 'raw';
  const severity = m.severity === undefined ? undefined : severityName(m.severity);
  const app = m.appName === undefined ? '' : `${m.appName}${m.procId !== undefined ? `[${m.procId}]` : ''}`;
  return (
    <>
      <span
        className="log-time"
        title={m.timestamp !== undefined ? `Device time: ${m.timestamp}` : undefined}
      >
        {formatClock(m.receivedAt)}
      </span>
      <span
        className="syslog-device"
        title={m.hostname !== undefined ? `${m.hostname} (${m.peer.address})` : m.peer.address}
      >
        {m.peer.address}
        {m.hostname !== undefined && <span className="muted"> {displayText(m.hostname, 200)}</span>}
      </span>
      <span className="syslog-facility">{raw ? '' : facilityLabel(m)}</span>
      {raw ? (
        <span className="syslog-severity unparsed" title="No valid priority: shown as received">
          unparsed
        </span>
      ) : (
        <span className={`syslog-severity sev-${m.severity ?? 'none'}`}>{severity ?? ''}</span>
      )}
      <span className="syslog-app">{displayText(app, 200)}</span>
      <span className="log-msg" title={displayText(m.raw, 2000)}>
        {displayText(raw ? m.raw : m.message, 2000)}
      </span>
    </>
  );
});

const TransferRow = memo(function TransferRow({
  item,
}: {
  item: Extract<TimelineItem, { kind: 'transfer' }>;
}) {
  return (
    <>
      <span className="log-time">{formatClock(item.time)}</span>
      <span className="syslog-device">{item.peer}</span>
      <span className="syslog-facility">tftp</span>
      <span className={`syslog-severity transfer-${item.phase}`}>{item.phase}</span>
      <span className="syslog-app">{transferWords(item)}</span>
      <span className="log-msg">
        {displayText(item.file, 500)} {displayText(item.outcome, 500)}
      </span>
    </>
  );
});

const LeaseRow = memo(function LeaseRow({ item }: { item: Extract<TimelineItem, { kind: 'lease' }> }) {
  return (
    <>
      <span className="log-time">{formatClock(item.time)}</span>
      <span className="syslog-device">{item.mac}</span>
      <span className="syslog-facility">dhcp</span>
      <span className="syslog-severity transfer-lease">lease</span>
      <span className="syslog-app" />
      <span className="log-msg">{displayText(item.text, 1000)}</span>
    </>
  );
});

type Row = { key: string; message: SyslogMessage } | { key: string; item: TimelineItem };

function rowClass(row: Row): string {
  const m = 'message' in row ? row.message : row.item.kind === 'syslog' ? row.item.message : undefined;
  if (m === undefined)
    return `syslog-line ${'item' in row && row.item.kind === 'lease' ? 'lease' : 'transfer'}`;
  if (m.format === 'raw') return 'syslog-line raw';
  return `syslog-line${m.severity !== undefined && m.severity <= 3 ? ' severe' : ''}`;
}

/** Messages, or a device's timeline (messages and transfers); the same virtual list for both. */
export function SyslogList({ rows, empty, label }: { rows: readonly Row[]; empty: string; label: string }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [follow, setFollow] = useState(true);
  // The virtualizer hands out fresh functions each render; nothing here memoises them.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });
  useEffect(() => {
    if (follow && rows.length > 0) virtualizer.scrollToIndex(rows.length - 1, { align: 'end' });
  }, [follow, rows, virtualizer]);
  const onScroll = () => {
    const el = scrollRef.current;
    if (el === null) return;
    const atBottom = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW_HEIGHT;
    if (atBottom !== follow) setFollow(atBottom);
  };
  return (
    <div
      className="virtual-scroll log-scroll mono"
      ref={scrollRef}
      onScroll={onScroll}
      tabIndex={0}
      role="region"
      aria-label={label}
      data-testid="syslog-scroll"
    >
      {rows.length === 0 && <p className="empty-state">{empty}</p>}
      <div className="virtual-inner" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((v) => {
          const row = rows[v.index];
          if (row === undefined) return null;
          return (
            <div
              key={row.key}
              className={rowClass(row)}
              data-syslog-row
              style={{ transform: `translateY(${v.start}px)`, height: ROW_HEIGHT }}
            >
              {'message' in row ? (
                <MessageRow m={row.message} />
              ) : row.item.kind === 'syslog' ? (
                <MessageRow m={row.item.message} />
              ) : row.item.kind === 'lease' ? (
                <LeaseRow item={row.item} />
              ) : (
                <TransferRow item={row.item} />
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}
