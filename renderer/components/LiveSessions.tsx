// Transfers in flight, oldest first. Virtualised: with 200 sessions only the dozen rows in view
// are rendered and laid out on each batch.
import { memo, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useSessionsStore } from '../store/sessions-store';
import { SessionRow } from './SessionRow';

const ROW_HEIGHT = 40;

function LiveTable() {
  const order = useSessionsStore((s) => s.order);
  const live = useSessionsStore((s) => s.live);
  const scrollRef = useRef<HTMLDivElement>(null);
  // The virtualizer hands out fresh functions each render; nothing here memoises them.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: order.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
    getItemKey: (index) => order[index] ?? index,
  });
  return (
    <div
      className="grid-table sessions-grid live-scroll"
      ref={scrollRef}
      role="table"
      aria-label="Live transfers"
      aria-rowcount={order.length + 1}
      tabIndex={0}
    >
      <div className="row head" role="row">
        <span role="columnheader">Peer</span>
        <span role="columnheader">File</span>
        <span role="columnheader">
          <span className="visually-hidden">Direction</span>
        </span>
        <span role="columnheader">Progress</span>
        <span role="columnheader" className="num">
          Speed
        </span>
        <span role="columnheader" className="num">
          ETA
        </span>
        <span role="columnheader" className="num" title="Block size / window size">
          Blk / Win
        </span>
        <span role="columnheader" className="num" title="Retransmissions">
          Retx
        </span>
        <span role="columnheader">State</span>
      </div>
      <div role="rowgroup" className="virtual-inner" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => {
          const session = live[order[item.index] ?? ''];
          if (session === undefined) return null;
          return <SessionRow key={item.key} session={session} top={item.start} index={item.index} />;
        })}
      </div>
    </div>
  );
}

export const LiveSessions = memo(function LiveSessions() {
  const count = useSessionsStore((s) => s.order.length);
  return (
    <section className="panel grow-0" aria-labelledby="live-title">
      <div className="panel-head">
        <h2 id="live-title">Live transfers</h2>
        <span className="count-badge" data-testid="live-count">
          {count}
        </span>
      </div>
      {count === 0 ? (
        <p className="empty-state">
          No transfers right now. Run one of the device commands from the Files tab.
        </p>
      ) : (
        <LiveTable />
      )}
    </section>
  );
});
