import { ArrayStub, type DtypeStub, fromBuffer, makeDtype, makeScalar } from './numpy.js';
import { PickleError, type PickleValue } from './values.js';

/**
 * The only globals a pickle may name, and what "calling" each means here: rebuilding its result
 * from the arguments' bytes, never running anything.
 */

type Allowed = 'reconstruct' | 'ndarray' | 'dtype' | 'scalar' | 'frombuffer' | 'encode' | 'bytes';

/** A resolved allowlisted global: a name, never a function. */
export class GlobalRef {
  constructor(readonly which: Allowed) {}
}

const ALLOWED: ReadonlyMap<string, Allowed> = new Map([
  ['numpy.core.multiarray\n_reconstruct', 'reconstruct'],
  ['numpy._core.multiarray\n_reconstruct', 'reconstruct'],
  ['numpy.core.multiarray\nscalar', 'scalar'],
  ['numpy._core.multiarray\nscalar', 'scalar'],
  ['numpy.core.numeric\n_frombuffer', 'frombuffer'],
  ['numpy._core.numeric\n_frombuffer', 'frombuffer'],
  ['numpy\nndarray', 'ndarray'],
  ['numpy\ndtype', 'dtype'],
  ['_codecs\nencode', 'encode'],
  ['__builtin__\nbytes', 'bytes'],
  ['builtins\nbytes', 'bytes'],
]);

export type GlobalArg = PickleValue | DtypeStub | GlobalRef;
export type GlobalResult = PickleValue | DtypeStub | ArrayStub;

const malformed = (m: string): PickleError => new PickleError('malformed', m);
const refused = (m: string): PickleError => new PickleError('refused', m);

/** Refused at once unless allowlisted: the GLOBAL/STACK_GLOBAL opcodes call this. */
export function resolveGlobal(module: string, name: string): GlobalRef {
  const which = ALLOWED.get(`${module}\n${name}`);
  if (!which) {
    throw refused(
      `the pickle asks for ${module}.${name}; only numpy arrays and plain data are read`,
    );
  }
  return new GlobalRef(which);
}

/** REDUCE on an allowlisted global. */
export function callGlobal(fn: GlobalRef, args: readonly GlobalArg[]): GlobalResult {
  switch (fn.which) {
    case 'reconstruct': {
      if (!(args[0] instanceof GlobalRef) || args[0].which !== 'ndarray') {
        throw refused('_reconstruct may only build numpy.ndarray');
      }
      return new ArrayStub();
    }
    case 'dtype':
      return makeDtype(args as PickleValue[]);
    case 'scalar':
      return makeScalar(args as (PickleValue | DtypeStub)[]);
    case 'frombuffer':
      return fromBuffer(args as (PickleValue | DtypeStub)[]);
    case 'encode': {
      // Protocol 2 writes bytes as _codecs.encode(latin-1 text, 'latin1').
      const [s, enc] = args;
      if (typeof s !== 'string' || (enc !== 'latin1' && enc !== 'latin-1')) {
        throw refused('_codecs.encode is read only as protocol 2 writes bytes');
      }
      const out = new Uint8Array(s.length);
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c > 255) throw malformed('latin-1 bytes hold a wide character');
        out[i] = c;
      }
      return out;
    }
    case 'bytes':
      if (args.length !== 0) throw refused('bytes(...) is read only without arguments');
      return new Uint8Array(0);
    case 'ndarray':
      throw refused('numpy.ndarray may only be built through _reconstruct');
  }
}
