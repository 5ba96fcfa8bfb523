// One transfer's whole story in a side drawer: the request as the client sent it, the OACK as we
// sent it, the mapping or profile applied, throughput over time, and the result. It follows the
// session by id from the live table into history. Everything from the network is escaped text.
import { findProfile } from '../../shared/device-profiles';
import { useEffect, useRef } from 'react';
import type { SessionStartedEvent } from '../../shared/events';
import type { HistoryEntry } from '../../shared/ipc-contract';
import type { OptionAsSent } from '../../shared/tftp-types';
import { TFTP_CLIENT_NAMES } from '../../shared/tftp-types';
import { displayText } from '../lib/display-text';
import { deviceOf } from '../lib/profile-for-device';
import { formatBytes, formatClock, formatDuration, formatRate } from '../lib/format';
import { directionText, failureReason, historyNumbers, FILE_CHANGED_TITLE } from '../lib/session-text';
import { closeTransferDetail, useDetailStore } from '../store/detail-store';
import { useSessionsStore, type SessionView } from '../store/sessions-store';
import { CopyButton } from './CopyButton';
import { DeviceProfileAction } from './DeviceProfileAction';
import { ThroughputChart } from './ThroughputChart';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function Options({ list, label }: { list: readonly OptionAsSent[]; label: string }) {
  return (
    <ol className="option-list" aria-label={label}>
      {list.map((o, i) => (
        <li key={i}>
          <code>{displayText(o.name, 64)}</code> = <code>{displayText(o.value, 64)}</code>
        </li>
      ))}
    </ol>
  );
}

function RequestSection({ started }: { started: SessionStartedEvent }) {
  const r = started.request;
  if (r === undefined) {
    // A transfer without the request record (our own client's): what was negotiated is all there is.
    const o = started.options;
    return (
      <section aria-labelledby="detail-request">
        <h3 id="detail-request">Request</h3>
        <p className="mono">
          {displayText(started.file, 300)} · {started.mode} · blksize {o.blksize}, windowsize {o.windowsize},
          timeout {o.timeout}
        </p>
      </section>
    );
  }
  const guess = r.client.confidence === 'guess' ? ' (a guess)' : ' (likely)';
  return (
    <section aria-labelledby="detail-request">
      <h3 id="detail-request">Request as sent</h3>
      <dl className="detail-facts">
        <dt>Name</dt>
        <dd className="mono" data-testid="detail-name">
          {displayText(r.name, 1024)}
        </dd>
        <dt>Mode</dt>
        <dd className="mono">{displayText(r.mode, 32)}</dd>
        <dt>Options</dt>
        <dd>{r.options.length === 0 ? 'none' : <Options list={r.options} label="Options as sent" />}</dd>
        <dt>Client</dt>
        <dd title={r.client.reasons.join('; ')}>
          {TFTP_CLIENT_NAMES[r.client.client]}
          {r.client.client === 'unknown' ? '' : guess}
        </dd>
      </dl>
    </section>
  );
}

function OackSection({ started, refused }: { started: SessionStartedEvent; refused: boolean }) {
  return (
    <section aria-labelledby="detail-oack">
      <h3 id="detail-oack">OACK as sent</h3>
      {started.oack !== undefined ? (
        <Options list={started.oack} label="OACK options" />
      ) : (
        <p className="muted">
          {refused
            ? 'No OACK sent: the request was refused.'
            : 'No OACK sent: the transfer ran with plain RFC 1350 values (512-byte blocks, one block per window).'}
        </p>
      )}
    </section>
  );
}

function AppliedSection({ started }: { started: SessionStartedEvent }) {
  const mapped = started.request?.mapped;
  const profile = started.profile;
  const device = deviceOf(started);
  return (
    <section aria-labelledby="detail-applied">
      <h3 id="detail-applied">Mapping and profile</h3>
      {mapped === undefined && profile === undefined && (
        <p className="muted">None: the name was served as asked, with the server&apos;s settings.</p>
      )}
      {mapped !== undefined && (
        <p>
          Mapped to <code>{displayText(mapped.to, 300)}</code> by rule{' '}
          <code>{displayText(mapped.rule, 300)}</code>
        </p>
      )}
      {profile !== undefined && (
        <p>
          Device profile <strong>{findProfile(profile)?.name ?? displayText(profile, 100)}</strong>
          {findProfile(profile) && <>: {findProfile(profile)?.reason}</>}
        </p>
      )}
      {device !== undefined && <DeviceProfileAction device={device} />}
    </section>
  );
}

function ResultSection({ live, entry }: { live?: SessionView; entry?: HistoryEntry }) {
  let body: React.ReactNode;
  if (entry === undefined) {
    const total = live?.started.size ?? live?.started.options.tsize;
    body = (
      <p>
        In progress: {formatBytes(live?.bytes ?? 0)}
        {total !== undefined && ` of ${formatBytes(total)}`} · {formatRate(live?.rate ?? 0)} ·{' '}
        {plural(live?.retransmits ?? 0, 'resend')}
      </p>
    );
  } else {
    const n = historyNumbers(entry);
    const reason = failureReason(entry);
    body = (
      <>
        <p>
          <span className={`pill ${n.ok ? 'ok' : 'error'}`}>{n.ok ? 'Done' : 'Failed'}</span>{' '}
          {formatBytes(n.bytes)} in {formatDuration(n.durationMs)} · {formatRate(n.averageRate)} average
          {entry.end.type === 'session-finished' && ` · ${plural(entry.end.stats.retransmits, 'resend')}`} ·
          ended {formatClock(entry.end.time)}
        </p>
        {n.fileChanged === true && (
          <p className="error-text" data-testid="detail-file-changed">
            File changed during transfer: {FILE_CHANGED_TITLE}
          </p>
        )}
        {n.sha256 !== undefined && n.sha256 !== '' && (
          <p className="sha-line">
            SHA-256{' '}
            <code className="mono small" data-testid="detail-sha256">
              {n.sha256}
            </code>
            <CopyButton text={n.sha256} label="SHA-256" />
          </p>
        )}
        {reason !== undefined && <p className="error-text">{displayText(reason, 400)}</p>}
        {entry.end.type === 'session-failed' && entry.end.reason !== undefined && (
          <p>Why: {displayText(entry.end.reason, 200)}</p>
        )}
      </>
    );
  }
  return (
    <section aria-labelledby="detail-result">
      <h3 id="detail-result">Result</h3>
      {body}
    </section>
  );
}

function Story({ id }: { id: string }) {
  const live = useSessionsStore((s) => s.live[id]);
  const entry = useSessionsStore((s) =>
    s.live[id] !== undefined ? undefined : s.history.find((e) => e.end.id === id),
  );
  const started = live?.started ?? entry?.started;
  if (started === undefined) return <p className="muted">This transfer is no longer in the history.</p>;
  return (
    <>
      <p className="detail-sub">
        <span className="mono">{started.peer}</span> · {directionText(started)} of{' '}
        <span className="mono">{displayText(started.file, 300)}</span> · started {formatClock(started.time)}
      </p>
      <RequestSection started={started} />
      <OackSection
        started={started}
        refused={entry?.end.type === 'session-failed' && entry.end.reason !== undefined}
      />
      <AppliedSection started={started} />
      <section aria-labelledby="detail-chart">
        <h3 id="detail-chart">Throughput and resends</h3>
        <ThroughputChart series={live?.series ?? entry?.series} />
      </section>
      <ResultSection live={live} entry={entry} />
    </>
  );
}

export function TransferDetail() {
  const id = useDetailStore((s) => s.id);
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (id === undefined) return undefined;
    // Back to the row that opened it on close (when it is still in view: rows are virtualised).
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    closeRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') closeTransferDetail();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      if (opener?.isConnected === true) opener.focus();
    };
  }, [id]);
  if (id === undefined) return null;
  return (
    <aside
      className="detail-drawer"
      role="dialog"
      aria-labelledby="detail-title"
      data-testid="transfer-detail"
    >
      <div className="panel-head">
        <h2 id="detail-title">Transfer detail</h2>
        <button ref={closeRef} type="button" className="btn ghost" onClick={closeTransferDetail}>
          Close
        </button>
      </div>
      <div className="detail-body">
        <Story id={id} />
      </div>
    </aside>
  );
}
