// A fixed-capacity ring of the newest messages: memory stays bounded however long the receiver
// runs and however hard a device floods it.

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
  let items: (T | undefined)[] = [];
  let start = 0;
  return {
    push(item) {
      if (items.length < capacity) {
        items.push(item);
      } else {
        items[start] = item;
        start = (start + 1) % capacity;
      }
    },
    toArray() {
      return [...items.slice(start), ...items.slice(0, start)] as T[];
    },
    get size() {
      return items.length;
    },
    capacity,
    clear() {
      items = [];
      start = 0;
    },
  };
}
