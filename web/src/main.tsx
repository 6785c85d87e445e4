// Entry point of Picket's web UI.

import 'uplot/dist/uPlot.min.css';
import './app.css';
import { render } from 'preact';
import { App } from './ui/App';

const root = document.getElementById('app');
if (root) render(<App />, root);
