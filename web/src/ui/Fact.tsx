import type { ComponentChild } from 'preact';

/** Fact is one labelled value of a page header's fact list. */
export function Fact({ k, v }: { k: string; v: ComponentChild }) {
  return (
    <div class="fact">
      <dt>{k}</dt>
      <dd>{v}</dd>
    </div>
  );
}
