// The mapping tester: type a name as a device would send it and see which rule matches, what it
// becomes, and what the server would answer: the file inside the served folder, not found, or
// refused by the same path check every request passes. The rules tried are the saved ones plus
// the new rule being typed, so a rule can be tried before it is added (and is checked as typed).
import { useEffect, useState } from 'react';
import type { NameMapProbeResult } from '../../shared/name-map-contract';
import { testNameMap } from '../actions';
import { describeProbe } from '../lib/name-map-rules';

const DEBOUNCE_MS = 150;

export function NameMapTester({ lines, draft }: { lines: readonly string[]; draft: string }) {
  const [sample, setSample] = useState('');
  const [address, setAddress] = useState('');
  const [kind, setKind] = useState<'rrq' | 'wrq'>('rrq');
  // the answer for the inputs it was asked with: a stale one (inputs changed since) is not shown
  const [answer, setAnswer] = useState<{ key: string; result: NameMapProbeResult } | null>(null);
  const rules = draft.trim() === '' ? [...lines] : [...lines, draft];
  const key = JSON.stringify([sample, address, kind, rules]);
  const idle = sample === '' && rules.length === lines.length;

  useEffect(() => {
    if (idle) return;
    const [name, addr, asKind, tried] = JSON.parse(key) as [string, string, 'rrq' | 'wrq', string[]];
    let current = true;
    const timer = setTimeout(() => {
      // With no sample yet, a name still runs so the new rule is checked as it is typed.
      void testNameMap({
        name: name === '' ? 'x' : name,
        rules: tried,
        ...(addr !== '' ? { address: addr } : {}),
        ...(asKind === 'wrq' ? { kind: asKind } : {}),
      }).then((result) => {
        if (current) setAnswer({ key, result });
      });
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [key, idle]);

  const result = !idle && answer?.key === key ? answer.result : null;
  const shown = result !== null && (result.ok === false || sample !== '') ? result : null;
  const text = shown?.ok === true ? describeProbe(shown) : null;
  return (
    <div className="rule-tester" role="group" aria-labelledby="rule-tester-title">
      <h3 id="rule-tester-title">Try a name</h3>
      <div className="tester-inputs">
        <label htmlFor="rule-sample">Name as the device sends it</label>
        <input
          id="rule-sample"
          className="mono"
          value={sample}
          spellCheck={false}
          placeholder="C0A80102.img"
          onChange={(e) => setSample(e.target.value)}
        />
        <label htmlFor="rule-address">Client address</label>
        <input
          id="rule-address"
          className="mono"
          value={address}
          spellCheck={false}
          placeholder="127.0.0.1"
          onChange={(e) => setAddress(e.target.value)}
        />
        <label htmlFor="rule-kind">Request</label>
        <select id="rule-kind" value={kind} onChange={(e) => setKind(e.target.value as 'rrq' | 'wrq')}>
          <option value="rrq">a read (RRQ)</option>
          <option value="wrq">an upload (WRQ)</option>
        </select>
      </div>
      {shown?.ok === false && (
        <p className="field-error" role="alert" data-testid="tester-error">
          {shown.errors
            .map((e) =>
              e.index === lines.length
                ? `New rule: ${e.message}`
                : e.index >= 0
                  ? `Rule ${e.index + 1}: ${e.message}`
                  : e.message,
            )
            .join(' ')}
        </p>
      )}
      {text !== null && (
        <div className={`tester-result ${text.tone}`} role="status" data-testid="tester-result">
          <p className="mono small">{text.matched}</p>
          <p>{text.outcome}</p>
        </div>
      )}
    </div>
  );
}
