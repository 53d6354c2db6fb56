import type { IpcRenderer } from 'electron';
import type { IpcResult } from '../src-shared/contract/common.js';
import type { StreamDef } from '../src-shared/contract/stream.js';
import {
  eventSchemaOf,
  streamChannels,
  type StreamBridge,
  type StreamEndListener,
  type StreamMessage,
} from '../src-shared/contract/stream-ipc.js';

/** Only what the stream bridge uses of ipcRenderer, so tests can hand in a plain object. */
export type IpcRendererLike = Pick<IpcRenderer, 'invoke' | 'on'>;

interface Subscription {
  readonly name: string;
  readonly def: StreamDef | undefined;
  readonly onEvent: (event: never) => void;
  readonly onEnd: StreamEndListener | undefined;
}

/**
 * Subscriptions to a table's streams over the channels derived from each name. Each subscription
 * has its own id (so each gets the stream's current state first, as a new SSE request does);
 * events are checked against the stream's schema before the page sees them.
 */
export function createStreamBridge<T extends Readonly<Record<string, StreamDef>>>(
  ipc: IpcRendererLike,
  table: T,
): StreamBridge<T> {
  let next = 0;
  const subs = new Map<string, Subscription>();
  const listening = new Set<string>();

  const deliver = (name: string, msg: StreamMessage): void => {
    const sub = subs.get(msg.subscription);
    if (sub?.name !== name) return;
    if (msg.kind === 'end') {
      subs.delete(msg.subscription);
      sub.onEnd?.(msg.reason);
      return;
    }
    const schema = sub.def ? eventSchemaOf(sub.def, msg.name) : undefined;
    const parsed = schema?.safeParse(msg.data);
    if (!parsed?.success) return; // not what the contract declares: never reaches the page
    const data: unknown = parsed.data;
    const event = sub.def?.kind === 'socket.io' ? { event: msg.name, data } : data;
    (sub.onEvent as (e: unknown) => void)(event);
  };

  function open(
    name: string,
    params: unknown,
    onEvent: (event: never) => void,
    onEnd?: StreamEndListener,
  ): { send(message: unknown): Promise<IpcResult<null>>; close(): void } {
    const channels = streamChannels(name);
    if (!listening.has(name)) {
      listening.add(name);
      ipc.on(channels.event, (_event, msg: StreamMessage) => deliver(name, msg));
    }
    const def: StreamDef | undefined = table[name];
    const subscription = `s${++next}`;
    subs.set(subscription, { name, def, onEvent, onEnd });
    void ipc.invoke(channels.subscribe, { subscription, params }).then((reply) => {
      const result = reply as IpcResult<null>;
      // Refused (bad params, unknown id): the subscription ends with the reason.
      if (!result.ok && subs.delete(subscription)) onEnd?.(result.error.message);
    });
    return {
      send: async (message) => {
        const arg =
          def?.kind === 'socket.io'
            ? { subscription, ...splitSocketIo(message) }
            : { subscription, message };
        return (await ipc.invoke(channels.send, arg)) as IpcResult<null>;
      },
      close: () => {
        if (subs.delete(subscription)) void ipc.invoke(channels.unsubscribe, { subscription });
      },
    };
  }

  return {
    subscribe: (name, params, onEvent, onEnd) => open(name, params, onEvent, onEnd).close,
    open: (name, params, onEvent, onEnd) => open(name, params, onEvent, onEnd),
  } as StreamBridge<T>;
}

function splitSocketIo(message: unknown): { event?: string; message: unknown } {
  const m = (typeof message === 'object' && message !== null ? message : {}) as {
    event?: unknown;
    data?: unknown;
  };
  return typeof m.event === 'string' ? { event: m.event, message: m.data } : { message };
}
