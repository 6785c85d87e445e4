import { useState } from 'preact/hooks';

/** RangePicker is a row of buttons, one per time range, the chosen one pressed. */
export function RangePicker<K extends string>({ keys, value, onChange }: { keys: readonly K[]; value: K; onChange: (k: K) => void }) {
  return (
    <div class="segmented" role="group" aria-label="time range">
      {keys.map((k) => (
        <button key={k} type="button" aria-pressed={k === value} onClick={() => onChange(k)}>
          {k}
        </button>
      ))}
    </div>
  );
}

/** useRangeParam keeps a graph range in the URL (?range=6h) so a link or reload keeps it; the fallback is left out. */
export function useRangeParam<K extends string>(keys: readonly K[], fallback: K): [K, (k: K) => void] {
  const read = () => {
    const r = new URLSearchParams(location.search).get('range');
    return keys.find((k) => k === r) ?? fallback;
  };
  const [key, setKey] = useState<K>(read);
  const set = (k: K) => {
    const q = k === fallback ? '' : `?range=${k}`;
    history.replaceState(history.state, '', location.pathname + q);
    setKey(k);
  };
  return [key, set];
}
