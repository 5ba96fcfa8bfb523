// The Boot services tab's mark: on while the services run, so they are never left on unseen.
import { isActive, useDhcpStore } from '../store/dhcp-store';

export function DhcpBadge() {
  const on = useDhcpStore((s) => isActive(s.state));
  return on ? (
    <span className="tab-badge" title="Boot services are running">
      on
    </span>
  ) : null;
}
