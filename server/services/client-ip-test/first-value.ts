/** A promise and the function that settles it with the first value; `settle` says whether it was the first. */
export function firstValue<T>(): { promise: Promise<T>; settle: (value: T) => boolean } {
  let resolve!: (value: T) => void;
  let settled = false;
  const promise = new Promise<T>((r) => (resolve = r));
  return {
    promise,
    settle(value) {
      if (settled) return false;
      settled = true;
      resolve(value);
      return true;
    },
  };
}
