/** Counting the buffers code allocates outside Node's pool (`Buffer.allocUnsafeSlow`), for tests of buffer reuse. */

/** Runs `body` with every `Buffer.allocUnsafeSlow` call counted; the count is read through `allocations()` while it runs and after. */
export const countingSlowAllocations = async <T>(body: (allocations: () => number) => T | Promise<T>): Promise<T> => {
  const allocUnsafeSlow = Object.getOwnPropertyDescriptor(Buffer, "allocUnsafeSlow")?.value as typeof Buffer.allocUnsafeSlow;
  let allocated = 0;
  Buffer.allocUnsafeSlow = (size: number) => {
    allocated += 1;
    return allocUnsafeSlow.call(Buffer, size);
  };
  try {
    return await body(() => allocated);
  } finally {
    Buffer.allocUnsafeSlow = allocUnsafeSlow;
  }
};
