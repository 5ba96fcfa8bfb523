// The Syslog tab: the receiver's controls, what was dropped, the filters (device, minimum
// severity, text), and the messages; with one device chosen, its timeline: its lease, the transfers
// it made and the messages it sent, in one list. Copy and Export take what is shown.
import { SearchBox } from './SearchBox';
import { useDeferredValue, useEffect, useMemo, useState } from 'react';
import { SEVERITY_NAMES } from '../../shared/syslog';
import { clearSyslog, saveLog } from '../actions';
import { displayText } from '../lib/display-text';
import { downloadText } from '../lib/download';
import { formatBytes, formatCount } from '../lib/format';
import { filterSyslog, syslogDevices } from '../lib/syslog-filter';
import { syslogFileName, syslogText, timelineText } from '../lib/syslog-text';
import { deviceTimeline } from '../lib/syslog-timeline';
import { useDhcpStore } from '../store/dhcp-store';
import { useLogStore } from '../store/log-store';
import { useServerStore } from '../store/server-store';
import { useSessionsStore } from '../store/sessions-store';
import { useSyslogStore } from '../store/syslog-store';
import '../styles/syslog.css';
import { SyslogControls } from './SyslogControls';
import { SyslogList } from './SyslogList';
import { TextActions, TextNotice } from './TextActions';

const escape = (text: string) => displayText(text, 100_000);

function DropNotice() {
  const dropped = useSyslogStore((s) => s.dropped);
  const last = useSyslogStore((s) => s.lastDrop);
  const total = dropped.rateLimited + dropped.notAllowed;
  if (total === 0) return null;
  const worst = last?.senders[0]?.address;
  return (
    <p className="hint warn" role="status" data-testid="syslog-dropped">
      {formatCount(total)} message{total === 1 ? '' : 's'} dropped: {formatCount(dropped.rateLimited)} over
      the per-device rate limit, {formatCount(dropped.notAllowed)} from devices not on the allow-list
      {worst !== undefined ? ` (latest summary: mostly from ${worst})` : ''}.
    </p>
  );
}

export function SyslogView() {
  const messages = useSyslogStore((s) => s.messages);
  const history = useSessionsStore((s) => s.history);
  const live = useSessionsStore((s) => s.live);
  const leases = useDhcpStore((s) => s.leases);
  const log = useLogStore((s) => s.lines);
  const desktop = useServerStore((s) => s.capabilities.nativeDialogs);
  const [device, setDevice] = useState('');
  const [maxSeverity, setMaxSeverity] = useState(7);
  const [search, setSearch] = useState('');
  const [timeline, setTimeline] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const deferredSearch = useDeferredValue(search);

  const devices = useMemo(() => syslogDevices(messages), [messages]);
  const shown = useMemo(
    () => filterSyslog(messages, { device, maxSeverity, search: deferredSearch }),
    [messages, device, maxSeverity, deferredSearch],
  );
  const showTimeline = timeline && device !== '';
  const items = useMemo(
    () =>
      showTimeline
        ? deviceTimeline(
            device,
            shown,
            history,
            Object.values(live).map((s) => s.started),
            formatBytes,
            { leases, log },
          )
        : [],
    [showTimeline, device, shown, history, live, leases, log],
  );
  const rows = useMemo(
    () =>
      showTimeline
        ? items.map((item) => ({ key: item.key, item }))
        : shown.map((m) => ({ key: `s-${m.id}`, message: m })),
    [showTimeline, items, shown],
  );

  useEffect(() => {
    if (notice === null) return undefined;
    const timer = setTimeout(() => setNotice(null), 3000);
    return () => clearTimeout(timer);
  }, [notice]);

  const asText = () => (showTimeline ? timelineText(items, escape) : syslogText(shown, escape));
  const exportText = async () => {
    const text = asText();
    if (!desktop) {
      downloadText(syslogFileName(new Date()), text);
      return;
    }
    const saved = await saveLog(text);
    if (!saved.ok) setNotice(saved.message);
    else if (saved.value !== null) setNotice(`Saved to ${saved.value}`);
  };

  return (
    <section className="panel grow log-panel syslog-panel" aria-labelledby="syslog-title">
      <h2 id="syslog-title" className="visually-hidden">
        Syslog
      </h2>
      <SyslogControls />
      <DropNotice />
      <div className="panel-head wrap">
        <label className="visually-hidden" htmlFor="syslog-device">
          Syslog device
        </label>
        <select
          id="syslog-device"
          value={device}
          onChange={(e) => {
            setDevice(e.target.value);
            if (e.target.value === '') setTimeline(false);
          }}
        >
          <option value="">All devices</option>
          {devices.map((d) => (
            <option key={d.address} value={d.address}>
              {d.hostname !== undefined ? `${displayText(d.hostname, 80)} (${d.address})` : d.address}
            </option>
          ))}
        </select>
        <label className="visually-hidden" htmlFor="syslog-severity">
          Minimum severity
        </label>
        <select
          id="syslog-severity"
          value={maxSeverity}
          onChange={(e) => setMaxSeverity(Number(e.target.value))}
        >
          <option value={7}>All severities</option>
          {SEVERITY_NAMES.slice(0, 7).map((name, n) => (
            <option key={name} value={n}>
              {n === 0 ? name : `${name} and above`}
            </option>
          ))}
        </select>
        <SearchBox
          id="syslog-search"
          label="Search syslog"
          placeholder="Search syslog"
          value={search}
          onChange={setSearch}
        />
        <button
          type="button"
          className="btn ghost"
          aria-pressed={showTimeline}
          disabled={device === ''}
          title={
            device === ''
              ? 'Choose a device to see its transfers and messages together'
              : "This device's lease, transfers and messages in one timeline"
          }
          onClick={() => setTimeline(!timeline)}
        >
          Timeline
        </button>
        <span className="muted small" data-testid="syslog-count">
          {formatCount(shown.length)} of {formatCount(messages.length)} messages
        </span>
        <div className="toolbar-spacer" />
        <TextActions
          hasShown={rows.length > 0}
          hasAny={messages.length > 0}
          text={asText}
          onExport={() => void exportText()}
          onClear={() =>
            void clearSyslog().then((r) => {
              if (!r.ok) setNotice(r.message);
            })
          }
          notify={setNotice}
        />
      </div>
      <TextNotice notice={notice} />
      <SyslogList
        rows={rows}
        label={showTimeline ? 'Device timeline' : 'Syslog messages'}
        empty={
          messages.length === 0
            ? 'No syslog message yet. Point devices at this machine (e.g. Cisco: "logging host ADDRESS transport udp port PORT").'
            : 'No message matches.'
        }
      />
    </section>
  );
}
