/* The self-check's memory snapshot as a delta: only the memory pages that differ from the memory
   a fresh Pyodide instance has when its file system is set up (the wasm's own data, which the
   browser has just instantiated anyway). Made at build time by generator/make_snapshot.mjs and
   read by the self-check worker, with this one module, so the two cannot disagree.

   Layout (little-endian u32 unless said):
     "SCD1"  magic            pageSize      fullLength (Pyodide's snapshot: header + memory)
     headerLength             runs (n)      n × (first page, page count)
     the snapshot's header (headerLength bytes, as Pyodide wrote it: build id, JS state)
     the runs' pages, in order (the last page of memory may be short)
   Pyodide checks its build id in the header when restoring, so a delta made for another
   pyodide.asm.wasm (whose fresh memory would differ) is refused there. */

const MAGIC = 0x31444353; // "SCD1"
const FIXED = 20;

/** The delta of ``full`` (Pyodide's snapshot: ``headerLength`` bytes, then memory) against
    ``base`` (the memory of a fresh instance restoring it, when its file system is set up). */
export function encodeDelta(full, headerLength, base, pageSize = 4096) {
  const memory = full.subarray(headerLength);
  const runs = [];
  for (let page = 0; page * pageSize < memory.length; page += 1) {
    const start = page * pageSize;
    const end = Math.min(start + pageSize, memory.length);
    if (samePage(memory, base, start, end)) continue;
    const last = runs[runs.length - 1];
    if (last && last[0] + last[1] === page) last[1] += 1;
    else runs.push([page, 1]);
  }
  const pages = runs.reduce((sum, [first, count]) => sum + Math.min(count * pageSize, memory.length - first * pageSize), 0);
  const out = new Uint8Array(FIXED + 8 * runs.length + headerLength + pages);
  const view = new DataView(out.buffer);
  [MAGIC, pageSize, full.length, headerLength, runs.length].forEach((value, index) => view.setUint32(4 * index, value, true));
  runs.forEach(([first, count], index) => {
    view.setUint32(FIXED + 8 * index, first, true);
    view.setUint32(FIXED + 8 * index + 4, count, true);
  });
  let at = FIXED + 8 * runs.length;
  out.set(full.subarray(0, headerLength), at);
  at += headerLength;
  for (const [first, count] of runs) {
    const chunk = memory.subarray(first * pageSize, Math.min((first + count) * pageSize, memory.length));
    out.set(chunk, at);
    at += chunk.length;
  }
  return { delta: out, runs: runs.length, pages: runs.reduce((sum, run) => sum + run[1], 0) };
}

function samePage(memory, base, start, end) {
  if (end > base.length) return false;
  for (let index = start; index < end; index += 1) if (memory[index] !== base[index]) return false;
  return true;
}

/** Read a delta: ``snapshot`` is the buffer to hand Pyodide as ``_loadSnapshot`` (its size and
    header already right), and ``fill(memory)``, called with the fresh instance's memory before
    Pyodide restores, writes the rest of it. Throws on anything but an intact delta. */
export function decodeDelta(bytes) {
  const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  if (data.length < FIXED) throw new Error("the snapshot is cut short");
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const [magic, pageSize, fullLength, headerLength, count] = [0, 1, 2, 3, 4].map((i) => view.getUint32(4 * i, true));
  if (magic !== MAGIC) throw new Error("the snapshot is not in the expected format");
  const memoryLength = fullLength - headerLength;
  let at = FIXED + 8 * count;
  if (pageSize === 0 || headerLength > fullLength || at + headerLength > data.length) {
    throw new Error("the snapshot is damaged or cut short");
  }
  const runs = [];
  let pages = at + headerLength;
  for (let index = 0; index < count; index += 1) {
    const first = view.getUint32(FIXED + 8 * index, true);
    const length = Math.min(view.getUint32(FIXED + 8 * index + 4, true) * pageSize, memoryLength - first * pageSize);
    if (length <= 0) throw new Error("the snapshot is damaged");
    runs.push([first * pageSize, pages, length]);
    pages += length;
  }
  if (pages !== data.length) throw new Error("the snapshot is damaged or cut short");
  const snapshot = new Uint8Array(fullLength);
  snapshot.set(data.subarray(at, at + headerLength));
  const memory = snapshot.subarray(headerLength);
  return {
    snapshot,
    fill(fresh) {
      const base = new Uint8Array(fresh.buffer, 0, Math.min(fresh.buffer.byteLength, memoryLength));
      memory.set(base);
      for (const [offset, from, length] of runs) memory.set(data.subarray(from, from + length), offset);
    },
  };
}

/** Keep the memory of the next WebAssembly instance made (Pyodide's; it exports its memory)
    until ``stop()``; ``fill`` needs it when Pyodide's file system is set up. */
export function watchMemory() {
  const original = { instantiate: WebAssembly.instantiate, instantiateStreaming: WebAssembly.instantiateStreaming };
  let memory = null;
  const seen = (result) => {
    const instance = result instanceof WebAssembly.Instance ? result : result && result.instance;
    const exported = instance && instance.exports.memory;
    if (!memory && exported instanceof WebAssembly.Memory) memory = exported;
    return result;
  };
  WebAssembly.instantiate = (...args) => original.instantiate.apply(WebAssembly, args).then(seen);
  if (original.instantiateStreaming) {
    WebAssembly.instantiateStreaming = (...args) => original.instantiateStreaming.apply(WebAssembly, args).then(seen);
  }
  return {
    get memory() {
      return memory;
    },
    stop() {
      WebAssembly.instantiate = original.instantiate;
      if (original.instantiateStreaming) WebAssembly.instantiateStreaming = original.instantiateStreaming;
    },
  };
}

/** Pyodide's options to restore from a delta: ``delta`` is its bytes or a promise of them. */
export function restoreOptions(delta, watcher) {
  const decoded = Promise.resolve(delta).then(decodeDelta);
  const snapshot = decoded.then((read) => read.snapshot);
  // Pyodide awaits these later; a rejection meanwhile is reported by loadPyodide, not unhandled.
  decoded.catch(() => {});
  snapshot.catch(() => {});
  return {
    _loadSnapshot: snapshot,
    fsInit: async () => {
      const read = await decoded;
      if (!watcher.memory) throw new Error("the fresh memory was not seen");
      read.fill(watcher.memory);
    },
  };
}
