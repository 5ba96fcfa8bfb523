// What the name mapping panel and the request inspector ask of the server: save the rules (the
// app parses them with the engine's parser and hands them to the running server) and try a sample
// name. Components reach these through renderer/actions.ts, which re-exports them and hands over
// the bridge.
import type { NameMapProbe, NameMapProbeResult, NameMapRuleError } from '../shared/name-map-contract';
import type { RendererBridge } from './bridge';
import { useSettingsStore } from './store/settings-store';

let bridge: RendererBridge | undefined;

function mapBridge(): RendererBridge {
  if (bridge === undefined) throw new Error('The UI is not connected to a server yet.');
  return bridge;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function connectNameMap(b: RendererBridge): void {
  bridge = b;
}

/** Saves the rules in order: no errors once saved (the settings store then holds them), else why not. */
export async function saveNameMap(lines: string[]): Promise<NameMapRuleError[]> {
  try {
    const result = await mapBridge().setNameMap(lines);
    if (!result.ok) return result.errors;
    useSettingsStore.setState({ settings: result.settings });
    return [];
  } catch (error) {
    return [{ index: -1, message: messageOf(error) }];
  }
}

export async function testNameMap(probe: NameMapProbe): Promise<NameMapProbeResult> {
  try {
    return await mapBridge().testNameMap(probe);
  } catch (error) {
    return { ok: false, errors: [{ index: -1, message: messageOf(error) }] };
  }
}
