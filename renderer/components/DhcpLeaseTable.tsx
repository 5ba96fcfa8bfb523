// The live lease table: every client the boot services answered, with its address, boot file and
// the time its lease has left (counted down here between pushes).
import { useEffect, useState } from 'react';
import { archName } from '../../shared/dhcp-view';
import { formatTimeLeft } from '../lib/dhcp-form';
import { displayText } from '../lib/display-text';
import { useDhcpStore } from '../store/dhcp-store';

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}

const STATE_TONE: Record<string, string> = { bound: 'ok', offered: 'accent', declined: 'error' };

export function DhcpLeaseTable() {
  const leases = useDhcpStore((s) => s.leases);
  const now = useNow(1000);
  return (
    <section className="panel" aria-label="Leases">
      <div className="panel-head">
        <h2>Leases</h2>
        <span className="count-badge">{leases.length}</span>
      </div>
      {leases.length === 0 ? (
        <p className="empty-state">No client has asked yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="table" data-testid="dhcp-leases">
            <thead>
              <tr>
                <th>MAC</th>
                <th>Vendor class</th>
                <th>Architecture</th>
                <th>Address</th>
                <th>Boot file</th>
                <th>State</th>
                <th className="num">Time left</th>
              </tr>
            </thead>
            <tbody>
              {leases.map((l) => (
                <tr key={l.mac}>
                  <td className="mono">
                    {l.mac}
                    {l.hostname !== undefined && (
                      <span className="muted small"> {displayText(l.hostname, 64)}</span>
                    )}
                  </td>
                  <td>{l.vendorClass !== undefined ? displayText(l.vendorClass, 80) : '—'}</td>
                  <td>{archName(l.arch) || '—'}</td>
                  <td className="mono">
                    {l.address}
                    {l.reserved && <span className="pill muted small">reserved</span>}
                  </td>
                  <td className="mono">{l.bootFile !== undefined ? displayText(l.bootFile, 160) : '—'}</td>
                  <td>
                    <span className={`pill ${STATE_TONE[l.state] ?? 'muted'}`}>{l.state}</span>
                  </td>
                  <td className="num">{formatTimeLeft(l.expiresAt - now)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
