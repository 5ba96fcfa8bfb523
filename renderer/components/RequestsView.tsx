// The "Requests" tab: what each device asked for, exactly as it asked, and what it got. Every
// request the server answered, refused and not-found ones included, newest first, from the same
// fold (and within the same bounds) as the Transfers tab. Click a request for its detail, with
// what a not-found name probably meant and one click to answer it with that file from now on.
import { SearchBox } from './SearchBox';
import { memo, useDeferredValue, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { formatClock, formatCount } from '../lib/format';
import {
  ANSWER_TEXT,
  filterRequests,
  inspectorRows,
  type Answer,
  type InspectedRequest,
  type Show,
} from '../lib/request-inspector';
import { useSessionsStore } from '../store/sessions-store';
import { NameMapPanel } from './NameMapPanel';
import { RequestDetail } from './RequestDetail';

const ROW_HEIGHT = 40;

const TONE: Readonly<Record<Answer, string>> = {
  serving: 'accent',
  served: 'ok',
  failed: 'error',
  refused: 'error',
  'not-found': 'warn',
};

const SHOW_TEXT: Readonly<Record<Show, string>> = {
  all: 'All',
  problems: 'Refused & failed',
  mapped: 'Mapped',
};

const RequestRow = memo(function RequestRow({ row }: { row: InspectedRequest }) {
  return (
    <>
      <span role="cell" className="mono small muted">
        {formatClock(row.time)}
      </span>
      <span role="cell" className="peer-client" title={row.client.reasons.join('\n')}>
        <span className="mono peer">{row.peer}</span>
        <span className={`client small${row.client.guess ? ' guess' : ''}`} data-testid="client">
          {row.client.text}
        </span>
      </span>
      <span role="cell" className="mono file" title={row.name}>
        {row.name}
      </span>
      <span role="cell" className="mono small">
        {row.mode}
      </span>
      <span role="cell" className="mono small" title={row.options}>
        {row.options === '' ? <span className="muted">none</span> : row.options}
      </span>
      <span role="cell">
        <span className={`pill ${TONE[row.answer]}`}>{ANSWER_TEXT[row.answer]}</span>
        {row.mapped !== undefined && <span className="pill accent">Mapped</span>}
      </span>
      <span
        role="cell"
        className="small"
        title={row.mapped ? `${row.mapped.to} (${row.mapped.rule})` : row.why}
      >
        {row.mapped !== undefined ? (
          <span>
            <span className="mono">→ {row.mapped.to}</span>
            {row.why !== '' && `: ${row.why}`}
          </span>
        ) : row.answer === 'not-found' && row.suggestions.length > 0 ? (
          <span>
            {row.why}; did you mean <span className="mono">{row.suggestions[0]?.file}</span>?
          </span>
        ) : (
          row.why
        )}
      </span>
    </>
  );
});

export function RequestsView() {
  const live = useSessionsStore((s) => s.live);
  const order = useSessionsStore((s) => s.order);
  const history = useSessionsStore((s) => s.history);
  const [query, setQuery] = useState('');
  const [show, setShow] = useState<Show>('all');
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const all = useMemo(() => inspectorRows({ live, order, history }), [live, order, history]);
  const deferredQuery = useDeferredValue(query);
  const rows = useMemo(() => filterRequests(all, deferredQuery, show), [all, deferredQuery, show]);
  const selected = useMemo(() => all.find((r) => r.id === selectedId), [all, selectedId]);
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey: (index) => rows[index]?.id ?? index,
  });

  return (
    <div className="inspector">
      <section className="panel grow" aria-labelledby="requests-title">
        <div className="panel-head wrap">
          <h2 id="requests-title">Requests</h2>
          <SearchBox
            id="requests-filter"
            label="Filter requests"
            placeholder="Peer, name, client, answer…"
            value={query}
            onChange={setQuery}
          />
          <div className="segmented" role="group" aria-label="Show requests">
            {(['all', 'problems', 'mapped'] as const).map((value) => (
              <button key={value} type="button" aria-pressed={show === value} onClick={() => setShow(value)}>
                {SHOW_TEXT[value]}
              </button>
            ))}
          </div>
          <span className="muted small" data-testid="requests-count">
            {formatCount(rows.length)} of {formatCount(all.length)} requests
          </span>
        </div>
        <div
          className="grid-table requests-grid"
          role="table"
          aria-label="Requests as sent"
          aria-rowcount={rows.length + 1}
        >
          <div className="virtual-scroll" ref={scrollRef} tabIndex={0} aria-label="Request rows">
            <div className="row head" role="row">
              <span role="columnheader">Time</span>
              <span role="columnheader">Peer · client</span>
              <span role="columnheader">Name as sent</span>
              <span role="columnheader">Mode</span>
              <span role="columnheader">Options as sent</span>
              <span role="columnheader">Answer</span>
              <span role="columnheader">Why</span>
            </div>
            {rows.length === 0 && (
              <p className="empty-state">
                {all.length === 0
                  ? 'Every request a device sends shows up here, refused and not-found ones too.'
                  : 'No request matches the filter.'}
              </p>
            )}
            <div role="rowgroup" className="virtual-inner" style={{ height: virtualizer.getTotalSize() }}>
              {virtualizer.getVirtualItems().map((item) => {
                const row = rows[item.index];
                if (row === undefined) return null;
                const isSelected = row.id === selectedId;
                return (
                  <div
                    key={item.key}
                    role="row"
                    aria-rowindex={item.index + 2}
                    aria-selected={isSelected}
                    tabIndex={0}
                    className={`row${isSelected ? ' selected' : ''}${row.answer === 'refused' || row.answer === 'failed' ? ' failed' : ''}`}
                    data-request={row.id}
                    style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                    onClick={() => setSelectedId(isSelected ? null : row.id)}
                    onKeyDown={(e) => {
                      if (e.key !== 'Enter' && e.key !== ' ') return;
                      e.preventDefault();
                      setSelectedId(isSelected ? null : row.id);
                    }}
                  >
                    <RequestRow row={row} />
                  </div>
                );
              })}
            </div>
          </div>
        </div>
      </section>
      {selected !== undefined && <RequestDetail row={selected} onClose={() => setSelectedId(null)} />}
      <NameMapPanel />
    </div>
  );
}
