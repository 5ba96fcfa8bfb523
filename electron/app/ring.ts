// A fixed-capacity ring: the batcher keeps the newest log lines of a flood, never more than it can send.

export interface Ring<T> {
  push(item: T): void;
  /** oldest first */
  toArray(): T[];
  readonly size: number;
  readonly capacity: number;
  clear(): void;
}

export function createRing<T>(capacity: number): Ring<T> {
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('Ring capacity must be at least 1.');
  let items: (T | undefined)[] = new Array<T | undefined>(capacity);
  let start = 0;
  let size = 0;
  return {
    push(item) {
      if (size < capacity) {
        items[(start + size) % capacity] = item;
        size++;
      } else {
        items[start] = item;
        start = (start + 1) % capacity;
      }
    },
    toArray() {
      const out: T[] = [];
      for (let i = 0; i < size; i++) out.push(items[(start + i) % capacity] as T);
      return out;
    },
    get size() {
      return size;
    },
    capacity,
    clear() {
      items = new Array<T | undefined>(capacity);
      start = 0;
      size = 0;
    },
  };
}
