import './zod-config.js';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import 'uplot/dist/uPlot.min.css';
import './styles/base.css';
import './styles/shell.css';
import './styles/components.css';
import './styles/dataset.css';
import './styles/splits.css';
import './styles/training.css';
import './styles/regression.css';
import './styles/evaluation.css';
import './styles/system.css';
import './styles/audio.css';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
