// Transfers in flight, oldest first.
import { useSessionsStore } from '../store/sessions-store';
import { SessionRow } from './SessionRow';

export function LiveSessions() {
  const order = useSessionsStore((s) => s.order);
  const live = useSessionsStore((s) => s.live);
  return (
    <section className="panel grow-0" aria-labelledby="live-title">
      <div className="panel-head">
        <h2 id="live-title">Live transfers</h2>
        <span className="count-badge" data-testid="live-count">
          {order.length}
        </span>
      </div>
      {order.length === 0 ? (
        <p className="empty-state">
          No transfers right now. Run one of the device commands from the Files tab.
        </p>
      ) : (
        <div className="grid-table sessions-grid live-scroll" role="table" aria-label="Live transfers">
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
          <div role="rowgroup">
            {order.map((id) => {
              const session = live[id];
              return session === undefined ? null : <SessionRow key={id} session={session} />;
            })}
          </div>
        </div>
      )}
    </section>
  );
}
