// Which interfaces the server listens on (the `hosts` setting), and which of our addresses the
// device commands use. The list follows the OS live through the `interfaces` push.
import { useState } from 'react';
import type { NetInterface } from '../../shared/ipc-contract';
import { updateSettings } from '../actions';
import { displayText } from '../lib/display-text';
import { useServerStore } from '../store/server-store';
import { useSettingsStore } from '../store/settings-store';
import {
  ALL_INTERFACES,
  addressOptions,
  hostsForInterface,
  listenChoice,
  preferredAddresses,
  resolveCommandAddress,
  useInterfacesStore,
} from '../store/interfaces-store';
import { CopyButton } from './CopyButton';
import { NetworkIcon } from './Icons';

/** A stable empty list: a selector returning a fresh [] would re-render forever. */
const NO_HOSTS: readonly string[] = [];

function InterfaceOption({
  iface,
  checked,
  onPick,
}: {
  iface: NetInterface;
  checked: boolean;
  onPick: () => void;
}) {
  const id = `iface-${iface.name.replace(/[^\w-]/g, '_')}`;
  const bindable = hostsForInterface(iface).length > 0;
  return (
    <label className={`iface${checked ? ' checked' : ''}`} htmlFor={id}>
      <input type="radio" name="listen-on" id={id} checked={checked} disabled={!bindable} onChange={onPick} />
      <span className="iface-body">
        <span className="iface-head">
          <span className="iface-name">{displayText(iface.name, 64)}</span>
          <span className={`pill ${iface.up ? 'ok' : 'muted'}`}>{iface.up ? 'up' : 'down'}</span>
          {iface.isDefault && <span className="pill accent">default route</span>}
          {iface.internal && <span className="pill muted">loopback</span>}
        </span>
        {iface.addresses.map((a) => (
          <span key={a.address} className="iface-addr mono">
            {a.address}/{a.prefix}
          </span>
        ))}
      </span>
    </label>
  );
}

export function InterfacePanel() {
  const interfaces = useInterfacesStore((s) => s.interfaces);
  const picked = useInterfacesStore((s) => s.commandAddress);
  const hosts = useSettingsStore((s) => s.settings?.hosts ?? NO_HOSTS);
  const listening = useServerStore((s) => s.server.state === 'listening');
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  // The pick shows at once; the saved settings take over when the server has answered.
  const [pending, setPending] = useState<string | null>(null);
  const choice = pending ?? listenChoice(interfaces, hosts);
  // best first, so the list reads like the choice made for the user
  const options = preferredAddresses(addressOptions(interfaces, hosts), interfaces);
  const commandAddress = resolveCommandAddress(interfaces, hosts, picked);

  const pick = async (name: string, next: string[]) => {
    setPending(name);
    const result = await updateSettings({ hosts: next });
    setPending(null);
    if (!result.ok) {
      const text =
        result.errors.hosts ?? ('message' in result ? result.message : 'Could not change the interface.');
      setMessage({ text, error: true });
    } else {
      setMessage(
        listening ? { text: 'Stop and start the server to listen on the new choice.', error: false } : null,
      );
    }
  };

  return (
    <section className="panel" aria-labelledby="iface-title">
      <h2 id="iface-title">
        <NetworkIcon /> Interface
      </h2>
      <fieldset className="iface-list">
        <legend className="visually-hidden">Listen on</legend>
        <label className={`iface${choice === ALL_INTERFACES ? ' checked' : ''}`} htmlFor="iface-all">
          <input
            type="radio"
            name="listen-on"
            id="iface-all"
            checked={choice === ALL_INTERFACES}
            onChange={() => void pick(ALL_INTERFACES, [])}
          />
          <span className="iface-body">
            <span className="iface-head">
              <span className="iface-name">All interfaces</span>
            </span>
            <span className="hint">Every local address, following the OS as interfaces come and go.</span>
          </span>
        </label>
        {interfaces.map((iface) => (
          <InterfaceOption
            key={iface.name}
            iface={iface}
            checked={choice === iface.name}
            onPick={() => void pick(iface.name, hostsForInterface(iface))}
          />
        ))}
        {choice === null && <p className="hint">Listening on: {hosts.join(', ')} (set in Settings)</p>}
      </fieldset>
      {message !== null && (
        <p className={message.error ? 'field-error' : 'hint'} role={message.error ? 'alert' : 'status'}>
          {displayText(message.text, 300)}
        </p>
      )}
      <div className="field">
        <label htmlFor="command-address">Address the device uses</label>
        <div className="inline-form">
          <select
            id="command-address"
            className="mono"
            value={commandAddress?.address ?? ''}
            onChange={(e) => useInterfacesStore.setState({ commandAddress: e.target.value })}
          >
            {options.map((o) => (
              <option key={`${o.interface}-${o.address}`} value={o.address}>
                {o.address}
                {o.interface !== '' ? ` (${o.interface})` : ''}
              </option>
            ))}
          </select>
          {commandAddress !== undefined && (
            <CopyButton text={commandAddress.address} label="server address" />
          )}
        </div>
      </div>
    </section>
  );
}
