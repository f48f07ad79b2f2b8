import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// A single-page app: Tauri serves build/, every route renders in the webview.
		adapter: adapter({ fallback: 'index.html' })
	}
};

export default config;
