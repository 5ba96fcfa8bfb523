// Subscribers per pushed event channel, one set for each channel the contract lists
// (EVENT_CHANNELS): the app controller keeps the hosts' subscriptions in one, the browser bridge
// the page's. A channel added to the contract has its set here without another edit.
import { EVENT_CHANNELS, isEventChannel, type EventChannel, type EventChannels } from './ipc-contract.js';

export type EventListener<K extends EventChannel> = (payload: EventChannels[K]) => void;

export interface EventHub {
  /** throws for a name the contract does not list (the page can pass anything) */
  on<K extends EventChannel>(channel: K, listener: EventListener<K>): () => void;
  /** a name the contract does not list reaches nobody */
  emit<K extends EventChannel>(channel: K, payload: EventChannels[K]): void;
  clear(): void;
}

/** `onListenerError` hears what a subscriber threw; by default it is dropped. */
export function createEventHub(onListenerError: (error: unknown) => void = () => undefined): EventHub {
  const sets = new Map<EventChannel, Set<(payload: unknown) => void>>(
    EVENT_CHANNELS.map((channel) => [channel, new Set()]),
  );
  return {
    on(channel, listener) {
      const set = isEventChannel(channel) ? sets.get(channel) : undefined;
      if (set === undefined) throw new Error(`Unknown event channel: ${String(channel)}`);
      if (typeof listener !== 'function') throw new Error('The listener must be a function.');
      const wrapped = listener as (payload: unknown) => void;
      set.add(wrapped);
      return () => void set.delete(wrapped);
    },
    emit(channel, payload) {
      const set = sets.get(channel);
      if (set === undefined) return;
      for (const listener of [...set]) {
        try {
          listener(payload);
        } catch (error) {
          // one broken subscriber (a closed window, a view that threw) must not stop the others
          onListenerError(error);
        }
      }
    },
    clear() {
      for (const set of sets.values()) set.clear();
    },
  };
}
