// The window: server bar on top, folder and interface on the left, the views on the right.
import { useEffect, useState } from 'react';
import { BootServicesView } from './components/BootServicesView';
import { DropTarget } from './components/DropTarget';
import { FilesView } from './components/FilesView';
import { InterfacePanel } from './components/InterfacePanel';
import { LogPane } from './components/LogPane';
import { RequestsView } from './components/RequestsView';
import { RootPanel } from './components/RootPanel';
import { SendView } from './components/SendView';
import { ServerBar } from './components/ServerBar';
import { SettingsView } from './components/SettingsView';
import { SyslogView } from './components/SyslogView';
import { Tabs, type TabSpec } from './components/Tabs';
import { TransfersView } from './components/TransfersView';
import { DhcpBadge } from './components/DhcpBadge';
import { FirewallNotice } from './components/FirewallNotice';
import { PreflightPanel } from './components/PreflightPanel';
import { usePreflightStore } from './store/preflight-store';
import { useServerStore } from './store/server-store';
import { useSessionsStore } from './store/sessions-store';
import { useSettingsStore } from './store/settings-store';

type View = 'transfers' | 'requests' | 'boot' | 'files' | 'log' | 'syslog' | 'send' | 'settings';

/** Subscribes on its own, so a changing count re-renders the badge and not the whole window. */
function ActiveBadge() {
  const active = useSessionsStore((s) => s.order.length);
  return active > 0 ? <span className="tab-badge">{active}</span> : null;
}

function useTheme(): void {
  const theme = useSettingsStore((s) => s.settings?.theme ?? 'system');
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
}

export function App() {
  const [view, setView] = useState<View>('transfers');
  const ready = useServerStore((s) => s.ready);
  const desktop = useServerStore((s) => s.capabilities.nativeDialogs);
  const preflightOpen = usePreflightStore((s) => s.open);
  useTheme();

  const tabs: readonly TabSpec<View>[] = [
    { id: 'transfers', label: 'Transfers', badge: <ActiveBadge /> },
    { id: 'requests', label: 'Requests' },
    { id: 'boot', label: 'Boot services', badge: <DhcpBadge /> },
    { id: 'files', label: 'Files & commands' },
    { id: 'log', label: 'Log' },
    { id: 'syslog', label: 'Syslog' },
    { id: 'send', label: 'Send to device' },
    { id: 'settings', label: 'Settings' },
  ];

  return (
    <div className="app" aria-busy={!ready}>
      <ServerBar />
      <div className="body">
        <aside className="sidebar" aria-label="Folder and interface">
          <RootPanel />
          <InterfacePanel />
        </aside>
        <main className="content">
          <FirewallNotice />
          {preflightOpen && <PreflightPanel />}
          <Tabs tabs={tabs} current={view} onChange={setView} label="Views" />
          <div className="view" role="tabpanel" id={`panel-${view}`} aria-labelledby={`tab-${view}`}>
            {view === 'transfers' && <TransfersView />}
            {view === 'requests' && <RequestsView />}
            {view === 'boot' && <BootServicesView />}
            {view === 'files' && <FilesView />}
            {view === 'log' && <LogPane />}
            {view === 'settings' && <SettingsView />}
            {view === 'syslog' && <SyslogView />}
            {view === 'send' && <SendView />}
          </div>
        </main>
      </div>
      <DropTarget desktop={desktop} />
    </div>
  );
}
