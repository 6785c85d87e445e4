// The live model every page reads: all checks, the stream's state, and new events.

import { createContext } from 'preact';
import { useContext, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { fetchChecks, isAbort } from '../lib/api';
import { applyUpdates, mergeList } from '../lib/checks';
import { openStream, type Conn } from '../lib/stream';
import type { Check, CheckEvent } from '../lib/types';

export interface Live {
  /** checks by id; null until the first list arrives. */
  checks: Map<string, Check> | null;
  /** error is the last failure to list checks, cleared by the next success. */
  error: string | null;
  conn: Conn;
  /** epoch counts stream (re)connects; pages refetch history when it changes. */
  epoch: number;
  /** onEvent registers a listener for new events and returns its removal. */
  onEvent(f: (e: CheckEvent) => void): () => void;
}

const BATCH_MS = 150;

export const LiveContext = createContext<Live | null>(null);

/** useLive returns the live model provided by the app. */
export function useLive(): Live {
  const live = useContext(LiveContext);
  if (!live) throw new Error('useLive outside LiveContext');
  return live;
}

/** useLiveModel owns the stream and the check list; the app provides its value. */
export function useLiveModel(): Live {
  const [checks, setChecks] = useState<Map<string, Check> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [conn, setConn] = useState<Conn>({ state: 'connecting' });
  const [epoch, setEpoch] = useState(0);
  const listeners = useRef(new Set<(e: CheckEvent) => void>());

  useEffect(() => {
    let ctl: AbortController | null = null;
    const reload = () => {
      ctl?.abort();
      const c = (ctl = new AbortController());
      fetchChecks(c.signal).then(
        (list) => {
          setChecks((known) => mergeList(known ?? new Map(), list));
          setError(null);
        },
        (err) => isAbort(err) || setError(String(err?.message ?? err)),
      );
    };
    // Results can arrive many times a second; apply them in batches so a
    // large overview re-renders a few times a second at most.
    let pending: Check[] = [];
    let flushTimer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      const batch = pending;
      pending = [];
      flushTimer = undefined;
      setChecks((known) => (known ? applyUpdates(known, batch) : known));
    };
    reload();
    const close = openStream('/api/v1/stream', {
      onState: (c) => {
        pending.push(c);
        flushTimer ??= setTimeout(flush, BATCH_MS);
      },
      onEvent: (e) => listeners.current.forEach((f) => f(e)),
      onOpen: () => {
        setEpoch((n) => n + 1);
        reload();
      },
      onConn: setConn,
    });
    return () => {
      ctl?.abort();
      clearTimeout(flushTimer);
      close();
    };
  }, []);

  const onEvent = useMemo(
    () => (f: (e: CheckEvent) => void) => {
      listeners.current.add(f);
      return () => void listeners.current.delete(f);
    },
    [],
  );
  return { checks, error, conn, epoch, onEvent };
}
