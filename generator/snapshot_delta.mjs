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

/** Read a delta as its bytes arrive, so that Pyodide can make its instance while the rest is on
    the wire: ``push`` each chunk; ``snapshot`` is the buffer to hand Pyodide as ``_loadSnapshot``
    (its size and header right) from the moment the header is in, and the pages are written
    straight into it; ``end()`` once the bytes are done; then ``fill(memory)``, called with the fresh
    instance's memory before Pyodide restores, writes the memory the delta leaves out. Throws on
    anything but an intact delta. */
export class DeltaReader {
  constructor() {
    this.snapshot = null;
    this.waiting = new Uint8Array(0); // bytes before the end of the header
    this.runs = []; // [offset in memory, length], in order
    this.run = 0; // the run being written
    this.written = 0; // bytes of it written
  }

  push(chunk) {
    let bytes = chunk instanceof Uint8Array ? chunk : new Uint8Array(chunk);
    if (!this.snapshot) {
      const joined = new Uint8Array(this.waiting.length + bytes.length);
      joined.set(this.waiting);
      joined.set(bytes, this.waiting.length);
      const rest = this.readHeader(joined);
      if (rest === null) {
        this.waiting = joined;
        return;
      }
      this.waiting = null;
      bytes = rest;
    }
    while (bytes.length) {
      const run = this.runs[this.run];
      if (!run) throw new Error("the snapshot is damaged");
      const count = Math.min(run[1] - this.written, bytes.length);
      this.memory.set(bytes.subarray(0, count), run[0] + this.written);
      bytes = bytes.subarray(count);
      this.written += count;
      if (this.written === run[1]) {
        this.run += 1;
        this.written = 0;
      }
    }
  }

  /** The bytes after the header once it is all in (and the snapshot made), or null before. */
  readHeader(data) {
    if (data.length < FIXED) return null;
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const [magic, pageSize, fullLength, headerLength, count] = [0, 1, 2, 3, 4].map((i) => view.getUint32(4 * i, true));
    if (magic !== MAGIC) throw new Error("the snapshot is not in the expected format");
    if (pageSize === 0 || headerLength > fullLength) throw new Error("the snapshot is damaged");
    const at = FIXED + 8 * count;
    if (data.length < at + headerLength) return null;
    const memoryLength = fullLength - headerLength;
    let end = 0;
    for (let index = 0; index < count; index += 1) {
      const offset = view.getUint32(FIXED + 8 * index, true) * pageSize;
      const length = Math.min(view.getUint32(FIXED + 8 * index + 4, true) * pageSize, memoryLength - offset);
      if (length <= 0 || offset < end) throw new Error("the snapshot is damaged");
      this.runs.push([offset, length]);
      end = offset + length;
    }
    this.snapshot = new Uint8Array(fullLength);
    this.snapshot.set(data.subarray(at, at + headerLength));
    this.memory = this.snapshot.subarray(headerLength);
    return data.subarray(at + headerLength);
  }

  end() {
    if (!this.snapshot || this.run < this.runs.length) throw new Error("the snapshot is cut short");
  }

  fill(fresh) {
    const base = new Uint8Array(fresh.buffer, 0, Math.min(fresh.buffer.byteLength, this.memory.length));
    let from = 0;
    for (const [offset, length] of [...this.runs, [this.memory.length, 0]]) {
      if (offset > from && from < base.length) this.memory.set(base.subarray(from, Math.min(offset, base.length)), from);
      from = offset + length;
    }
  }
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

/** Restoring from a delta: ``options`` for loadPyodide, and ``failure``, a promise rejected if the
    restore cannot go on (the delta not intact, the fresh memory not seen), never settled otherwise.
    ``delta`` is its bytes, a ReadableStream of them, or a promise of either. From a stream, Pyodide
    gets the snapshot's buffer as soon as the header has arrived and makes its instance while the
    rest is on the wire; the memory is filled when all of it has. Pyodide does not hear of an error
    raised in its fsInit hook (it would go on to restore a half-filled memory), so there the hook
    never returns: the half-made instance stays stopped, and the caller, racing loadPyodide against
    ``failure``, learns why. */
export function restoreFromDelta(delta, watcher) {
  const reader = new DeltaReader();
  let headerIn;
  const snapshot = new Promise((resolve, reject) => {
    headerIn = { resolve, reject };
  });
  let fail;
  const failure = new Promise((_, reject) => {
    fail = reject;
  });
  const read = (async () => {
    const source = await delta;
    if (source && typeof source.getReader === "function") {
      const chunks = source.getReader();
      for (;;) {
        let next;
        try {
          next = await chunks.read();
        } catch {
          throw new Error("the snapshot is damaged or cut short");
        }
        if (next.done) break;
        reader.push(next.value);
        if (reader.snapshot) headerIn.resolve(reader.snapshot);
      }
    } else {
      reader.push(source);
    }
    reader.end();
    headerIn.resolve(reader.snapshot);
  })();
  read.catch((error) => {
    headerIn.reject(error);
    fail(error);
  });
  // Awaited later; a rejection meanwhile is reported there, not as unhandled.
  snapshot.catch(() => {});
  failure.catch(() => {});
  const options = {
    _loadSnapshot: snapshot,
    fsInit: async () => {
      try {
        await read;
        if (!watcher.memory) throw new Error("the fresh memory was not seen");
        reader.fill(watcher.memory);
      } catch (error) {
        fail(error);
        return new Promise(() => {});
      }
    },
  };
  return { options, failure };
}
