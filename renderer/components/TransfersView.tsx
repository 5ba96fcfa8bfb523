// The main view: a summary strip, the live transfers and the history.
import { useMemo } from 'react';
import { formatRate } from '../lib/format';
import { isFailure, useSessionsStore } from '../store/sessions-store';
import { HistoryList } from './HistoryList';
import { LiveSessions } from './LiveSessions';
import { TransferDetail } from './TransferDetail';
import { PreflightPrompt } from './PreflightPrompt';

function Stat({ label, value, tone }: { label: string; value: string; tone?: string }) {
  return (
    <div className={`stat${tone !== undefined ? ` ${tone}` : ''}`}>
      <span className="stat-value">{value}</span>
      <span className="stat-label">{label}</span>
    </div>
  );
}

export function TransfersView() {
  const live = useSessionsStore((s) => s.live);
  const order = useSessionsStore((s) => s.order);
  const history = useSessionsStore((s) => s.history);
  const throughput = useMemo(() => Object.values(live).reduce((sum, s) => sum + s.rate, 0), [live]);
  const failed = useMemo(() => history.filter(isFailure).length, [history]);
  return (
    <div className="transfers">
      <div className="stats" data-testid="stats">
        <Stat label="Active" value={String(order.length)} tone={order.length > 0 ? 'accent' : undefined} />
        <Stat label="Throughput" value={formatRate(throughput)} />
        <Stat label="Completed" value={String(history.length - failed)} tone="ok" />
        <Stat label="Failed" value={String(failed)} tone={failed > 0 ? 'error' : undefined} />
      </div>
      <PreflightPrompt />
      <LiveSessions />
      <HistoryList />
      <TransferDetail />
    </div>
  );
}
