/** Merchant console entry: mounts the app and checks a restored session in the background. */
import { render } from 'preact';
import './console.css';
import { App } from './app.js';
import { verifySession } from './stores/session.js';

const root = document.getElementById('app');
if (root) render(<App />, root);
void verifySession();
