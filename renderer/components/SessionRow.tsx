// One live transfer. Memoised: a batch only re-renders the rows whose session changed.
import { ProgressBar } from './ProgressBar';
import { memo } from 'react';
import { displayText } from '../lib/display-text';
import { etaMs, formatBytes, formatDuration, formatRate, progressFraction } from '../lib/format';
import { clientTag, directionText, sessionStateText } from '../lib/session-text';
import { detailRowProps } from '../store/detail-store';
import type { SessionView } from '../store/sessions-store';
import { DownIcon, UpIcon } from './Icons';
import { ProfileBadge } from './ProfileBadge';

interface Props {
  session: SessionView;
  /** offset in the virtual list */
  top: number;
  index: number;
}

export const SessionRow = memo(function SessionRow({ session, top, index }: Props) {
  const { started, bytes, rate, retransmits } = session;
  const total = started.size ?? started.options.tsize;
  const fraction = progressFraction(bytes, total);
  const eta = etaMs(bytes, total, rate);
  const file = displayText(started.file, 300);
  const state = sessionStateText(session);
  const tag = clientTag(started);
  const local = started.localPath === undefined ? '' : ` (${displayText(started.localPath, 300)})`;
  return (
    <div
      className="row"
      role="row"
      aria-rowindex={index + 2}
      data-session={started.id}
      data-role={started.role ?? 'server'}
      style={{ transform: `translateY(${top}px)` }}
      {...detailRowProps(started.id)}
    >
      <span role="cell" className="mono peer" title={started.peer}>
        {started.peer}
      </span>
      <span role="cell" className="mono file" title={`${file}${local}`}>
        {tag !== undefined && <span className="pill accent role-tag">{tag}</span>}
        <span className="file-name">{file}</span>
        <ProfileBadge id={started.profile} />
      </span>
      <span role="cell" className={`dir ${started.direction}`} title={directionText(started)}>
        {started.direction === 'download' ? <DownIcon /> : <UpIcon />}
        <span className="visually-hidden">{directionText(started)}</span>
      </span>
      <span role="cell" className="progress-cell">
        <ProgressBar fraction={fraction} label={`Progress of ${file}`} />
        <span className="bytes">
          {formatBytes(bytes)}
          {total !== undefined && ` of ${formatBytes(total)}`}
          {fraction !== undefined && <span className="muted"> · {Math.floor(fraction * 100)}%</span>}
        </span>
      </span>
      <span role="cell" className="num">
        {formatRate(rate)}
      </span>
      <span role="cell" className="num">
        {eta === undefined ? '—' : formatDuration(eta)}
      </span>
      <span role="cell" className="num mono small" title="Negotiated block size / window size">
        {started.options.blksize} / {started.options.windowsize}
      </span>
      <span role="cell" className={`num${retransmits > 0 ? ' warn-text' : ''}`}>
        {retransmits}
      </span>
      <span role="cell">
        <span className={`pill ${session.retrying ? 'warn' : 'accent'}`}>{state}</span>
      </span>
    </div>
  );
});
