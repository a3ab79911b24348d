/**
 * State records keyed by names the user chooses (alarm names, Auto Scaling group names, ECS
 * names…). AWS accepts names such as `__proto__`, `constructor` or `toString`; in a plain object
 * record a lookup would find them on Object.prototype and an assignment to `__proto__` would swap
 * the record's prototype. These helpers make every such name a plain own key.
 */

/** Stores `value` under `key` as an own property (never the prototype's setter). */
export function put<T>(rec: Record<string, T>, key: string, value: T): T {
  Object.defineProperty(rec, key, { value, enumerable: true, writable: true, configurable: true });
  return value;
}

/** The record's own value under `key` (never one inherited from Object.prototype). */
export const own = <T>(rec: Record<string, T> | undefined, key: string): T | undefined =>
  rec && Object.prototype.hasOwnProperty.call(rec, key) ? rec[key] : undefined;
