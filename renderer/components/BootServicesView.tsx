// The Boot services tab: DHCP, BOOTP and proxyDHCP for devices that boot from the network.
import { DhcpForm } from './DhcpForm';
import { DhcpLeaseTable } from './DhcpLeaseTable';
import { DhcpStatus } from './DhcpStatus';

export function BootServicesView() {
  return (
    <div className="boot-services">
      <DhcpStatus />
      <DhcpLeaseTable />
      <DhcpForm />
    </div>
  );
}
