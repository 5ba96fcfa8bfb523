import { useEffect, useState } from 'react';
import { copyText } from '../lib/clipboard';
import { CheckIcon, CopyIcon } from './Icons';

interface Props {
  text: string;
  /** what is copied, for the accessible name: "Copy SHA-256" */
  label: string;
  showText?: boolean;
}

export function CopyButton({ text, label, showText = false }: Props) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return undefined;
    const timer = setTimeout(() => setCopied(false), 1500);
    return () => clearTimeout(timer);
  }, [copied]);
  return (
    <button
      type="button"
      className={`btn icon-btn${copied ? ' copied' : ''}`}
      aria-label={`Copy ${label}`}
      title={copied ? 'Copied' : `Copy ${label}`}
      onClick={() => void copyText(text).then(setCopied)}
    >
      {copied ? <CheckIcon /> : <CopyIcon />}
      {showText && <span>{copied ? 'Copied' : 'Copy'}</span>}
    </button>
  );
}
