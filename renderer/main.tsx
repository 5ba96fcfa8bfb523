import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectStores } from './actions';
import { App } from './App';
import { getBridge } from './bridge';
import './styles/base.css';
import './styles/layout.css';
import './styles/controls.css';
import './styles/tables.css';
import './styles/views.css';
import './styles/preflight.css';
import './styles/boot-services.css';
import './styles/transfer-detail.css';
import './styles/inspector.css';

connectStores(getBridge());

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root element');
createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
