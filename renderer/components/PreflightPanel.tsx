// "Can the device reach us?": pick a recovery recipe or type the addresses, choose the interface
// the device is cabled to, and run every check; the results say what is in the way and the fix.
import { useEffect, useRef } from 'react';
import { RECOVERY_RECIPES } from '../../shared/preflight';
import { closePreflight, runPreflight } from '../actions';
import { displayText } from '../lib/display-text';
import { applyRecipe, recipeById, type PreflightForm } from '../lib/preflight';
import { useInterfacesStore } from '../store/interfaces-store';
import { usePreflightStore } from '../store/preflight-store';
import { useSettingsStore } from '../store/settings-store';
import { NetworkIcon } from './Icons';
import { PreflightResults } from './PreflightResults';

function setForm(patch: Partial<PreflightForm>): void {
  usePreflightStore.setState((s) => ({ form: { ...s.form, ...patch } }));
}

export function PreflightPanel() {
  const form = usePreflightStore((s) => s.form);
  const running = usePreflightStore((s) => s.running);
  const report = usePreflightStore((s) => s.report);
  const error = usePreflightStore((s) => s.error);
  const interfaces = useInterfacesStore((s) => s.interfaces);
  const port = useSettingsStore((s) => s.settings?.port);
  const recipe = recipeById(form.recipe);
  // opened from a button elsewhere (the server bar, the transfers view): bring the keyboard here
  const first = useRef<HTMLSelectElement>(null);
  useEffect(() => {
    first.current?.focus();
    first.current?.scrollIntoView?.({ block: 'nearest' });
  }, []);
  return (
    <section className="panel preflight" aria-labelledby="preflight-title">
      <div className="panel-head">
        <h2 id="preflight-title">
          <NetworkIcon /> Can the device reach us?
        </h2>
        <button type="button" className="btn small ghost" onClick={closePreflight}>
          Close
        </button>
      </div>
      <form
        className="preflight-form"
        onSubmit={(e) => {
          e.preventDefault();
          void runPreflight();
        }}
      >
        <div className="field">
          <label htmlFor="preflight-recipe">Recovery recipe</label>
          <select
            ref={first}
            id="preflight-recipe"
            value={form.recipe}
            onChange={(e) =>
              usePreflightStore.setState((s) => ({ form: applyRecipe(s.form, e.target.value) }))
            }
          >
            <option value="">Type the addresses myself</option>
            {RECOVERY_RECIPES.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
          </select>
          {recipe !== undefined && (
            <p className="hint" data-testid="preflight-recipe-source">
              {recipe.direction === 'push'
                ? 'In this mode the device is the TFTP server: send the file from the "Send to device" tab. '
                : ''}
              {recipe.fileName !== undefined ? `It asks for ${recipe.fileName}. ` : ''}
              Source: {recipe.source}
            </p>
          )}
        </div>
        <div className="field-pair">
          <div className="field">
            <label htmlFor="preflight-server">Server address the device expects</label>
            <input
              id="preflight-server"
              className="mono"
              placeholder="e.g. 192.168.0.66"
              value={form.serverAddress}
              spellCheck={false}
              onChange={(e) => setForm({ serverAddress: e.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor="preflight-device">Device address</label>
            <input
              id="preflight-device"
              className="mono"
              placeholder="e.g. 192.168.0.86"
              value={form.deviceAddress}
              spellCheck={false}
              onChange={(e) => setForm({ deviceAddress: e.target.value })}
            />
          </div>
        </div>
        <div className="field-pair">
          <div className="field">
            <label htmlFor="preflight-iface">Interface the device is cabled to</label>
            <select
              id="preflight-iface"
              value={form.iface}
              onChange={(e) => setForm({ iface: e.target.value })}
            >
              <option value="">Not sure</option>
              {interfaces.map((i) => (
                <option key={i.name} value={i.name}>
                  {displayText(i.name, 64)}
                  {i.addresses.length > 0 ? ` (${i.addresses.map((a) => a.address).join(', ')})` : ''}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="preflight-port">UDP port</label>
            <input
              id="preflight-port"
              inputMode="numeric"
              placeholder={port !== undefined ? String(port) : '69'}
              value={form.port}
              onChange={(e) => setForm({ port: e.target.value })}
            />
          </div>
        </div>
        <div className="preflight-actions">
          <button type="submit" className="btn primary" disabled={running}>
            {running ? 'Checking…' : 'Check reachability'}
          </button>
          {error !== null && (
            <span className="field-error" role="alert">
              {displayText(error, 300)}
            </span>
          )}
        </div>
      </form>
      {report !== null && <PreflightResults report={report} />}
    </section>
  );
}
