// Chart colours, read from the CSS custom properties so charts follow the
// light or dark scheme the stylesheet picked.

import type { Status } from '../lib/types';

export interface ChartTheme {
  line: string;
  fill: string;
  axis: string;
  grid: string;
  band: Record<Status, string>;
  /** palette colours the series of a chart with several lines, in order. */
  palette: string[];
}

/** chartTheme reads the current colours; call again after the scheme changes. */
export function chartTheme(): ChartTheme {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string) => css.getPropertyValue(name).trim();
  return {
    line: v('--chart-line'),
    fill: v('--chart-fill'),
    axis: v('--text-muted'),
    grid: v('--chart-grid'),
    band: { up: v('--band-up'), degraded: v('--band-degraded'), down: v('--band-down'), unknown: v('--band-unknown') },
    palette: [1, 2, 3, 4, 5, 6, 7, 8].map((i) => v(`--series-${i}`)),
  };
}
