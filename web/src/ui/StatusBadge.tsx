import { status as known } from '../lib/checks';

const LABEL = { up: 'Up', degraded: 'Degraded', down: 'Down', unknown: 'Unknown' } as const;

/** StatusBadge shows a status as a coloured pill with its name, so colour is never the only cue. */
export function StatusBadge({ status, small }: { status: string; small?: boolean }) {
  const s = known(status);
  return (
    <span class={`badge badge-${s}${small ? ' badge-sm' : ''}`} data-status={s}>
      <span class="badge-dot" aria-hidden="true" />
      {LABEL[s]}
    </span>
  );
}
