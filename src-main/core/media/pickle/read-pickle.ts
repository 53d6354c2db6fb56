import { ArrayStub, buildArray, buildDtype, DtypeStub, tupleItems } from './numpy.js';
import { ByteReader, decodeLong } from './byte-reader.js';
import { callGlobal, type GlobalArg, GlobalRef, resolveGlobal } from './globals.js';
import { PickleError, type PickleKey, PickleTuple, type PickleValue } from './values.js';

/**
 * A pickle reader that fails closed. Python's unpickler calls whatever a pickle names; this one
 * knows a handful of globals (numpy's array/dtype/scalar constructors and `_codecs.encode`, which
 * protocol 2 uses for bytes) and rebuilds what they would make from the bytes alone. Any other
 * global, and every opcode that instantiates or calls something else (INST, OBJ, NEWOBJ,
 * NEWOBJ_EX, EXT*, PERSID), is refused when it is read, before anything further happens.
 */

const MARK = Symbol('mark');
type Slot = PickleValue | GlobalRef | DtypeStub | ArrayStub | typeof MARK;

const MAX_DEPTH_ITEMS = 1 << 24;

const malformed = (m: string): PickleError => new PickleError('malformed', m);
const refused = (m: string): PickleError => new PickleError('refused', m);

const OPCODE_NAMES: Readonly<Record<number, string>> = {
  0x69: 'INST',
  0x6f: 'OBJ',
  0x81: 'NEWOBJ',
  0x92: 'NEWOBJ_EX',
  0x82: 'EXT1',
  0x83: 'EXT2',
  0x84: 'EXT4',
  0x50: 'PERSID',
  0x51: 'BINPERSID',
  0x97: 'NEXT_BUFFER',
};

/** Replaces stubs by what they built (arrays) or refuses them where they cannot stand as data. */
function finish(v: Slot): PickleValue {
  if (v instanceof ArrayStub) {
    if (!v.built) throw malformed('an array was never given its data (BUILD missing)');
    return v.built;
  }
  if (v instanceof GlobalRef || v instanceof DtypeStub) {
    throw refused('a bare class or dtype cannot stand as a value here');
  }
  if (v === MARK) throw malformed('a MARK was left on the stack');
  return v;
}

/** Refuses class or dtype references left inside the result (e.g. a tuple holding numpy.ndarray). */
function checked(root: PickleValue): PickleValue {
  const seen = new Set<object>();
  const walk = (v: unknown): void => {
    if (typeof v !== 'object' || v === null || seen.has(v)) return;
    seen.add(v);
    if (v instanceof GlobalRef || v instanceof DtypeStub) {
      throw refused('the pickle holds a class or dtype object, not data');
    }
    if (v instanceof ArrayStub) throw malformed('an array was never given its data');
    if (v instanceof PickleTuple) v.items.forEach(walk);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v instanceof Map) v.forEach(walk);
  };
  walk(root);
  return root;
}

/** Tuples keep references (call arguments need them) but arrays are resolved to their data. */
function tupleOf(items: readonly Slot[]): PickleTuple {
  return new PickleTuple(
    items.map((it) => (it instanceof ArrayStub ? finish(it) : it)) as PickleValue[],
  );
}

export function readPickle(input: Uint8Array): PickleValue {
  const r = new ByteReader(input);
  const stack: Slot[] = [];
  const marks: number[] = [];
  const memo = new Map<number, Slot>();

  const pop = (): Slot => {
    if (stack.length === 0 || (marks.length > 0 && stack.length <= (marks.at(-1) as number))) {
      throw malformed('stack underflow');
    }
    return stack.pop() as Slot;
  };
  const top = (): Slot => {
    if (stack.length === 0) throw malformed('stack underflow');
    return stack[stack.length - 1] as Slot;
  };
  const popMark = (): Slot[] => {
    const m = marks.pop();
    if (m === undefined) throw malformed('no MARK to pop to');
    return stack.splice(m);
  };
  const push = (v: Slot): void => {
    if (stack.length > MAX_DEPTH_ITEMS) throw malformed('the pickle stack is too deep');
    stack.push(v);
  };
  const key = (k: Slot): PickleKey => {
    const v = finish(k);
    if (v === null || ['string', 'number', 'bigint', 'boolean'].includes(typeof v))
      return v as PickleKey;
    throw new PickleError('unsupported', 'dictionary keys must be strings, numbers or None');
  };
  const setItems = (d: Slot, kv: readonly Slot[]): void => {
    if (!(d instanceof Map)) throw malformed('SETITEM on something that is not a dict');
    if (kv.length % 2 !== 0) throw malformed('SETITEMS with an odd item count');
    for (let i = 0; i < kv.length; i += 2) d.set(key(kv[i] as Slot), finish(kv[i + 1] as Slot));
  };
  const append = (l: Slot, items: readonly Slot[]): void => {
    if (!Array.isArray(l)) throw malformed('APPEND on something that is not a list');
    for (const it of items) l.push(finish(it));
  };
  const call = (fn: Slot, argsSlot: Slot): Slot => {
    if (!(fn instanceof GlobalRef)) {
      throw refused('the pickle calls something that is not an allowlisted numpy constructor');
    }
    const args = tupleItems(argsSlot as PickleValue, 'call arguments').map((a) =>
      a instanceof ArrayStub ? finish(a) : a,
    ) as GlobalArg[];
    return callGlobal(fn, args);
  };

  for (;;) {
    const op = r.u8();
    switch (op) {
      case 0x80: // PROTO
        if (r.u8() > 5) throw new PickleError('unsupported', 'pickle protocol above 5');
        break;
      case 0x95: // FRAME: frames are just a hint to buffered readers
        r.u64();
        break;
      case 0x2e: {
        // STOP
        const v = pop();
        if (stack.length !== 0 || marks.length !== 0) throw malformed('data left after STOP');
        return checked(finish(v));
      }
      case 0x28: // MARK
        marks.push(stack.length);
        break;
      case 0x30: // POP
        if (stack.length > 0 && marks.at(-1) === stack.length) marks.pop();
        else pop();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        push(top());
        break;
      case 0x4e: // NONE
        push(null);
        break;
      case 0x88: // NEWTRUE
        push(true);
        break;
      case 0x89: // NEWFALSE
        push(false);
        break;
      case 0x4a: // BININT
        push(r.i32());
        break;
      case 0x4b: // BININT1
        push(r.u8());
        break;
      case 0x4d: // BININT2
        push(r.u16());
        break;
      case 0x8a: // LONG1
        push(decodeLong(r.take(r.u8())));
        break;
      case 0x8b: // LONG4
        push(decodeLong(r.take(r.u32())));
        break;
      case 0x49: {
        // INT (text; protocol 0 and 1, and bools written as I00/I01)
        const s = r.line();
        if (s === '00' || s === '01') push(s === '01');
        else if (/^[+-]?\d+$/.test(s))
          push(Number.isSafeInteger(Number(s)) ? Number(s) : BigInt(s));
        else throw malformed('INT is not an integer');
        break;
      }
      case 0x47: // BINFLOAT (big-endian)
        push(r.f64be());
        break;
      case 0x46: {
        // FLOAT (text)
        const f = Number(r.line());
        if (Number.isNaN(f)) throw malformed('FLOAT is not a number');
        push(f);
        break;
      }
      case 0x8c: // SHORT_BINUNICODE
        push(r.utf8(r.u8()));
        break;
      case 0x58: // BINUNICODE
        push(r.utf8(r.u32()));
        break;
      case 0x8d: // BINUNICODE8
        push(r.utf8(r.u64()));
        break;
      case 0x55: // SHORT_BINSTRING (Python 2 str): read as latin-1 text
        push(r.latin1(r.u8()));
        break;
      case 0x54: // BINSTRING
        push(r.latin1(r.u32()));
        break;
      case 0x43: // SHORT_BINBYTES
        push(new Uint8Array(r.take(r.u8())));
        break;
      case 0x42: // BINBYTES
        push(new Uint8Array(r.take(r.u32())));
        break;
      case 0x8e: // BINBYTES8
      case 0x96: // BYTEARRAY8
        push(new Uint8Array(r.take(r.u64())));
        break;
      case 0x98: // READONLY_BUFFER: a flag on an in-band buffer, nothing to do
        top();
        break;
      case 0x29: // EMPTY_TUPLE
        push(new PickleTuple([]));
        break;
      case 0x85: // TUPLE1
        push(tupleOf([pop()]));
        break;
      case 0x86: {
        // TUPLE2
        const b = pop();
        push(tupleOf([pop(), b]));
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop();
        const b = pop();
        push(tupleOf([pop(), b, c]));
        break;
      }
      case 0x74: // TUPLE
        push(tupleOf(popMark()));
        break;
      case 0x5d: // EMPTY_LIST
        push([]);
        break;
      case 0x6c: {
        // LIST
        const l: PickleValue[] = [];
        append(l, popMark());
        push(l);
        break;
      }
      case 0x61: {
        // APPEND
        const v = pop();
        append(top(), [v]);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        append(top(), items);
        break;
      }
      case 0x7d: // EMPTY_DICT
        push(new Map());
        break;
      case 0x64: {
        // DICT
        const d = new Map<PickleKey, PickleValue>();
        setItems(d, popMark());
        push(d);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = pop();
        const k = pop();
        setItems(top(), [k, v]);
        break;
      }
      case 0x75: {
        // SETITEMS
        const kv = popMark();
        setItems(top(), kv);
        break;
      }
      case 0x70: // PUT
        memo.set(Number(r.line()), top());
        break;
      case 0x71: // BINPUT
        memo.set(r.u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(r.u32(), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x67: // GET
      case 0x68: // BINGET
      case 0x6a: {
        // LONG_BINGET
        const idx = op === 0x67 ? Number(r.line()) : op === 0x68 ? r.u8() : r.u32();
        if (!memo.has(idx)) throw malformed(`memo entry ${idx} is missing`);
        push(memo.get(idx) as Slot);
        break;
      }
      case 0x63: {
        // GLOBAL: refused at once unless allowlisted
        const module = r.line();
        push(resolveGlobal(module, r.line()));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') {
          throw malformed('STACK_GLOBAL expects two strings');
        }
        push(resolveGlobal(module, name));
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop();
        const fn = pop();
        push(call(fn, args));
        break;
      }
      case 0x62: {
        // BUILD
        const state = pop();
        const obj = top();
        if (obj instanceof DtypeStub) buildDtype(obj, state as PickleValue);
        else if (obj instanceof ArrayStub) buildArray(obj, state as PickleValue, null);
        else throw refused('BUILD is read only for numpy arrays and dtypes');
        break;
      }
      default: {
        const name = OPCODE_NAMES[op];
        if (name) throw refused(`opcode ${name} would instantiate or look up objects; refused`);
        throw new PickleError(
          'unsupported',
          `opcode 0x${op.toString(16).padStart(2, '0')} at byte ${r.pos - 1} is not read`,
        );
      }
    }
  }
}
