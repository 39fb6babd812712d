import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { applyLocaleToDocument } from './lib/i18n';

applyLocaleToDocument();

const target = document.getElementById('app');
if (!target) {
  throw new Error('Missing #app mount point');
}

const app = mount(App, { target });

export default app;
